/**
 * Logging what role code threw. pino serialises `err` (and its `cause`) by
 * reading its properties, so a hostile value (a revoked Proxy, a throwing
 * `message` getter, an Error whose `cause` is one) makes the log call itself
 * throw, in the middle of an error path whose clean-up then never runs.
 * rolekit's own log calls for thrown values go through here: they never throw,
 * whatever the value and whatever serializers the logger has.
 * @module
 */
import { errorSummary } from '../thrown.js';

type Level = 'info' | 'warn' | 'error';
export type FailureLogger = { [L in Level]: (fields: object, msg: string) => void };

export function logThrown(log: FailureLogger, level: Level, fields: object, err: unknown, msg: string): void {
  try {
    log[level]({ ...fields, err }, msg);
    return;
  } catch {
    // The logger could not serialise the value: log what can be said about it instead.
  }
  try {
    log[level]({ ...fields, err: errorSummary(err) }, msg);
  } catch {
    // A logger that throws even for plain strings: the error path matters more than this line.
  }
}
