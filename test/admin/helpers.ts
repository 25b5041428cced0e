/** Admin API tests run over a real listener on 127.0.0.1 (port 0), with real HTTP clients. */
import { serveAdmin, type AdminServer, type ServeAdminOptions } from '../../src/admin/index.js';
import type { Runtime } from '../../src/index.js';

const servers = new Set<AdminServer>();

export async function listen(rt: Runtime, options: ServeAdminOptions = {}): Promise<AdminServer> {
  const server = await serveAdmin(rt, { host: '127.0.0.1', port: 0, ...options });
  servers.add(server);
  return server;
}

export async function closeAll(): Promise<void> {
  for (const s of servers) await s.close();
  servers.clear();
}

export interface Answer {
  status: number;
  headers: Headers;
  body: any;
}

/** A request to the admin API; the body is sent as JSON unless it is a string. */
export async function call(server: AdminServer, method: string, path: string, init: { body?: unknown; headers?: Record<string, string> } = {}): Promise<Answer> {
  const body = init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
  const res = await fetch(server.url + path, { method, headers: init.headers, body, redirect: 'manual' });
  const text = await res.text();
  let parsed: unknown = text;
  if ((res.headers.get('content-type') ?? '').includes('json')) parsed = JSON.parse(text);
  return { status: res.status, headers: res.headers, body: parsed };
}

export interface SseEvent {
  id?: string;
  data: any;
}

/**
 * A server-sent events client over fetch: parses frames as the EventSource
 * algorithm does (id, data lines, comments ignored) and collects them.
 */
export class SseClient {
  readonly events: SseEvent[] = [];
  lastEventId: string | undefined;
  comments = 0;
  readonly #abort = new AbortController();
  #waiters: { n: number; resolve: () => void }[] = [];
  readonly done: Promise<void>;
  /** Resolves when the stream's opening comment arrived: from then on no event is missed. */
  readonly opened: Promise<void>;
  #onOpen!: () => void;

  constructor(url: string, headers: Record<string, string> = {}) {
    this.opened = new Promise((resolve) => (this.#onOpen = resolve));
    this.done = this.#run(url, headers);
    // A stream that fails before it opens rejects `opened` too.
    this.opened = Promise.race([this.opened, this.done.then(() => { throw new Error('the stream ended before it opened'); })]);
  }

  async #run(url: string, headers: Record<string, string>): Promise<void> {
    try {
      const res = await fetch(url, { headers, signal: this.#abort.signal });
      if (res.status !== 200) throw new Error(`SSE answered ${res.status}: ${await res.text()}`);
      const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          this.#frame(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      }
    } catch (err) {
      if ((err as Error).name !== 'AbortError') throw err;
    }
  }

  #frame(text: string): void {
    let id: string | undefined;
    const data: string[] = [];
    for (const line of text.split('\n')) {
      if (line.startsWith(':')) {
        this.comments++;
        this.#onOpen();
      }
      else if (line.startsWith('id: ')) id = line.slice(4);
      else if (line.startsWith('data: ')) data.push(line.slice(6));
    }
    if (data.length === 0) return;
    if (id !== undefined) this.lastEventId = id;
    this.events.push({ ...(id !== undefined ? { id } : {}), data: JSON.parse(data.join('\n')) });
    this.#waiters = this.#waiters.filter((w) => (this.events.length >= w.n ? (w.resolve(), false) : true));
  }

  /** Resolves once `n` events arrived (rejects after `ms`). */
  waitFor(n: number, ms = 10_000): Promise<void> {
    if (this.events.length >= n) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${this.events.length} of ${n} events arrived`)), ms);
      this.#waiters.push({ n, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }

  close(): void {
    this.#abort.abort();
  }
}
