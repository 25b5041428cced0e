/**
 * Cartridge's hot-reload scenarios (test/hotreload in cartridge), in a child
 * node process per scenario, for each loader and each available Node.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { makeApp, matrix, runScenario, type App } from './harness.js';

/** A role file whose behaviour is set by a few knobs, so versions differ only where a test says. */
function roleFile(o: {
  name: string;
  version: number;
  deps?: string[];
  route?: string;
  service?: string;
  onImport?: string;
  init?: string;
  apply?: string;
  stop?: string;
  extra?: string;
}): string {
  return `
${o.onImport ?? ''}
process.__rkEvents?.push('import:${o.name}:v${o.version}');
export default {
  name: ${JSON.stringify(o.name)},
  dependencies: ${JSON.stringify(o.deps ?? [])},
  validateConfig() { process.__rkEvents.push('validate:${o.name}:v${o.version}'); },
  async init(ctx) {
    process.__rkEvents.push('init:${o.name}:v${o.version}');
    ${o.route ? `ctx.route('GET', ${JSON.stringify(o.route)}, () => new Response('${o.name} v${o.version}'));` : ''}
    ${o.init ?? ''}
    return ${o.service ?? `{ version: () => ${o.version} }`};
  },
  applyConfig(conf, ctx) { process.__rkEvents.push('apply:${o.name}:v${o.version}'); ${o.apply ?? ''} },
  stop(ctx) { process.__rkEvents.push('stop:${o.name}:v${o.version}'); ${o.stop ?? ''} },
  ${o.extra ?? ''}
};
`;
}

const START = (roles: string[], enabled: string[], extra = '') => `
const rt = await rolekit.createRuntime({ roles: ${JSON.stringify(roles)}, reloadAllowed: true, loader, logger: log ${extra} });
await rt.applyConfig({ roles: ${JSON.stringify(enabled)} });
const get = async (path) => { const r = await rt.fetch(new Request('http://local' + path)); return r.status + ' ' + (await r.text()); };
`;

describe.each(matrix())('hot reload ($label)', ({ bin, loader }) => {
  let app: App;
  afterEach(() => app?.cleanup());

  it('runs the new code in the order import, validate, init, apply', async () => {
    app = makeApp({ 'roles/a.js': roleFile({ name: 'a', version: 1 }) });
    const { result } = await runScenario(app, { bin, loader }, `
      ${START(['./roles/a.js'], ['a'])}
      write('roles/a.js', ${JSON.stringify(roleFile({ name: 'a', version: 2 }))});
      events.length = 0;
      await rt.reload();
      done({ events, state: rt.state, generation: rt.generation });
      await rt.stop();
    `);
    expect(result).toEqual({
      events: ['import:a:v2', 'validate:a:v2', 'stop:a:v1', 'init:a:v2', 'apply:a:v2'],
      state: 'RolesConfigured',
      generation: 1,
    });
  });

  it('keeps the old code serving when the new module throws on import, and succeeds once fixed', async () => {
    app = makeApp({ 'roles/a.js': roleFile({ name: 'a', version: 1, route: '/a' }) });
    const { result } = await runScenario(app, { bin, loader }, `
      ${START(['./roles/a.js'], ['a'])}
      write('roles/a.js', ${JSON.stringify(roleFile({ name: 'a', version: 2, route: '/a', onImport: "throw new Error('broken on import');" }))});
      const err = await rt.reload().catch((e) => e);
      const during = { state: rt.state, name: err.name, message: err.message, served: await get('/a'), status: rt.status().reload };
      write('roles/a.js', ${JSON.stringify(roleFile({ name: 'a', version: 3, route: '/a' }))});
      await rt.reload();
      done({ during, after: { state: rt.state, served: await get('/a'), generation: rt.generation } });
      await rt.stop();
    `);
    expect(result.during.state).toBe('ReloadError');
    expect(result.during.name).toBe('HotReloadError');
    expect(result.during.message).toContain('broken on import');
    expect(result.during.message).toContain('a.js');
    expect(result.during.served).toBe('200 a v1');
    expect(result.during.status).toMatchObject({ result: 'failed', previousCodeServing: true });
    expect(result.after).toEqual({ state: 'RolesConfigured', served: '200 a v3', generation: 1 });
  });

  it('swaps a dependency between versions: the old one is stopped and unregistered, the new one started', async () => {
    app = makeApp({
      'roles/store.js': roleFile({ name: 'store-a', version: 1 }),
      'roles/api.js': roleFile({ name: 'api', version: 1, deps: ['store-a'] }),
    });
    const { result } = await runScenario(app, { bin, loader }, `
      ${START(['./roles/store.js', './roles/api.js'], ['api'])}
      write('roles/store.js', ${JSON.stringify(roleFile({ name: 'store-b', version: 2 }))});
      write('roles/api.js', ${JSON.stringify(roleFile({ name: 'api', version: 2, deps: ['store-b'] }))});
      events.length = 0;
      await rt.reload();
      done({ events, all: rt.getAllRoles(), enabled: rt.getEnabledRoles(), running: rt.status().roles.map((r) => r.name + ':' + r.running) });
      await rt.stop();
    `);
    expect(result.all).toEqual(['store-b', 'api']);
    expect(result.enabled).toEqual(['store-b', 'api']);
    expect(result.running).toEqual(['store-b:true', 'api:true']);
    expect(result.events.filter((e: string) => e.startsWith('stop'))).toEqual(['stop:api:v1', 'stop:store-a:v1']);
    expect(result.events.filter((e: string) => e.startsWith('init'))).toEqual(['init:store-b:v2', 'init:api:v2']);
  });

  it('makes a service method added in new code callable and a removed one gone', async () => {
    app = makeApp({ 'roles/a.js': roleFile({ name: 'a', version: 1, service: '{ old: () => "old" }' }) });
    const { result } = await runScenario(app, { bin, loader }, `
      ${START(['./roles/a.js'], ['a'])}
      const before = Object.keys(rt.service('a'));
      write('roles/a.js', ${JSON.stringify(roleFile({ name: 'a', version: 2, service: '{ added: () => "added" }' }))});
      await rt.reload();
      const svc = rt.service('a');
      done({ before, after: Object.keys(svc), called: svc.added() });
      await rt.stop();
    `);
    expect(result).toEqual({ before: ['old'], after: ['added'], called: 'added' });
  });

  it('removes the routes of the old code and serves the new ones', async () => {
    app = makeApp({ 'roles/a.js': roleFile({ name: 'a', version: 1, route: '/old' }) });
    const { result } = await runScenario(app, { bin, loader }, `
      ${START(['./roles/a.js'], ['a'])}
      const before = [await get('/old'), await get('/new')];
      write('roles/a.js', ${JSON.stringify(roleFile({ name: 'a', version: 2, route: '/new' }))});
      await rt.reload();
      done({ before, after: [await get('/old'), await get('/new')] });
      await rt.stop();
    `);
    expect(result).toEqual({ before: ['200 a v1', '404 Not Found\n'], after: ['404 Not Found\n', '200 a v2'] });
  });

  it('removes globals created on import and in applyConfig unless whitelisted', async () => {
    const v1 = roleFile({
      name: 'a', version: 1,
      onImport: 'globalThis.__rkImported = 1; globalThis.__rkKept = 1;',
      apply: 'globalThis.__rkApplied = 1;',
      extra: "whitelistGlobals: ['__rkKept'],",
    });
    app = makeApp({ 'roles/a.js': v1 });
    const { result } = await runScenario(app, { bin, loader }, `
      ${START(['./roles/a.js'], ['a'])}
      const before = ['__rkImported', '__rkKept', '__rkApplied'].filter((k) => k in globalThis);
      write('roles/a.js', ${JSON.stringify(roleFile({ name: 'a', version: 2 }))});
      await rt.reload();
      done({ before, after: ['__rkImported', '__rkKept', '__rkApplied'].filter((k) => k in globalThis) });
      await rt.stop();
    `);
    expect(result).toEqual({ before: ['__rkImported', '__rkKept', '__rkApplied'], after: ['__rkKept'] });
  });

  it('stops the intervals of the old code', async () => {
    const ticking = (v: number) =>
      roleFile({ name: 'a', version: v, init: `ctx.setInterval(() => { process.__rkTicks[${v}] = (process.__rkTicks[${v}] ?? 0) + 1; }, 5);` });
    app = makeApp({ 'roles/a.js': ticking(1) });
    const { result } = await runScenario(app, { bin, loader }, `
      process.__rkTicks = {};
      ${START(['./roles/a.js'], ['a'])}
      await new Promise((r) => setTimeout(r, 60));
      write('roles/a.js', ${JSON.stringify(ticking(2))});
      await rt.reload();
      const v1AtReload = process.__rkTicks[1];
      await new Promise((r) => setTimeout(r, 80));
      done({ v1AtReload, v1Later: process.__rkTicks[1], v2: process.__rkTicks[2] });
      await rt.stop();
    `);
    expect(result.v1AtReload).toBeGreaterThan(0);
    expect(result.v1Later).toBe(result.v1AtReload);
    expect(result.v2).toBeGreaterThan(0);
  });

  it('rolls back to the previous code with its restored state when the new init throws', async () => {
    const counter = (v: number, init = '') =>
      roleFile({
        name: 'a', version: v, route: '/a',
        init: `ctx.__n = (ctx.restored?.n ?? 0); process.__rkRestored.push(['v${v}', ctx.isReload, ctx.restored ?? null]); ${init}`,
        stop: 'return { n: 41 };',
      });
    app = makeApp({ 'roles/a.js': counter(1) });
    const { result } = await runScenario(app, { bin, loader }, `
      process.__rkRestored = [];
      ${START(['./roles/a.js'], ['a'])}
      write('roles/a.js', ${JSON.stringify(counter(2, "throw new Error('v2 init broke');"))});
      const err = await rt.reload().catch((e) => e);
      const failed = { state: rt.state, name: err.name, message: err.message, reload: rt.status().reload, served: await get('/a'), generation: rt.generation };
      write('roles/a.js', ${JSON.stringify(counter(3))});
      await rt.reload();
      done({ failed, restored: process.__rkRestored, after: { state: rt.state, generation: rt.generation, served: await get('/a') } });
      await rt.stop();
    `);
    expect(result.failed.state).toBe('ReloadError');
    expect(result.failed.name).toBe('HotReloadError');
    expect(result.failed.message).toContain('rolled back');
    expect(result.failed.message).toContain('v2 init broke');
    expect(result.failed.reload).toMatchObject({ result: 'rolled-back', previousCodeServing: true });
    expect(result.failed.served).toBe('200 a v1');
    expect(result.failed.generation).toBe(0);
    expect(result.restored).toEqual([
      ['v1', false, null],
      ['v2', true, { n: 41 }],
      ['v1', true, { n: 41 }],
      ['v3', true, { n: 41 }],
    ]);
    expect(result.after).toEqual({ state: 'RolesConfigured', generation: 1, served: '200 a v3' });
  });

  it('carries a counter through stop and ctx.restored across 10 reloads', async () => {
    const file = (v: number) =>
      roleFile({ name: 'a', version: v, onImport: 'let n = 0;', init: 'n = (ctx.restored?.n ?? 0) + 1;', stop: 'return { n };', service: '{ n: () => n }' });
    app = makeApp({ 'roles/a.js': file(0) });
    const { result } = await runScenario(app, { bin, loader }, `
      ${START(['./roles/a.js'], ['a'])}
      for (let i = 1; i <= 10; i++) {
        write('roles/a.js', ${JSON.stringify(file(0))}.replace('v0', 'v' + i));
        await rt.reload();
      }
      done({ n: rt.service('a').n(), generation: rt.generation });
      await rt.stop();
    `);
    expect(result).toEqual({ n: 11, generation: 10 });
  });

  it('lists a helper edited two imports deep with its role, and update() restarts only that role', async () => {
    app = makeApp({
      'lib/deep.js': 'export const word = "one";\n',
      'lib/mid.js': 'export { word } from "./deep.js";\n',
      'roles/a.js': `import { word } from '../lib/mid.js';\n${roleFile({ name: 'a', version: 1, service: '{ word: () => word }' })}`,
      'roles/b.js': roleFile({ name: 'b', version: 1 }),
    });
    const { result } = await runScenario(app, { bin, loader }, `
      ${START(['./roles/a.js', './roles/b.js'], ['a', 'b'])}
      const clean = await rt.updateList();
      write('lib/deep.js', 'export const word = "two";\\n');
      const listed = await rt.updateList();
      const updated = await rt.update();
      done({
        clean, listed: { files: listed.files.map((f) => f.slice(dir.length + 1)), roles: listed.roles },
        updated, word: rt.service('a').word(), inits: events.filter((e) => e.startsWith('init')), after: await rt.updateList(),
      });
      await rt.stop();
    `);
    expect(result.clean).toEqual({ files: [], roles: [] });
    expect(result.listed).toEqual({ files: ['lib/deep.js'], roles: ['a'] });
    expect(result.updated).toEqual({ roles: ['a'] });
    expect(result.word).toBe('two');
    expect(result.inits).toEqual(['init:a:v1', 'init:b:v1', 'init:a:v1']);
    expect(result.after).toEqual({ files: [], roles: [] });
  });

  it('reloads only the named roles and the roles that depend on them', async () => {
    app = makeApp({
      'roles/base.js': roleFile({ name: 'base', version: 1 }),
      'roles/mid.js': roleFile({ name: 'mid', version: 1, deps: ['base'] }),
      'roles/top.js': roleFile({ name: 'top', version: 1, deps: ['mid'] }),
      'roles/other.js': roleFile({ name: 'other', version: 1 }),
    });
    const { result } = await runScenario(app, { bin, loader }, `
      ${START(['./roles/base.js', './roles/mid.js', './roles/top.js', './roles/other.js'], ['top', 'other'])}
      events.length = 0;
      await rt.reload({ roles: ['mid'] });
      done({ events });
      await rt.stop();
    `);
    expect(result.events).toEqual([
      'import:mid:v1', 'import:top:v1',
      'validate:base:v1', 'validate:mid:v1', 'validate:top:v1', 'validate:other:v1',
      'stop:top:v1', 'stop:mid:v1',
      'apply:base:v1', 'init:mid:v1', 'apply:mid:v1', 'init:top:v1', 'apply:top:v1', 'apply:other:v1',
    ]);
  });
});
