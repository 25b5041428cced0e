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
  events.on('callback', ({ role, host, callback, durationMs, ok }) => {
    // With thousands of roles per apply, building a debug line nobody reads is most of the cost.
    if (log.isLevelEnabled?.('debug') === false) return;
    log.debug({ role, host, callback, durationMs, ok }, `${role} ${callback}`);
  });
}
