/**
 * The log line of a state change. Entering an error state is a warning that
 * carries the error that put the runtime there: for a reload that failed
 * before any role was touched (a file that does not parse), it is the only
 * line saying why.
 * @module
 */
import type { LifecycleStateName } from '../machines/lifecycle.js';
import type { Logger } from '../logging/logger.js';
import { logThrown } from '../logging/log-thrown.js';

const ERROR_STATES: ReadonlySet<LifecycleStateName> = new Set(['OperationError', 'ReloadError']);

export function logStateChange(log: Logger, change: { state: LifecycleStateName; prev: LifecycleStateName; error?: unknown }): void {
  const msg = `${change.prev} -> ${change.state}`;
  if (ERROR_STATES.has(change.state)) logThrown(log, 'warn', { from: change.prev, to: change.state }, change.error, msg);
  else log.info({ from: change.prev, to: change.state }, msg);
}
