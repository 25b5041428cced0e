/**
 * What a role sees: its context. Everything acquired through it is recorded
 * when acquired and released when the role stops (docs/concepts.md).
 * @module
 */
import type { ParamKeyToRecord, ParamKeys } from 'hono/types';
import type { UnionToIntersection } from 'hono/utils/types';
import type { Logger } from '../../logging/logger.js';

export type StatusType = 'ok' | 'info' | 'warn' | 'error';

export interface RoleStatus {
  type: StatusType;
  message?: string;
  /** ISO time of the last change. */
  time: string;
}

/** ctx.setStatus's third argument. */
export interface StatusOptions {
  /** `true`: replace even an error with a lower level; `false`: never lower the level. */
  override?: boolean;
}

/** The methods `ctx.route` takes (any case); `ALL` matches every method. */
export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS' | 'ALL';
export type RouteMethod = HttpMethod | Lowercase<HttpMethod>;

/**
 * The params of a route, read off its path pattern with hono's own types:
 * `/users/:id` gives `{ id: string }`, `/files/:name?` gives `{ name: string | undefined }`,
 * `/posts/:id{[0-9]+}` gives `{ id: string }`. A path that is not a literal gives
 * `Record<string, string>`.
 */
export type RouteParams<Path extends string> = string extends Path
  ? Record<string, string>
  : [ParamKeys<Path>] extends [never]
    ? Record<never, never>
    : { [K in keyof UnionToIntersection<ParamKeyToRecord<ParamKeys<Path>>>]: UnionToIntersection<ParamKeyToRecord<ParamKeys<Path>>>[K] };

export type RouteHandler<Path extends string = string> = (
  request: Request,
  info: { params: RouteParams<Path> },
) => Response | Promise<Response>;

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
  /**
   * Serve HTTP through `rt.fetch`; removed when the role stops. `path` is a hono pattern:
   * `/users/:id`, optional `:id?`, constrained `:id{[0-9]+}`, wildcard `*`.
   */
  route<Path extends string>(method: RouteMethod, path: Path, handler: RouteHandler<Path>): void;
  /**
   * Set the role's status, visible in status(), the admin API and metrics. Prosody's rule: an
   * `error` is replaced only by another `error`, unless `{ override: true }` (`override: false`:
   * never by a lower level). An error the runtime set (a callback failed) shows until the next
   * successful apply, whatever the role sets meanwhile (docs/operations.md, Status).
   */
  setStatus(type: StatusType, message?: string, options?: StatusOptions): void;
  /** The service API of another running role (throws RoleUnavailableError otherwise). */
  service<T = unknown>(name: string): T;
}

/** The per-host part of a shared role (Prosody's module.add_host): a context bound to one host. */
export type HostContext<Conf = unknown> = RoleContext<Conf>;
