/**
 * Draining one role instance's requests. Every route a role registers shares
 * its instance's gate: `rt.fetch` enters the gate around a handler call, and
 * stopping the instance closes the gate (no new requests), waits until the
 * requests inside have finished, and only then lets the role's `stop` run.
 * A request still inside when the drain time is up is answered 503 by
 * `rt.fetch` and the stop goes on: a stuck handler must not hold a reload or
 * a shutdown forever.
 * @module
 */
import { raceTimeLimit } from '../utils/time-limit.js';

export class InFlightGate {
  /** The requests inside, each with what to do if the drain gives up on it. */
  #inside = new Set<() => void>();
  #closed = false;
  #idle: (() => void) | undefined;

  /** False once the instance started stopping: its routes take no new requests. */
  get open(): boolean {
    return !this.#closed;
  }

  /**
   * Count one request in; `onExpired` runs if a drain gives up on it. The
   * returned function counts it out. Nothing outlives the request: a
   * long-running role serving millions of requests keeps no record of them.
   */
  enter(onExpired: () => void): () => void {
    const entry = () => onExpired();
    this.#inside.add(entry);
    return () => {
      if (this.#inside.delete(entry) && this.#inside.size === 0) this.#idle?.();
    };
  }

  /** Take no new requests from now on. */
  close(): void {
    this.#closed = true;
  }

  /**
   * Close, then wait until no request is inside, at most until `deadline`
   * (a `performance.now()` time). Resolves false when the deadline came first;
   * those requests are then given up on (`rt.fetch` answers them 503). With
   * nothing inside, no timer is armed.
   */
  async drain(deadline: number): Promise<boolean> {
    this.close();
    if (this.#inside.size === 0) return true;
    let idle!: () => void;
    const empty = new Promise<boolean>((resolve) => (idle = () => resolve(true)));
    this.#idle = idle;
    const left = deadline - performance.now();
    const drained = left <= 0 ? false : await raceTimeLimit(empty, left, () => false);
    this.#idle = undefined;
    if (!drained) {
      const expired = [...this.#inside];
      this.#inside.clear();
      for (const onExpired of expired) onExpired();
    }
    return drained;
  }
}
