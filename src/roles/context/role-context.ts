/**
 * Builds a role instance's context and owns its resource record.
 * @module
 */
import type { Logger } from '../../logging/logger.js';
import type { RoleContext, RouteHandler, StatusOptions, StatusType } from './types.js';
import type { RouteTable } from '../../http/route-table.js';
import { ResourceTracker } from './resources/tracker.js';
import { trackedSetInterval, trackedSetTimeout } from './resources/timers.js';
import { trackedListen } from './resources/listeners.js';
import { trackedRoute } from './resources/routes.js';
import { createStopSignal } from './resources/abort.js';
import { InFlightGate } from '../../http/in-flight.js';

export interface RoleContextOptions {
  name: string;
  host: string | undefined;
  config: unknown;
  isReload: boolean;
  restored: unknown;
  log: Logger;
  routes: RouteTable;
  setStatus(type: StatusType, message?: string, options?: StatusOptions): void;
  service(name: string, host: string | undefined): unknown;
}

export interface OwnedRoleContext {
  ctx: RoleContext;
  /** Replace `ctx.config` (each apply hands the role its newly parsed section). */
  setConfig(config: unknown): void;
  /** Abort `ctx.signal` (the role starts stopping); `release` aborts too. */
  abort(): void;
  /** The gate every route of this context shares: closed and drained before the role stops. */
  readonly gate: InFlightGate;
  /**
   * Abort the signal, then release every recorded resource, newest first; returns what disposers threw.
   * A disposer still pending after `timeoutMs` is given up on.
   */
  release(timeoutMs?: number): Promise<unknown[]>;
}

export function createRoleContext(options: RoleContextOptions): OwnedRoleContext {
  const tracker = new ResourceTracker();
  const stop = createStopSignal();
  const gate = new InFlightGate();
  const owner = { role: options.name, host: options.host, gate };
  let config = options.config;

  const ctx: RoleContext = {
    name: options.name,
    host: options.host,
    get config() {
      return config;
    },
    isReload: options.isReload,
    restored: options.restored,
    signal: stop.signal,
    log: options.log,
    setTimeout: (fn, ms) => trackedSetTimeout(tracker, fn, ms),
    setInterval: (fn, ms) => trackedSetInterval(tracker, fn, ms),
    listen: (emitter, event, handler) => trackedListen(tracker, emitter, event, handler),
    onDispose(fn) {
      tracker.add(fn);
    },
    // The table holds handlers of every path; params are typed for the caller only.
    route: (method, path, handler) => trackedRoute(tracker, options.routes, owner, method, path, handler as RouteHandler),
    setStatus: (type, message, statusOptions) => options.setStatus(type, message, statusOptions),
    service: (name) => options.service(name, options.host) as never,
  };

  return {
    ctx,
    setConfig(next) {
      config = next;
    },
    abort() {
      stop.abort();
    },
    gate,
    async release(timeoutMs) {
      stop.abort();
      return tracker.dispose(timeoutMs);
    },
  };
}
