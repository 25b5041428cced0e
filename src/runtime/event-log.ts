/**
 * Log lines read off the event stream, so that the log and every other
 * reader say the same: one line per reload whatever its outcome (`{ result,
 * roles, generation, durationMs, previousCodeServing, error? }`), and each
 * callback at debug level, in one
 * structured shape (`{ role, host, callback, durationMs, ok }`). Failures are
 * logged by the callback gate itself, when they happen, with the error.
 * @module
 */
import type { EventBus } from '../events.js';
import type { Logger } from '../logging/logger.js';

export function logEvents(events: EventBus, log: Logger): void {
  // Info, whatever the result: a reload that did not succeed also puts the runtime in ReloadError,
  // and that state change is the warning carrying the whole error (state-log.ts), once.
  events.on('reload', ({ result, roles, generation, durationMs, previousCodeServing, error }) => {
    const fields = { result, roles, generation, durationMs, previousCodeServing, ...(error ? { error } : {}) };
    log.info(fields, `reload ${result}: ${roles.join(', ') || 'no roles'} (${durationMs.toFixed(1)} ms)`);
  });
  // Decided once, when the runtime is created: with thousands of roles per apply, a listener
  // asking the logger on every callback is a real share of the runtime's own cost.
  if (log.isLevelEnabled?.('debug') === false) return;
  events.on('callback', ({ role, host, callback, durationMs, ok }) => {
    log.debug({ role, host, callback, durationMs, ok }, `${role} ${callback}`);
  });
}
