/**
 * The judge of watch mode's settler (settle-writes.ts): files whose write
 * looks over are handed to the loader to get ready for the reload (its
 * `prewarm`), and what it says (compiled or not) goes back to the settler.
 *
 * At most {@link IN_FLIGHT} at once: swc transforms on its own threads (the
 * libuv pool, four by default), so several files of a save are worked on at
 * once, on every core, while the event loop only reads, hashes and compiles.
 * @module
 */
import type { Verdict } from './settle-writes.js';

/** Files being prepared at once. */
export const IN_FLIGHT = 4;

export interface PrepareQueueOptions {
  prepare: (path: string) => Promise<Verdict>;
  /** What `prepare` said about the content `asked` named; `skipped` when it threw or rejected. */
  prepared: (path: string, asked: string, verdict: Verdict) => void;
  onError: (err: unknown) => void;
}

export class PrepareQueue {
  readonly #options: PrepareQueueOptions;
  /**
   * Path → the content it was asked about (the settler's fingerprint), in
   * arrival order; a path asked about again before it started is prepared
   * once, for the newer content (it reads the file as it is then).
   */
  readonly #queued = new Map<string, string>();
  #running = 0;

  constructor(options: PrepareQueueOptions) {
    this.#options = options;
  }

  add(path: string, asked: string): void {
    this.#queued.delete(path);
    this.#queued.set(path, asked);
    this.#pump();
  }

  /** Forget what is queued and not started (the batch settled: the load does the rest itself, or watching ended). */
  clear(): void {
    this.#queued.clear();
  }

  #pump(): void {
    for (const [path, asked] of this.#queued) {
      if (this.#running >= IN_FLIGHT) return;
      this.#queued.delete(path);
      this.#running++;
      void this.#run(path, asked);
    }
  }

  async #run(path: string, asked: string): Promise<void> {
    let verdict: Verdict = 'skipped';
    try {
      // Never inside add(): the settler's poll that asked goes on first.
      await null;
      verdict = await this.#options.prepare(path);
    } catch (err) {
      this.#options.onError(err);
    }
    this.#running--;
    this.#options.prepared(path, asked, verdict);
    this.#pump();
  }
}
