/**
 * `GET /events`: the runtime's events and inspect events as server-sent
 * events, from a bounded buffer that lets a client resume (docs/operations.md,
 * The event stream).
 *
 * Ids: a runtime event's id is its `seq` (`"42"`); an inspect event's is
 * `"<seq>.<n>"`, the n-th inspect event after runtime event `seq` (`"42.1"`,
 * `"42.2"`; `"0.n"` before the first one this admin saw). Ids are totally
 * ordered, so `Last-Event-ID` names a point in one sequence. A client whose
 * `Last-Event-ID` is no longer (or never was) in the buffer first gets an event
 * `{ "type": "gap", ... }` without an id, telling it to read `GET /status`
 * afresh, then everything the buffer holds.
 *
 * Cost: nothing runs for an idle client. Frames are written once per turn of
 * the event loop (setImmediate, only when events came), one write per client;
 * a comment line every 25 s keeps proxies from closing an idle connection, on
 * one unref'd timer for all clients, running only while a client is connected.
 * @module
 */
import type { RolekitEvent } from '../index.js';
import type { InspectEvent } from './inspection.js';

export interface GapEvent {
  type: 'gap';
  /** The id the client asked to resume after. */
  lastEventId: string;
  /** The oldest id the buffer still holds (undefined when it is empty). */
  oldestId?: string;
}

interface Entry {
  id: string;
  seq: number;
  sub: number;
  event: RolekitEvent | InspectEvent;
  frame?: string;
}

/** Which events a client takes: every type, or those listed (`inspect` for inspect events). */
export interface StreamFilter {
  types?: ReadonlySet<string>;
}

interface Client {
  controller: ReadableStreamDefaultController<Uint8Array>;
  types: ReadonlySet<string> | undefined;
  /** The filter as a key: clients with the same one at the same point get the same bytes. */
  filterKey: string;
  /** The last entry sent (or replayed) to it, as [seq, sub]. */
  seq: number;
  sub: number;
}

export const HEARTBEAT_MS = 25_000;
/** A client that has this many writes queued (it reads slower than events come) is closed; it may resume. */
const MAX_QUEUED_WRITES = 1_000;

const encoder = new TextEncoder();
const HEARTBEAT = encoder.encode(':\n\n');

function frameOf(entry: Entry): string {
  if (entry.frame === undefined) {
    let data: string;
    try {
      data = JSON.stringify(entry.event);
    } catch {
      data = JSON.stringify({ type: entry.event.type, unserializable: true });
    }
    entry.frame = `id: ${entry.id}\ndata: ${data}\n\n`;
  }
  return entry.frame;
}

function after(entry: Entry, seq: number, sub: number): boolean {
  return entry.seq > seq || (entry.seq === seq && entry.sub > sub);
}

function takes(client: Client, entry: Entry): boolean {
  return client.types === undefined || client.types.has(entry.event.type);
}

const ID = /^(\d{1,15})(?:\.(\d{1,15}))?$/;

export class EventStream {
  readonly #capacity: number;
  /** Ring buffer of the last `capacity` entries. */
  readonly #ring: Entry[] = [];
  #start = 0;
  /** Id of the newest entry dropped from the ring: resuming right after it misses nothing. */
  #dropped: string | undefined;
  #seq = 0;
  #sub = 0;
  #lastId = '0';
  readonly #clients = new Set<Client>();
  #pending: Entry[] = [];
  #flushScheduled = false;
  #heartbeat: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  /** Id of the newest entry (`"0"` before any). */
  get lastId(): string {
    return this.#lastId;
  }


  pushEvent(event: RolekitEvent): void {
    this.#seq = event.seq;
    this.#sub = 0;
    this.#push({ id: String(event.seq), seq: event.seq, sub: 0, event });
  }

  pushInspect(event: InspectEvent): void {
    this.#sub += 1;
    this.#push({ id: `${this.#seq}.${this.#sub}`, seq: this.#seq, sub: this.#sub, event });
  }

  #push(entry: Entry): void {
    this.#lastId = entry.id;
    if (this.#capacity > 0) {
      if (this.#ring.length < this.#capacity) this.#ring.push(entry);
      else {
        this.#dropped = this.#ring[this.#start]!.id;
        this.#ring[this.#start] = entry;
        this.#start = (this.#start + 1) % this.#capacity;
      }
    } else this.#dropped = entry.id;
    if (this.#clients.size === 0) return;
    this.#pending.push(entry);
    if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      setImmediate(() => this.#flush());
    }
  }

  /** The buffer's entries, oldest first. */
  #entries(): Entry[] {
    return this.#start === 0 ? this.#ring.slice() : [...this.#ring.slice(this.#start), ...this.#ring.slice(0, this.#start)];
  }

  /**
   * A stream for one client: what it missed after `lastEventId` (nothing when
   * it gives none), then every new entry of the types `filter` lists (all
   * when it lists none; `inspect` stands for inspect events).
   */
  open(lastEventId: string | undefined, filter: StreamFilter = {}): ReadableStream<Uint8Array> {
    const types = filter.types;
    const filterKey = types ? [...types].sort().join(',') : '*';
    let client: Client | undefined;
    return new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          client = { controller, types, filterKey, seq: this.#seq, sub: this.#sub };
          if (this.#closed) {
            controller.close();
            return;
          }
          // A comment first, so that the client sees the stream open before any event comes.
          let chunk = ': rolekit events\n\n';
          if (lastEventId !== undefined) chunk += this.#replay(client, lastEventId);
          controller.enqueue(encoder.encode(chunk));
          this.#clients.add(client);
          this.#startHeartbeat();
        },
        cancel: () => {
          if (client) this.#remove(client);
        },
      },
      { highWaterMark: 0 },
    );
  }

  /** Frames after `lastEventId` for `client`, with a gap event first when the buffer can not say what it missed. */
  #replay(client: Client, lastEventId: string): string {
    const entries = this.#entries();
    const m = ID.exec(lastEventId);
    let from = -1;
    if (m) {
      const seq = Number(m[1]);
      const sub = m[2] === undefined ? 0 : Number(m[2]);
      if (lastEventId === this.#dropped) from = 0;
      else {
        const at = entries.findIndex((e) => e.seq === seq && e.sub === sub);
        if (at >= 0) from = at + 1;
      }
    }
    let out = '';
    if (from < 0) {
      const gap: GapEvent = { type: 'gap', lastEventId: lastEventId.slice(0, 64), ...(entries[0] ? { oldestId: entries[0].id } : {}) };
      out += `data: ${JSON.stringify(gap)}\n\n`;
      from = 0;
    }
    for (let i = from; i < entries.length; i++) {
      const entry = entries[i]!;
      if (!takes(client, entry)) continue;
      out += frameOf(entry);
    }
    const last = entries[entries.length - 1];
    if (last) {
      client.seq = last.seq;
      client.sub = last.sub;
    }
    return out;
  }

  #flush(): void {
    this.#flushScheduled = false;
    const pending = this.#pending;
    this.#pending = [];
    const last = pending[pending.length - 1];
    if (!last) return;
    // Clients at the same point with the same filter get the same bytes: built and encoded once.
    const chunks = new Map<string, Uint8Array | undefined>();
    for (const client of this.#clients) {
      const key = `${client.filterKey} ${client.seq}.${client.sub}`;
      let chunk = chunks.get(key);
      if (!chunks.has(key)) {
        let text = '';
        for (const entry of pending) {
          if (!takes(client, entry) || !after(entry, client.seq, client.sub)) continue;
          text += frameOf(entry);
        }
        chunk = text === '' ? undefined : encoder.encode(text);
        chunks.set(key, chunk);
      }
      if (after(last, client.seq, client.sub)) {
        client.seq = last.seq;
        client.sub = last.sub;
      }
      if (chunk) this.#write(client, chunk);
    }
  }

  #write(client: Client, chunk: Uint8Array): void {
    const { controller } = client;
    // desiredSize counts queued writes: a client this far behind is closed and resumes with Last-Event-ID.
    if ((controller.desiredSize ?? 0) < -MAX_QUEUED_WRITES) {
      this.#remove(client);
      try {
        controller.close();
      } catch {
        // Already closed.
      }
      return;
    }
    try {
      controller.enqueue(chunk);
    } catch {
      this.#remove(client);
    }
  }

  #remove(client: Client): void {
    this.#clients.delete(client);
    if (this.#clients.size === 0 && this.#heartbeat) {
      clearInterval(this.#heartbeat);
      this.#heartbeat = undefined;
    }
  }

  #startHeartbeat(): void {
    if (this.#heartbeat) return;
    this.#heartbeat = setInterval(() => {
      for (const client of this.#clients) this.#write(client, HEARTBEAT);
    }, HEARTBEAT_MS);
    this.#heartbeat.unref();
  }

  /** End every client's stream; later clients get an empty stream. */
  close(): void {
    this.#closed = true;
    for (const client of [...this.#clients]) {
      this.#remove(client);
      try {
        client.controller.close();
      } catch {
        // Already closed.
      }
    }
  }
}
