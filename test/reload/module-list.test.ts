/**
 * `reload({ modules, config })`: the set of role modules changes while the
 * service runs (what `rolekit start` does when a file's `modules` list
 * changed), with the document that goes with it, as one transaction: the new
 * modules are loaded and the new document validated against the new code
 * before any old role stops; a rejected or rolled-back reload leaves the old
 * modules and the old document running. In process with the managed loader;
 * the main case also in child processes over every Node and loader.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRuntime, HotReloadError, type Runtime } from '../../src/index.js';
import { silent } from '../helpers.js';
import { ROOT, makeApp, matrix, runScenario, type App } from './harness.js';

let dir: string | undefined;
let rt: Runtime | undefined;
afterEach(async () => {
  await rt?.stop();
  rt = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** A role module that records its calls in an array the test owns (defined before any role loads). */
const role = (name: string, extra = '') =>
  `const calls = globalThis.__moduleListCalls;
   export default { name: '${name}', ${extra}
     init(ctx) { calls.push('init ${name}'); ctx.route('GET', '/${name}', () => new Response('${name}')); },
     stop() { calls.push('stop ${name}'); } };`;

function files(entries: Record<string, string>): string {
  mkdirSync(join(ROOT, '.tmp'), { recursive: true });
  dir = mkdtempSync(join(ROOT, '.tmp', 'module-list-'));
  for (const [name, code] of Object.entries(entries)) writeFileSync(join(dir, name), code);
  return dir;
}
const calls = () => (globalThis as { __moduleListCalls?: string[] }).__moduleListCalls!;
beforeEach(() => {
  (globalThis as { __moduleListCalls?: string[] }).__moduleListCalls = [];
});
const body = async (path: string) => {
  const res = await rt!.fetch(new Request(`http://x${path}`));
  return res.status === 200 ? res.text() : res.status;
};

describe('reload({ modules, config }) (managed loader, in process)', () => {
  const loader = 'managed';
  it('adds and drops role modules with the document that enables them, restarting nothing else', async () => {
    const base = files({ 'a.mjs': role('a'), 'b.mjs': role('b'), 'c.mjs': role('c') });
    rt = await createRuntime({ roles: ['./a.mjs', './b.mjs'], baseDir: base, loader, reloadAllowed: true, logger: silent });
    await rt.applyConfig({ roles: ['a', 'b'] });
    calls().length = 0;

    await rt.reload({ modules: ['./a.mjs', join(base, 'c.mjs')], config: { roles: ['a', 'c'] } });

    expect(rt.state).toBe('RolesConfigured');
    expect(rt.getAllRoles()).toEqual(['a', 'c']);
    expect(calls()).toEqual(['stop b', 'init c']);
    expect(rt.generation).toBe(1);
    expect([await body('/a'), await body('/b'), await body('/c')]).toEqual(['a', 404, 'c']);
    expect(rt.status().reload).toMatchObject({ result: 'ok', roles: ['b'] });
    // The new module is a module role like the others: update() and reload() know it.
    writeFileSync(join(base, 'c.mjs'), role('c').replace("new Response('c')", "new Response('c2')"));
    expect(await rt.updateList()).toMatchObject({ roles: ['c'] });
    await rt.update();
    expect(await body('/c')).toBe('c2');
  });

  it('validates the new document against the new code before any old role stops', async () => {
    const base = files({
      'a.mjs': role('a'),
      'b.mjs': role('b', `validateConfig(conf) { if (conf?.ok !== true) throw new Error('b wants ok'); },`),
    });
    rt = await createRuntime({ roles: ['./a.mjs'], baseDir: base, loader, reloadAllowed: true, logger: silent });
    await rt.applyConfig({ roles: ['a'] });
    calls().length = 0;

    const err = await rt.reload({ modules: ['./a.mjs', './b.mjs'], config: { roles: ['a', 'b'], config: { b: { ok: false } } } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HotReloadError);
    expect((err as Error).message).toContain('b wants ok');
    expect(calls()).toEqual([]);
    expect(rt.getAllRoles()).toEqual(['a']);
    expect(rt.status().reload).toMatchObject({ result: 'failed', previousCodeServing: true });

    // Without the new module the old code does not know the role: the document alone is refused.
    await expect(rt.applyConfig({ roles: ['a', 'b'], config: { b: { ok: true } } })).rejects.toThrow('unknown role "b"');
    await rt.reload({ modules: ['./a.mjs', './b.mjs'], config: { roles: ['a', 'b'], config: { b: { ok: true } } } });
    expect(rt.getEnabledRoles()).toEqual(['a', 'b']);
  });

  it('rolls back to the old modules and the old document when the new roles fail to start', async () => {
    const base = files({ 'a.mjs': role('a'), 'b.mjs': role('b'), 'bad.mjs': `export default { name: 'bad', init() { throw new Error('bad does not start'); } };` });
    rt = await createRuntime({ roles: ['./a.mjs', './b.mjs'], baseDir: base, loader, reloadAllowed: true, logger: silent });
    await rt.applyConfig({ roles: ['a', 'b'] });
    calls().length = 0;

    await expect(rt.reload({ modules: ['./a.mjs', './bad.mjs'], config: { roles: ['a', 'bad'] } })).rejects.toThrow('bad does not start');
    expect(rt.state).toBe('ReloadError');
    expect(rt.status().reload).toMatchObject({ result: 'rolled-back', previousCodeServing: true });
    expect(rt.getAllRoles()).toEqual(['a', 'b']);
    expect(rt.getEnabledRoles()).toEqual(['a', 'b']);
    expect([await body('/a'), await body('/b')]).toEqual(['a', 'b']);
    expect(calls()).toEqual(['stop b', 'init b']);
  });

  it('refuses bad module lists before anything changes', async () => {
    const base = files({ 'a.mjs': role('a') });
    rt = await createRuntime({ roles: ['./a.mjs'], baseDir: base, loader, reloadAllowed: true, logger: silent });
    await rt.applyConfig({ roles: ['a'] });
    for (const modules of ['./a.mjs', [3], ['./a.mjs', join(base, 'a.mjs')]]) {
      await expect(rt.reload({ modules } as never)).rejects.toThrow(HotReloadError);
      expect(rt.state).toBe('RolesConfigured');
    }
    // A module that does not exist: a failed reload, the old code serving.
    await expect(rt.reload({ modules: ['./a.mjs', './nosuch.mjs'] })).rejects.toThrow(/nosuch\.mjs/);
    expect(rt.status().reload).toMatchObject({ result: 'failed', previousCodeServing: true });
    expect(await body('/a')).toBe('a');
  });
});

describe.each(matrix())('reload({ modules, config }) ($label)', ({ bin, loader }) => {
  let app: App;
  afterEach(() => app?.cleanup());

  it('adds and drops role modules; the added one reloads like the others', async () => {
    const plain = (name: string, text: string) => `export default { name: '${name}', init() { return { v: () => '${text}' }; } };\n`;
    app = makeApp({ 'a.mjs': plain('a', 'a'), 'b.mjs': plain('b', 'b'), 'c.mjs': plain('c', 'c1') });
    const { result } = await runScenario(app, { bin, loader }, `
      const rt = await rolekit.createRuntime({ roles: ['./a.mjs', './b.mjs'], reloadAllowed: true, loader, logger: log });
      await rt.applyConfig({ roles: ['a', 'b'] });
      await rt.reload({ modules: ['./a.mjs', './c.mjs'], config: { roles: ['a', 'c'] } });
      const after = { roles: rt.getAllRoles(), c: rt.service('c').v(), generation: rt.generation };
      write('c.mjs', ${JSON.stringify(plain('c', 'c2'))});
      const list = await rt.updateList();
      await rt.update();
      done({ after, listed: list.roles, c: rt.service('c').v(), state: rt.state });
    `);
    expect(result).toEqual({ after: { roles: ['a', 'c'], c: 'c1', generation: 1 }, listed: ['c'], c: 'c2', state: 'RolesConfigured' });
  });
});
