/**
 * What a role sees: its context. Everything acquired through it is recorded
 * when acquired and released when the role stops (API.md section 1).
 * @module
 */
import type { Logger } from '../../logging/logger.js';

export type StatusType = 'ok' | 'info' | 'warn' | 'error';

export interface RoleStatus {
  type: StatusType;
  message?: string;
  /** ISO time of the last change. */
  time: string;
}

export type RouteHandler = (request: Request, info: { params: Record<string, string> }) => Response | Promise<Response>;

/** Anything `ctx.listen` can attach to: a Node EventEmitter or a web EventTarget. */
export type Listenable =
  | { on(event: string | symbol, handler: (...args: any[]) => void): unknown; off(event: string | symbol, handler: (...args: any[]) => void): unknown }
  | { addEventListener(event: string, handler: (...args: any[]) => void): unknown; removeEventListener(event: string, handler: (...args: any[]) => void): unknown };

export interface RoleContext<Conf = unknown> {
  /** Role name. */
  readonly name: string;
  /** Host name for host-scoped parts; `undefined` for global ones. */
  readonly host: string | undefined;
  /** The parsed section currently being applied. */
  readonly config: Conf;
  /** True inside an `init` that follows a code reload. */
  readonly isReload: boolean;
  /** The previous version's `stop` return value (reload only). */
  readonly restored: unknown;
  /** Aborted when the role stops. */
  readonly signal: AbortSignal;
  /** A logger bound to the role (and host). */
  readonly log: Logger;
  /** Like the global; cleared automatically when the role stops. */
  setTimeout(fn: () => void, ms?: number): NodeJS.Timeout;
  /** Like the global; cleared automatically when the role stops. */
  setInterval(fn: () => void, ms?: number): NodeJS.Timeout;
  /** `emitter.on(event, handler)`, removed automatically when the role stops. */
  listen(emitter: Listenable, event: string, handler: (...args: any[]) => void): void;
  /** Run `fn` when the role stops, after its own `stop` (last registered runs first). */
  onDispose(fn: () => unknown): void;
  /** Serve HTTP through `rt.fetch`; removed when the role stops. */
  route(method: string, path: string, handler: RouteHandler): void;
  /** Set the role's status, visible in status(), the admin API and metrics. */
  setStatus(type: StatusType, message?: string): void;
  /** The service API of another running role (throws RoleUnavailableError otherwise). */
  service<T = any>(name: string): T;
}

/** The per-host part of a shared role (Prosody's module.add_host): a context bound to one host. */
export type HostContext<Conf = unknown> = RoleContext<Conf>;
