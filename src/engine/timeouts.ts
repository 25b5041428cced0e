/**
 * Time limits of role callbacks and of draining, and how `createRuntime`
 * reads them: every limit has a default, `Infinity` means none, and a limit
 * that would silently mean "at once" is refused.
 * @module
 */

/** Time limits in ms; `Infinity` means no limit. */
export interface Timeouts {
  validate: number;
  init: number;
  apply: number;
  stop: number;
  /** How long a stopping role's requests in flight may take before they get 503 and the stop goes on. */
  drain: number;
}

export const DEFAULT_TIMEOUT_MS = 10_000;

const LIMITS = ['validate', 'init', 'apply', 'stop', 'drain'] as const satisfies readonly (keyof Timeouts)[];

/** Every time limit with its default; a limit that is refused throws (TypeError, RangeError) naming the option. */
export function resolveTimeouts(partial: Partial<Timeouts> | undefined): Timeouts {
  if (partial !== undefined && (partial === null || typeof partial !== 'object')) {
    throw new TypeError(`createRuntime: timeouts must be an object of time limits (${LIMITS.join(', ')})`);
  }
  // A misspelt limit (aply) would silently leave the default in place: say so.
  for (const key of Object.keys(partial ?? {})) {
    if (!(LIMITS as readonly string[]).includes(key)) {
      throw new TypeError(`createRuntime: unknown time limit timeouts.${key} (the limits are ${LIMITS.join(', ')})`);
    }
  }
  return {
    validate: resolveTimeLimit('timeouts.validate', partial?.validate),
    init: resolveTimeLimit('timeouts.init', partial?.init),
    apply: resolveTimeLimit('timeouts.apply', partial?.apply),
    stop: resolveTimeLimit('timeouts.stop', partial?.stop),
    drain: resolveTimeLimit('timeouts.drain', partial?.drain),
  };
}

/**
 * One time limit: left out, the default; `Infinity`, no limit; otherwise a
 * number of ms, 0 or more. A limit that is not a number (NaN included) or is
 * negative would silently mean "time out at once", so it is refused here,
 * before anything runs.
 */
export function resolveTimeLimit(name: string, value: unknown): number {
  if (value === undefined) return DEFAULT_TIMEOUT_MS;
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new TypeError(`createRuntime: ${name} must be a number of ms or Infinity, got ${describeValue(value)}`);
  }
  if (value < 0) throw new RangeError(`createRuntime: ${name} must be 0 or more (Infinity: no limit), got ${value}`);
  return value;
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint' || value === null) return String(value);
  return typeof value;
}
