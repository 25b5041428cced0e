/**
 * Calling role code: every callback has a time limit, and the time each call
 * took is logged in one structured shape (`{ role, host, phase, durationMs, ok }`).
 * @module
 */
import type { Logger } from 'pino';
import { TimeoutError } from '../errors.js';

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
 */
export async function callRole<T>(site: CallSite, fn: () => T | Promise<T>): Promise<Awaited<T>> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const who = site.host ? `Role "${site.role}" on host "${site.host}"` : `Role "${site.role}"`;
  try {
    const result = await Promise.race([
      Promise.resolve().then(fn),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new TimeoutError(`${who} ${PHASE_CALLBACK[site.phase]} timed out after ${site.timeoutMs} ms`)),
          site.timeoutMs,
        );
      }),
    ]);
    site.log.debug({ role: site.role, host: site.host, phase: site.phase, durationMs: performance.now() - started, ok: true });
    return result as Awaited<T>;
  } catch (err) {
    site.log.debug({ role: site.role, host: site.host, phase: site.phase, durationMs: performance.now() - started, ok: false });
    throw err;
  } finally {
    clearTimeout(timer);
  }
}
