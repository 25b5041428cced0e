/**
 * What `createRuntime` accepts, and its defaults.
 * @module
 */
import type { Logger } from 'pino';
import type { InspectionEvent } from 'xstate';
import type { AnyRole } from '../roles/role.js';
import type { RoleLoader } from '../loading/types.js';

/** A role object (never reloaded) or a module specifier whose default export is a role. */
export type RoleEntry = AnyRole | string | URL;

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
  /** Per-callback time limits in ms (default 10 000 each). */
  timeouts?: Partial<Timeouts>;
  /** How long rt.fetch holds a request while its role is swapped (default 10 000 ms), then 503. */
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
  /** A pino logger; default: pino at level $ROLEKIT_LOG_LEVEL or 'info'. */
  logger?: Logger;
  /** Observer of xstate inspection events of the lifecycle actor. */
  inspect?: (event: InspectionEvent) => void;
}

export const DEFAULT_TIMEOUT_MS = 10_000;

export function resolveTimeouts(partial: Partial<Timeouts> | undefined): Timeouts {
  return {
    validate: partial?.validate ?? DEFAULT_TIMEOUT_MS,
    init: partial?.init ?? DEFAULT_TIMEOUT_MS,
    apply: partial?.apply ?? DEFAULT_TIMEOUT_MS,
    stop: partial?.stop ?? DEFAULT_TIMEOUT_MS,
    drain: partial?.drain ?? DEFAULT_TIMEOUT_MS,
  };
}
