/**
 * What `createRuntime` accepts, and its defaults.
 * @module
 */
import type { InspectionEvent } from 'xstate';
import type { AnyRole } from '../roles/role.js';
import type { RoleLoader } from '../loading/types.js';
import type { LoggerOption } from '../logging/logger.js';

/** A role object (never reloaded) or a module specifier whose default export is a role. */
export type RoleEntry = AnyRole | string | URL;

/** Time limits in ms; `Infinity` means no limit. */
export interface Timeouts {
  validate: number;
  init: number;
  apply: number;
  stop: number;
  /** How long a stopping role's requests in flight may take before they get 503 and the stop goes on. */
  drain: number;
}

export interface RuntimeOptions {
  roles: readonly RoleEntry[];
  /** Cartridge roles_reload_allowed; default false. */
  reloadAllowed?: boolean;
  /** How module roles are loaded: 'managed' (default), 'native', or a loader of your own. */
  loader?: 'managed' | 'native' | RoleLoader;
  /** Time limits in ms (default 10 000 each; `Infinity`: no limit). */
  timeouts?: Partial<Timeouts>;
  /** How long rt.fetch holds a request while its role is swapped (default 10 000 ms; `Infinity`: no limit), then 503. */
  requestHoldTimeout?: number;
  /** Reload changed role code automatically. */
  watch?: boolean;
  /** Where relative module specifiers are resolved from (default: process.cwd()). */
  baseDir?: string;
  /**
   * Application files shared by every version of role code (never re-evaluated), relative to
   * baseDir or absolute: ES modules the application imported itself before createRuntime.
   * CommonJS files already loaded then are shared without being listed.
   */
  shared?: readonly string[];
  /**
   * fastify's convention: `false` silent; `true` info-level pino JSON on stdout; pino options;
   * a pino(-compatible) logger, used as given; or `console`. Left out: warnings and errors only,
   * on stderr. ROLEKIT_LOG_LEVEL sets the level of the loggers rolekit builds (README, Logging).
   */
  logger?: LoggerOption;
  /** Observer of xstate inspection events of the lifecycle actor. */
  inspect?: (event: InspectionEvent) => void;
}

export const DEFAULT_TIMEOUT_MS = 10_000;

/** Every time limit with its default; a limit that is refused throws (TypeError, RangeError) naming the option. */
export function resolveTimeouts(partial: Partial<Timeouts> | undefined): Timeouts {
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
