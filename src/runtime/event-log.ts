/**
 * Log lines read off the event stream, so that the log and every other
 * reader say the same: each callback at debug level, in one structured shape
 * (`{ role, host, callback, durationMs, ok }`). Failures are logged by the
 * callback gate itself, when they happen, with the error.
 * @module
 */
import type { EventBus } from '../events.js';
import type { Logger } from '../logging/logger.js';

export function logEvents(events: EventBus, log: Logger): void {
  // Decided once, when the runtime is created: with thousands of roles per apply, a listener
  // asking the logger on every callback is a real share of the runtime's own cost.
  if (log.isLevelEnabled?.('debug') === false) return;
  events.on('callback', ({ role, host, callback, durationMs, ok }) => {
    log.debug({ role, host, callback, durationMs, ok }, `${role} ${callback}`);
  });
}
