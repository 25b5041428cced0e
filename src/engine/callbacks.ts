/**
 * Calling role code: one gate for every callback. Each call has a time limit,
 * is reported as a `callback` event (role, host, callback, duration, outcome),
 * and a failure is logged when it happens, so that it comes before the state
 * change it causes.
 * @module
 */
import type { Logger } from '../logging/logger.js';
import { TimeoutError, roleLabel } from '../errors.js';
import { callbackEvent, instanceRef, type EventBody, type RoleCallback } from '../events.js';
import { logThrown } from '../logging/log-thrown.js';
import { raceTimeLimit } from '../utils/time-limit.js';
import { isPromiseLike } from '../utils/promise.js';
import type { Timeouts } from './timeouts.js';

/** Which time limit a callback runs under (`addHost` and `onApplyConfig` are part of applying). */
export const TIMEOUT_OF: Record<RoleCallback, keyof Omit<Timeouts, 'drain'>> = {
  validateConfig: 'validate',
  init: 'init',
  applyConfig: 'apply',
  addHost: 'apply',
  stop: 'stop',
  onApplyConfig: 'apply',
};

export interface CallSite {
  role: string;
  host: string | undefined;
  callback: RoleCallback;
  timeoutMs: number;
  log: Logger;
  emit: (event: EventBody) => void;
}

/**
 * Run `fn` and settle within `site.timeoutMs`. A callback that does not settle
 * in time fails with a TimeoutError naming the role and the callback; what it
 * does later is ignored (its context is released by the caller).
 *
 * Only a callback that returns a promise gets a timer: a synchronous one has
 * already settled (nothing could interrupt it anyway), and with thousands of
 * roles per apply the timers were half of the runtime's own cost.
 */
export async function callRole<T>(site: CallSite, fn: () => T | Promise<T>): Promise<Awaited<T>> {
  const started = performance.now();
  try {
    let result = fn() as unknown;
    if (isPromiseLike(result)) {
      result = await raceTimeLimit(result, site.timeoutMs, () => {
        throw timeoutError(site);
      });
    }
    site.emit(callbackEvent(instanceRef(site.role, site.host), site.callback, performance.now() - started));
    return result as Awaited<T>;
  } catch (err) {
    const durationMs = performance.now() - started;
    logFailure(site, durationMs, err);
    site.emit(callbackEvent(instanceRef(site.role, site.host), site.callback, durationMs, err, true));
    throw err;
  }
}

function timeoutError(site: CallSite): TimeoutError {
  return new TimeoutError(`${roleLabel(site.role, site.host)} ${site.callback} timed out after ${site.timeoutMs} ms`);
}

/**
 * One line per failed callback: the message says who failed, `err` says why
 * (once). A validateConfig that rejects is a warning: the document is refused
 * and the caller told; every other failure leaves a role not running or not
 * applied, an error.
 */
function logFailure(site: CallSite, durationMs: number, err: unknown): void {
  const { callback } = site;
  const fields = { role: site.role, host: site.host, callback, durationMs };
  // A hostile thrown value must not make the log call throw in place of the role's own error.
  const level = callback === 'validateConfig' || callback === 'onApplyConfig' ? 'warn' : 'error';
  logThrown(site.log, level, fields, err, `${roleLabel(site.role, site.host)} ${callback} failed`);
}
