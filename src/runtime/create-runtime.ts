/**
 * `createRuntime`: resolve and register the roles, then assemble the parts.
 * @module
 */
import { createRequire } from 'node:module';
import { resolve as resolvePath } from 'node:path';
import { pino } from 'pino';
import { RouteTable } from '../http/route-table.js';
import { RequestHold } from '../http/request-hold.js';
import { createFetch } from '../http/serve.js';
import { createLoader } from '../loading/create-loader.js';
import type { RoleLoader } from '../loading/types.js';
import { resolveRoleSources } from '../loading/role-sources.js';
import { RoleRegistry } from '../roles/registry.js';
import { GlobalsTracker } from '../reload/globals.js';
import { Reloader } from '../reload/reloader.js';
import { RoleEngine } from './engine.js';
import { resolveTimeouts, type RuntimeOptions } from './options.js';
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
  const log = options.logger ?? pino({ name: 'rolekit', level: process.env.ROLEKIT_LOG_LEVEL ?? 'info' });
  const timeouts = resolveTimeouts(options.timeouts);
  const baseDir = options.baseDir ?? process.cwd();
  let loader: Promise<RoleLoader> | undefined;
  // Files the application loaded before createRuntime are shared by every version (Cartridge:
  // "modules loaded before cartridge.cfg are not affected"). Node lists the CommonJS ones;
  // ES modules it cannot list, so those are named in options.shared.
  const shared = [...(options.shared ?? []).map((file) => resolvePath(baseDir, file)), ...Object.keys(createRequire(import.meta.url).cache)];
  const getLoader = () => (loader ??= createLoader(options.loader ?? 'managed', { shared }));

  const globals = new GlobalsTracker();
  const sources = await resolveRoleSources(options.roles, getLoader, baseDir, (load) =>
    globals.load(load, (mods) => mods.map((m) => m.role)),
  );
  const registry = new RoleRegistry(sources.map((s) => s.role));
  const routes = new RouteTable();
  const hold = new RequestHold();
  // eslint-disable-next-line prefer-const
  let reloader: Reloader;
  const engine = new RoleEngine({
    log,
    timeouts,
    routes,
    scope: (role, fn) => (reloader.isModuleRole(role) ? globals.scope(role, fn) : fn()),
  });
  reloader = new Reloader({
    sources,
    registry,
    engine,
    loader: getLoader,
    routes,
    hold,
    globals,
    log,
    validateTimeoutMs: timeouts.validate,
  });
  const fetch = createFetch({ routes, hold, holdTimeoutMs: options.requestHoldTimeout ?? 10_000, log });
  const rt = new Runtime(options, { log, timeouts, fetch, engine, reloader });

  if (options.watch) watchRoleCode(rt, reloader, log);
  return rt;
}
