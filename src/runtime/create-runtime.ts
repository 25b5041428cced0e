/**
 * `createRuntime`: resolve and register the roles, then assemble the parts.
 * @module
 */
import { createRequire } from 'node:module';
import { resolve as resolvePath } from 'node:path';
import { RouteTable } from '../http/route-table.js';
import { RequestHold } from '../http/request-hold.js';
import { createFetch } from '../http/fetch-handler.js';
import { createLoader } from '../loading/create-loader.js';
import { lazyLoader } from '../loading/lazy-loader.js';
import { resolveRoleSources } from '../reload/role-sources.js';
import { runningCode, type RunningCode } from '../reload/running-code.js';
import { EventBus, type EventBody } from '../events.js';
import { logThrown } from '../logging/log-thrown.js';
import { logEvents } from './event-log.js';
import { GlobalsTracker } from '../reload/globals.js';
import { Reloader } from '../reload/reloader.js';
import { createLogger } from '../logging/create-logger.js';
import { RoleEngine } from '../engine/engine.js';
import type { RuntimeOptions } from './options.js';
import { resolveTimeLimit, resolveTimeouts } from '../engine/timeouts.js';
import { Runtime } from './runtime.js';
import { watchRoleCode } from './watch-role-code.js';

/**
 * Create a runtime for a set of roles. Registration errors reject with
 * RegisterRoleError; nothing runs until the first `applyConfig`.
 *
 * @example
 * const rt = await createRuntime({ roles: [storage, './roles/api.js'], reloadAllowed: true });
 * await rt.applyConfig({ roles: ['api'], config: { api: { port: 8080 } } });
 */
export async function createRuntime(options: RuntimeOptions): Promise<Runtime> {
  if (options.watch && !options.reloadAllowed) {
    // Every change would end in "This application forbids reloading roles": say so once, now.
    throw new TypeError('createRuntime: watch: true needs reloadAllowed: true');
  }
  const log = createLogger(options.logger);
  const timeouts = resolveTimeouts(options.timeouts);
  const holdTimeoutMs = resolveTimeLimit('requestHoldTimeout', options.requestHoldTimeout);
  const baseDir = options.baseDir ?? process.cwd();
  // Files the application loaded before createRuntime are shared by every version (Cartridge:
  // "modules loaded before cartridge.cfg are not affected"). Node lists the CommonJS ones;
  // ES modules it cannot list, so those are named in options.shared.
  const shared = [...(options.shared ?? []).map((file) => resolvePath(baseDir, file)), ...Object.keys(createRequire(import.meta.url).cache)];
  const loader = lazyLoader(() => createLoader(options.loader ?? 'managed', { shared }));

  const globals = new GlobalsTracker();
  let code: RunningCode;
  try {
    const sources = await resolveRoleSources(options.roles, loader.get, baseDir, (load) =>
      globals.load(load, (mods) => mods.map((m) => m.role)),
    );
    code = runningCode(sources);
  } catch (err) {
    // Nothing will ever stop this runtime: undo what the loader did to the process now.
    await loader.close();
    throw err;
  }
  const routes = new RouteTable();
  const hold = new RequestHold();
  const events = new EventBus((err, event) => logThrown(log, 'warn', { event: event.type }, err, 'event listener failed'));
  const emit = (event: EventBody) => events.emit(event);
  logEvents(events, log);
  // Only roles from module files get their globals tracked; the tracker knows which (it saw them load).
  const engine = new RoleEngine({ log, timeouts, routes, emit, scope: (role, fn) => globals.scope(role, fn) });
  const reloader = new Reloader({ engine, baseDir, loader, routes, hold, globals, log, emit });
  const fetch = createFetch({ routes, hold, holdTimeoutMs, log });
  const rt = new Runtime(options, { log, fetch, engine, reloader, loader, events, code });

  if (options.watch) watchRoleCode(rt, log, loader);
  return rt;
}
