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

  it('names the file of a module that does not parse, and keeps the old code when it is a reload', async () => {
    app = makeApp({ 'roles/a.js': "export default { name: 'a', init() { return { v: 1 }; } };\n" });
    const { result } = await runScenario(app, { bin, loader }, `
      const rt = await rolekit.createRuntime({ roles: ['./roles/a.js'], loader, logger: log, reloadAllowed: true });
      await rt.applyConfig({ roles: ['a'] });
      write('roles/a.js', "export default { name: 'a', init() { return { v: 2 } ;;; ) };\\n");
      const err = await rt.reload().catch((e) => e);
      done({ name: err.name, mentionsFile: err.message.includes(dir + '/roles/a.js'), state: rt.state, v: rt.service('a').v });
      await rt.stop();
    `);
    expect(result).toEqual({ name: 'HotReloadError', mentionsFile: true, state: 'ReloadError', v: 1 });
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
