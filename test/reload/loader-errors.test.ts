/**
 * What users see when role code is wrong: the file named, the original line
 * in stack traces (TypeScript too), and top-level await refused by the
 * managed loader with a pointer to the native one.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { makeApp, matrix, runScenario, type App } from './harness.js';

// Line 6 of the .ts file is the throw; the types above it vanish in the compiled code.
const tsRole = `interface Conf {
  port: number;
}
type Svc = { ok: boolean };
function fail(): Svc {
  throw new Error('init exploded');
}
export default { name: 'a', init(): Svc { return fail(); } };
`;

describe.each(matrix())('role code errors ($label)', ({ bin, loader }) => {
  let app: App;
  afterEach(() => app?.cleanup());

  it('points stack traces of a TypeScript role at the original file and line', async () => {
    app = makeApp({ 'roles/a.ts': tsRole });
    const { result } = await runScenario(app, { bin, loader }, `
      const rt = await rolekit.createRuntime({ roles: ['./roles/a.ts'], loader, logger: log });
      const err = await rt.applyConfig({ roles: ['a'] }).catch((e) => e);
      const cause = err.failures[0].error;
      done({ name: err.name, state: rt.state, message: cause.message, frame: cause.stack.split('\\n').find((l) => l.includes('a.ts')) });
      await rt.stop();
    `);
    expect(result.name).toBe('ApplyConfigError');
    expect(result.state).toBe('OperationError');
    expect(result.message).toBe('init exploded');
    expect(result.frame).toMatch(/roles\/a\.ts:6:\d+/);
  });

  it('names file, line and column of a syntax error in ESM, CommonJS and TypeScript, on first load and on reload', async () => {
    // The error is mid-line, after a tab and characters outside ASCII (one of
    // them two UTF-16 units), so that neither "column 1" nor a count of
    // displayed columns passes for the right one.
    const broken = "\tconst label = 'naïve 😀'; const broken = (1 + ;";
    const column = broken.indexOf('+ ;') + 3;
    const cases = [
      { file: 'roles/esm.mjs', good: "export default { name: 'esm', init() { return { v: 1 }; } };\n", bad: `export default { name: 'esm' };\n${broken}\n` },
      { file: 'roles/cjs.cjs', good: "module.exports = { name: 'cjs', init() { return { v: 1 }; } };\n", bad: `module.exports = { name: 'cjs' };\n${broken}\n` },
      { file: 'roles/ts.ts', good: "export default { name: 'ts', init(): { v: number } { return { v: 1 }; } };\n", bad: `const n: number = 1;\n${broken}\nexport default { name: 'ts' };\n` },
      // A helper two files deep is the file named, not the role.
      { file: 'roles/uses.mjs', good: "import { h } from '../lib/helper.mjs';\nexport default { name: 'uses', init() { return { v: h }; } };\n", bad: undefined, helper: 'lib/helper.mjs' },
    ];
    app = makeApp({ 'lib/helper.mjs': 'export const h = 1;\n', ...Object.fromEntries(cases.map((c) => [c.file, c.good])) });
    const { result } = await runScenario(app, { bin, loader }, `
      const cases = ${JSON.stringify(cases)};
      const bad = (c) => c.bad ?? ${JSON.stringify(`export const h = 1;\n${broken}\n`)};
      const out = [];
      for (const c of cases) {
        const target = c.helper ?? c.file;
        const good = c.helper ? 'export const h = 1;\\n' : c.good;
        const name = c.file.slice('roles/'.length, c.file.lastIndexOf('.'));
        const rt = await rolekit.createRuntime({ roles: ['./' + c.file], loader, logger: log, reloadAllowed: true });
        await rt.applyConfig({ roles: [name] });
        write(target, bad(c));
        const reload = await rt.reload().catch((e) => e);
        const served = rt.service(name).v;
        const state = rt.state;
        await rt.stop();
        // A fresh runtime meets the broken file on its first load.
        const first = await rolekit.createRuntime({ roles: ['./' + c.file], loader, logger: log }).catch((e) => e);
        write(target, good);
        out.push({ target, reload: { name: reload.name, message: reload.message }, served, state, first: { name: first.name, message: first.message } });
      }
      done({ out });
    `);
    for (const c of result.out) {
      const at = `${app.dir}/${c.target}:2:${column}`;
      expect(c.reload.name, c.target).toBe('HotReloadError');
      expect(c.reload.message, c.target).toContain(at);
      expect(c.first.name, c.target).toBe('RegisterRoleError');
      expect(c.first.message, c.target).toContain(at);
      // The old code keeps serving after the failed reload.
      expect([c.state, c.served], c.target).toEqual(['ReloadError', 1]);
      for (const message of [c.reload.message, c.first.message]) {
        // One line: neither swc's drawing of the code nor a native backtrace.
        expect(message, c.target).not.toContain('\n');
        expect(message, c.target).not.toMatch(/Stack backtrace|,-\[|`----|TypeScript transform failed/);
      }
    }
    expect(result.out.map((c: { target: string }) => c.target)).toEqual(['roles/esm.mjs', 'roles/cjs.cjs', 'roles/ts.ts', 'lib/helper.mjs']);
  });

  it('says a module has no default export, and which names it exports: at createRuntime and on reload', async () => {
    const noDefault = "export const foo = 1;\nexport function bar() {}\n";
    app = makeApp({
      'roles/x.mjs': "export default { name: 'x', init() { return { v: 1 }; } };\n",
      'roles/t.ts': noDefault,
      'roles/empty.mjs': '',
    });
    const { result } = await runScenario(app, { bin, loader }, `
      const first = await Promise.all(['./roles/t.ts', './roles/empty.mjs'].map((role) =>
        rolekit.createRuntime({ roles: [role], loader, logger: log }).catch((e) => ({ name: e.name, message: e.message }))));
      const rt = await rolekit.createRuntime({ roles: ['./roles/x.mjs'], loader, logger: log, reloadAllowed: true });
      await rt.applyConfig({ roles: ['x'] });
      write('roles/x.mjs', ${JSON.stringify(noDefault)});
      const err = await rt.reload().catch((e) => e);
      done({ first, reload: { name: err.name, message: err.message }, state: rt.state, v: rt.service('x').v, status: rt.status().reload });
      await rt.stop();
    `);
    expect(result.first).toEqual([
      { name: 'RegisterRoleError', message: 'Module "./roles/t.ts" has no default export (it exports: bar, foo)' },
      { name: 'RegisterRoleError', message: 'Module "./roles/empty.mjs" has no default export (it exports nothing)' },
    ]);
    expect(result.reload).toEqual({
      name: 'HotReloadError',
      message: 'Reload failed, the previous code keeps running: Module "./roles/x.mjs" has no default export (it exports: bar, foo)',
    });
    expect([result.state, result.v]).toEqual(['ReloadError', 1]);
    expect(result.status).toMatchObject({ result: 'failed', previousCodeServing: true });
  });

  it.runIf(loader === 'managed')('refuses top-level await with the file named and a pointer to the native loader', async () => {
    app = makeApp({ 'roles/a.js': "const v = await Promise.resolve(1);\nexport default { name: 'a' };\n" });
    const { result } = await runScenario(app, { bin, loader }, `
      const err = await rolekit.createRuntime({ roles: ['./roles/a.js'], loader, logger: log }).catch((e) => e);
      done({ name: err.name, message: err.message });
    `);
    expect(result.name).toBe('RegisterRoleError');
    expect(result.message).toContain('roles/a.js');
    expect(result.message).toMatch(/top-level await/i);
    expect(result.message).toContain("'native'");
  });

  it.runIf(loader === 'native')('runs top-level await in role code under the native loader', async () => {
    app = makeApp({ 'roles/a.js': "const v = await Promise.resolve(7);\nexport default { name: 'a', init() { return { v }; } };\n" });
    const { result } = await runScenario(app, { bin, loader }, `
      const rt = await rolekit.createRuntime({ roles: ['./roles/a.js'], loader, logger: log });
      await rt.applyConfig({ roles: ['a'] });
      done({ v: rt.service('a').v });
      await rt.stop();
    `);
    expect(result).toEqual({ v: 7 });
  });
});
