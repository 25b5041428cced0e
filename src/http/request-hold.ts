/**
 * Holding requests while roles are swapped. During a reload the old version's
 * routes go away before the new version's come; a request arriving between
 * would get a 404. Each swap registers the routes it is replacing, and a
 * request that matches one of them waits for the swap to end (bounded).
 * @module
 */
import type { RouteTable } from './route-table.js';
import { raceTimeLimit } from '../utils/time-limit.js';

interface Hold {
  routes: RouteTable;
  done: Promise<void>;
}

export class RequestHold {
  #holds = new Set<Hold>();

  /** Hold requests matching `routes` until the returned release function is called. */
  hold(routes: RouteTable): () => void {
    let release!: () => void;
    const hold: Hold = { routes, done: new Promise<void>((resolve) => (release = resolve)) };
    this.#holds.add(hold);
    return () => {
      this.#holds.delete(hold);
      release();
    };
  }

  get active(): boolean {
    return this.#holds.size > 0;
  }

  /**
   * Wait while a swap holds a route this request may be served by (one of
   * `methods`: a HEAD may be served by the GET route); false when `timeoutMs`
   * ran out first.
   */
  async wait(methods: readonly string[], pathname: string, host: string | null, timeoutMs: number): Promise<boolean> {
    if (this.#holds.size === 0) return true;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const blocking = [...this.#holds].find((h) => methods.some((m) => h.routes.match(m, pathname, host) !== undefined));
      if (!blocking) return true;
      const left = deadline - Date.now();
      if (left <= 0) return false;
      // An Infinity limit leaves `left` at Infinity: no timer, wait for the swap.
      const timedOut = await raceTimeLimit(blocking.done.then(() => false), left, () => true);
      if (timedOut) return false;
    }
  }
}
