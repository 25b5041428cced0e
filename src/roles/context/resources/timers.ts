/** Timers through the context: cleared when the role stops. @module */
import type { ResourceTracker } from './tracker.js';

/**
 * Whether Node has unscheduled a timer: a fired timeout, or one cleared with
 * the global clearTimeout/clearInterval, which the tracker never hears of.
 * `_destroyed` is Node's own flag on its Timeout objects (set by unenroll on
 * Node 20 and 24); if a future Node drops it, records are only kept longer.
 */
export const timerEnded = (handle: NodeJS.Timeout): boolean => (handle as unknown as { _destroyed?: boolean })._destroyed === true;

export function trackedSetTimeout(tracker: ResourceTracker, fn: () => void, ms?: number): NodeJS.Timeout {
  let forget = () => {};
  const handle = setTimeout(() => {
    forget();
    fn();
  }, ms);
  forget = tracker.add(() => clearTimeout(handle), () => timerEnded(handle));
  return handle;
}

export function trackedSetInterval(tracker: ResourceTracker, fn: () => void, ms?: number): NodeJS.Timeout {
  const handle = setInterval(fn, ms);
  tracker.add(() => clearInterval(handle), () => timerEnded(handle));
  return handle;
}
