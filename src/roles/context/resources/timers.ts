/** Timers through the context: cleared when the role stops. @module */
import type { ResourceTracker } from './tracker.js';

export function trackedSetTimeout(tracker: ResourceTracker, fn: () => void, ms?: number): NodeJS.Timeout {
  let forget = () => {};
  const handle = setTimeout(() => {
    forget();
    fn();
  }, ms);
  forget = tracker.add(() => clearTimeout(handle));
  return handle;
}

export function trackedSetInterval(tracker: ResourceTracker, fn: () => void, ms?: number): NodeJS.Timeout {
  const handle = setInterval(fn, ms);
  tracker.add(() => clearInterval(handle));
  return handle;
}
