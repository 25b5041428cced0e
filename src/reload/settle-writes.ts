/**
 * When has an editor finished saving? A file event says a write began, not
 * that it ended: editors truncate and write in several chunks, write a temp
 * file and rename it over, or delete and create. chokidar reports the first
 * event of a burst and throttles the rest (one `change` per file per 50 ms),
 * so events alone cannot say when the content is final.
 *
 * The settler watches the files themselves instead: once a file had an event,
 * it is stat'ed every `pollMs`, and the batch is settled when every file in it
 * kept the same fingerprint (inode, size, mtime, ctime, or "missing") for
 * `quietMs`, with no event in between. Every write moves size or mtime and
 * every rename or re-creation moves the inode, so a half-written file is one
 * that is still changing. An empty or missing file, what an in-place or a
 * delete-and-create save looks like before its first byte, must stand still
 * much longer (`unfinishedMs`). A writer that pauses longer than `quietMs` in the
 * middle of a save cannot be told from two saves.
 *
 * The batch is one decision: files saved together (a git checkout, a
 * refactoring, a formatter) settle together, and a file that keeps changing
 * holds the others back rather than letting half of a change through.
 * @module
 */
import { stat } from 'node:fs/promises';

/** A file's identity and content version as the file system reports it, or 'missing'. */
export type Fingerprint = string;

/** The fingerprint of a file that is empty or missing: what a save looks like halfway through. */
export const UNFINISHED = /^(missing|empty:.*)$/;

export async function fingerprintOf(path: string): Promise<Fingerprint> {
  try {
    const s = await stat(path, { bigint: true });
    return `${s.size === 0n ? 'empty:' : ''}${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // Between a delete and a create, the file is missing: a state that must last quietMs too.
    return code === 'ENOENT' || code === 'ENOTDIR' ? 'missing' : `error:${code ?? String(err)}`;
  }
}

export interface SettleOptions {
  /** How long every file of a batch must stay unchanged. */
  quietMs: number;
  /** How often pending files are stat'ed. */
  pollMs: number;
  /**
   * How long a file must stay empty or missing before that counts as settled:
   * a truncate-then-write or delete-then-create save passes through those
   * states, and an editor stalled right there (a loaded machine) must not
   * have an empty file applied. Only a stalled save or a real deletion waits this long.
   */
  unfinishedMs: number;
  /** Called with the paths of a settled batch; the next event starts a new batch. */
  onSettled: (paths: string[]) => void;
  fingerprint?: (path: string) => Promise<Fingerprint>;
}

interface Pending {
  fingerprint: Fingerprint | undefined;
  /** When the file was last seen changing (an event, or a new fingerprint). */
  since: number;
}

export class WriteSettler {
  readonly #options: SettleOptions;
  readonly #fingerprint: (path: string) => Promise<Fingerprint>;
  readonly #pending = new Map<string, Pending>();
  #timer: NodeJS.Timeout | undefined;
  #polling = false;
  #closed = false;

  constructor(options: SettleOptions) {
    this.#options = options;
    this.#fingerprint = options.fingerprint ?? fingerprintOf;
  }

  /** A file event for `path`: its content may still be changing. */
  touch(path: string): void {
    if (this.#closed) return;
    const entry = this.#pending.get(path);
    if (entry) entry.since = performance.now();
    else this.#pending.set(path, { fingerprint: undefined, since: performance.now() });
    // A poll in flight schedules the next one itself; otherwise look soon, to take the first fingerprint.
    if (!this.#polling && this.#timer === undefined) this.#schedule(0);
  }

  /** Files with an event whose batch has not settled yet. */
  get pending(): number {
    return this.#pending.size;
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#pending.clear();
  }

  #schedule(ms: number): void {
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#poll();
    }, ms);
  }

  async #poll(): Promise<void> {
    this.#polling = true;
    const paths = [...this.#pending.keys()];
    const prints = await Promise.all(paths.map((p) => this.#fingerprint(p)));
    this.#polling = false;
    if (this.#closed) return;
    const now = performance.now();
    // A new fingerprint counts as a change made now (it was made at most pollMs ago): the safe side.
    paths.forEach((path, i) => {
      const entry = this.#pending.get(path)!;
      if (entry.fingerprint !== prints[i]) {
        entry.fingerprint = prints[i];
        entry.since = now;
      }
    });
    // How long until every file has been quiet long enough; files touched while the stats ran
    // have no fingerprint yet and are never settled before their first look.
    let left = 0;
    for (const entry of this.#pending.values()) {
      const needed = entry.fingerprint !== undefined && UNFINISHED.test(entry.fingerprint) ? this.#options.unfinishedMs : this.#options.quietMs;
      left = Math.max(left, entry.fingerprint === undefined ? needed : needed - (now - entry.since));
    }
    if (left <= 0) {
      const settled = [...this.#pending.keys()];
      this.#pending.clear();
      this.#options.onSettled(settled);
      return;
    }
    // Poll on, and land the last look exactly when the quiet period would end.
    this.#schedule(Math.min(this.#options.pollMs, left));
  }
}
