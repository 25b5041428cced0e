/**
 * Calling role code: every callback has a time limit, the time each call took
 * is logged in one structured shape (`{ role, host, phase, durationMs, ok }`,
 * debug), and a failure is logged when it happens, so that it comes before
 * the state change it causes.
 * @module
 */
import type { Logger } from '../logging/logger.js';
import { TimeoutError, roleLabel } from '../errors.js';
import { logThrown } from '../logging/log-thrown.js';
import { raceTimeLimit } from '../utils/time-limit.js';

export type Phase = 'validate' | 'init' | 'apply' | 'addHost' | 'stop';

export const PHASE_CALLBACK: Record<Phase, string> = {
  validate: 'validateConfig',
  init: 'init',
  apply: 'applyConfig',
  addHost: 'addHost',
  stop: 'stop',
};

/** Which time limit a phase runs under (`addHost` is part of applying). */
export const PHASE_TIMEOUT: Record<Phase, 'validate' | 'init' | 'apply' | 'stop'> = {
  validate: 'validate',
  init: 'init',
  apply: 'apply',
  addHost: 'apply',
  stop: 'stop',
};

export interface CallSite {
  role: string;
  host: string | undefined;
  phase: Phase;
  timeoutMs: number;
  log: Logger;
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
    logCall(site, started, true);
    return result as Awaited<T>;
  } catch (err) {
    logCall(site, started, false);
    logFailure(site, started, err);
    throw err;
  }
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function';
}

function timeoutError(site: CallSite): TimeoutError {
  return new TimeoutError(`${roleLabel(site.role, site.host)} ${PHASE_CALLBACK[site.phase]} timed out after ${site.timeoutMs} ms`);
}

function logCall(site: CallSite, started: number, ok: boolean): void {
  if (site.log.isLevelEnabled?.('debug') === false) return;
  site.log.debug({ role: site.role, host: site.host, phase: site.phase, durationMs: performance.now() - started, ok });
}

/**
 * One line per failed callback: the message says who failed, `err` says why
 * (once). A validateConfig that rejects is a warning: the document is refused
 * and the caller told; every other failure leaves a role not running or not
 * applied, an error.
 */
function logFailure(site: CallSite, started: number, err: unknown): void {
  const callback = PHASE_CALLBACK[site.phase];
  const fields = { role: site.role, host: site.host, callback, durationMs: performance.now() - started };
  // A hostile thrown value must not make the log call throw in place of the role's own error.
  logThrown(site.log, site.phase === 'validate' ? 'warn' : 'error', fields, err, `${roleLabel(site.role, site.host)} ${callback} failed`);
}
