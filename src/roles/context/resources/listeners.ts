/** Event listeners through the context: removed when the role stops. @module */
import type { ResourceTracker } from './tracker.js';
import type { Listenable } from '../types.js';

export function trackedListen(
  tracker: ResourceTracker,
  emitter: Listenable,
  event: string,
  handler: (...args: any[]) => void,
): void {
  if ('on' in emitter && typeof emitter.on === 'function') {
    emitter.on(event, handler);
    tracker.add(() => emitter.off(event, handler));
  } else if ('addEventListener' in emitter && typeof emitter.addEventListener === 'function') {
    emitter.addEventListener(event, handler);
    tracker.add(() => emitter.removeEventListener(event, handler));
  } else {
    throw new TypeError('ctx.listen needs an EventEmitter or an EventTarget');
  }
}
