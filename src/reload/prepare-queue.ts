/**
 * The judge of watch mode's settler (settle-writes.ts): files whose save
 * looks over are handed to the loader to get ready for the reload (its
 * `prewarm`), and what it says (compiled or not) goes back to the settler.
 *
 * In slices of at most {@link SLICE_MS} per turn of the event loop: the
 * settler's polls and the requests the service is answering run between two
 * slices instead of waiting for all of it, and a slice is long enough to be
 * done soon after the quiet period (one file per turn got through a third of
 * a 20-file save while the service answered requests every 2 ms).
 * @module
 */
import type { Verdict } from './settle-writes.js';

/** How long one turn may prepare files before it lets the event loop go on. */
export const SLICE_MS = 4;

export interface PrepareQueueOptions {
  prepare: (path: string) => Verdict;
  /** What `prepare` said; `skipped` when it threw. */
  prepared: (path: string, verdict: Verdict) => void;
  onError: (err: unknown) => void;
}

export class PrepareQueue {
  readonly #options: PrepareQueueOptions;
  /** In arrival order; a path queued twice is prepared once (it reads the file as it is then). */
  readonly #queued = new Set<string>();
  #immediate: NodeJS.Immediate | undefined;

  constructor(options: PrepareQueueOptions) {
    this.#options = options;
  }

  add(path: string): void {
    this.#queued.add(path);
    this.#immediate ??= setImmediate(() => this.#next());
  }

  /** Forget what is queued (the batch settled and the load will do the rest itself, or watching ended). */
  clear(): void {
    this.#queued.clear();
    if (this.#immediate !== undefined) clearImmediate(this.#immediate);
    this.#immediate = undefined;
  }

  #next(): void {
    this.#immediate = undefined;
    const until = performance.now() + SLICE_MS;
    for (const path of this.#queued) {
      this.#queued.delete(path);
      let verdict: Verdict = 'skipped';
      try {
        verdict = this.#options.prepare(path);
      } catch (err) {
        this.#options.onError(err);
      }
      this.#options.prepared(path, verdict);
      if (performance.now() >= until) break;
    }
    if (this.#queued.size > 0) this.#immediate = setImmediate(() => this.#next());
  }
}
