/**
 * Racing work against a time limit, for every limit rolekit enforces
 * (callbacks, disposers, held requests).
 * @module
 */

/**
 * The longest delay `setTimeout` honours. Node clamps anything longer (and
 * Infinity) to 1 ms with a warning, so such a limit would fire at once: it is
 * treated as no limit instead (2^31-1 ms is almost 25 days).
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** Whether `ms` needs a timer at all: Infinity (or anything a timer cannot hold) means no limit. */
export function isLimited(ms: number): boolean {
  return ms <= MAX_TIMER_MS;
}

/**
 * Settle like `work`, unless `ms` runs out first: then settle with what
 * `onTimeout` returns (or reject with what it throws). What `work` does later
 * is ignored. The timer is cleared either way, so it never keeps the process
 * alive.
 */
export function raceTimeLimit<T, U>(work: PromiseLike<T>, ms: number, onTimeout: () => U): Promise<T | U> {
  if (!isLimited(ms)) return Promise.resolve(work);
  let timer: NodeJS.Timeout | undefined;
  return new Promise<T | U>((resolve, reject) => {
    timer = setTimeout(() => {
      try {
        resolve(onTimeout());
      } catch (err) {
        reject(err);
      }
    }, ms);
    work.then(resolve, reject);
  }).finally(() => clearTimeout(timer));
}
