/**
 * The record of what one role instance acquired. Resources are recorded when
 * they are acquired (never found later by diffing), and released last-in
 * first-out, so correctness never depends on the role's own `stop`.
 * @module
 */

import { TimeoutError } from '../../../errors.js';
import { isPromiseLike } from '../../../utils/promise.js';
import { raceTimeLimit } from '../../../utils/time-limit.js';

export type Disposer = () => unknown;

/** Below this many ended-unseen records, no sweep runs. */
const SWEEP_MIN = 64;

export class ResourceTracker {
  #disposers = new Set<Disposer>();
  /** Records that may end unseen, with how to tell. */
  #ended = new Map<Disposer, () => boolean>();
  #sweepAt = SWEEP_MIN;
  #disposed = false;

  /**
   * Record a disposer; returns a function that forgets it (for resources that
   * end on their own, like a fired timeout). After disposal, whatever is
   * acquired is released at once: a late callback of a stopped role must not
   * leave a live interval behind.
   *
   * `ended` tells whether the resource ended without the tracker hearing of
   * it (a timer the role cleared itself with the global clearTimeout). Such
   * records are swept whenever their number has doubled since the last sweep,
   * so a role that sets and clears timers all day keeps only its live ones
   * recorded, at amortised constant cost per acquire.
   */
  add(dispose: Disposer, ended?: () => boolean): () => void {
    if (this.#disposed) {
      void runQuietly(dispose);
      return () => {};
    }
    this.#disposers.add(dispose);
    if (ended) {
      this.#ended.set(dispose, ended);
      if (this.#ended.size >= this.#sweepAt) this.#sweep();
    }
    return () => {
      this.#disposers.delete(dispose);
      this.#ended.delete(dispose);
    };
  }

  #sweep(): void {
    for (const [dispose, ended] of this.#ended) {
      if (!ended()) continue;
      this.#ended.delete(dispose);
      this.#disposers.delete(dispose);
    }
    this.#sweepAt = Math.max(SWEEP_MIN, this.#ended.size * 2);
  }

  /**
   * Release everything, newest first. Returns the errors disposers threw. A
   * disposer that does not settle within `timeoutMs` (an `onDispose` handler
   * that hangs) is given up on, so that it can not keep the older resources
   * alive or the role from stopping.
   */
  async dispose(timeoutMs?: number): Promise<unknown[]> {
    this.#disposed = true;
    const errors: unknown[] = [];
    const disposers = [...this.#disposers].reverse();
    this.#disposers.clear();
    this.#ended.clear();
    for (const dispose of disposers) {
      const err = await runQuietly(dispose, timeoutMs);
      if (err !== undefined) errors.push(err);
    }
    return errors;
  }
}

async function runQuietly(fn: Disposer, timeoutMs?: number): Promise<unknown> {
  try {
    const result = fn();
    if (timeoutMs === undefined || !isPromiseLike(result)) {
      await result;
      return undefined;
    }
    await raceTimeLimit(result, timeoutMs, () => {
      throw new TimeoutError(`A disposer did not settle within ${timeoutMs} ms`);
    });
    return undefined;
  } catch (err) {
    return err ?? new Error('disposer threw undefined');
  }
}
