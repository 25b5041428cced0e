/**
 * What `createRuntime` accepts, and its defaults.
 * @module
 */
import type { InspectionEvent, Observer } from 'xstate';
import type { AnyRole } from '../roles/role.js';
import type { RoleLoader } from '../loading/types.js';
import type { LoggerOption } from '../logging/logger.js';
import type { Timeouts } from '../engine/timeouts.js';

/** A role object (never reloaded) or a module specifier whose default export is a role. */
export type RoleEntry = AnyRole | string | URL;

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
  /**
   * Observer of xstate inspection events of the lifecycle actor, as xstate's `createActor`
   * takes it: a function, or an observer such as `@statelyai/inspect`'s `inspector.inspect`.
   */
  inspect?: Observer<InspectionEvent> | ((event: InspectionEvent) => void);
}
