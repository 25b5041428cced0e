/**
 * A loader's effects are process-wide (the managed loader's
 * Error.prepareStackTrace; the native loader's hooks, source-map support and
 * require.cache entries), so rt.stop() undoes them, whether or not a reload
 * ever happened. In child processes: the native hooks need Node's real loader.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { makeApp, matrix, runScenario, type App } from '../reload/harness.js';

describe.each(matrix())('rt.stop() and the loader ($label)', ({ bin, loader }) => {
  let app: App;
  afterEach(() => app?.cleanup());

  /** Load a module role of each kind, reload `reloads` times, stop; what the process looks like running and after. */
  async function scenario(reloads: number) {
    app = makeApp({
      'roles/a.js': "export default { name: 'a', init() { return { url: import.meta.url }; } };\n",
      'roles/b.cjs': "module.exports = { name: 'b' };\n",
      // Loadable only through the native loader's hooks (swc compiles the enum; Node 24 alone would refuse it).
      'probe/before.ts': 'enum E { A = 1 }\nexport const v: number = E.A;\n',
      'probe/after.ts': 'enum E { A = 1 }\nexport const v: number = E.A;\n',
    });
    const { result } = await runScenario(app, { bin, loader }, `
      import { createRequire } from 'node:module';
      import { pathToFileURL } from 'node:url';
      const require = createRequire(import.meta.url);
      // The harness starts node with --enable-source-maps; start from "off" to see who turns it on.
      process.setSourceMapsEnabled(false);
      const prepareBefore = Error.prepareStackTrace;
      const rt = await rolekit.createRuntime({ roles: ['./roles/a.js', './roles/b.cjs'], loader, logger: log, reloadAllowed: true });
      await rt.applyConfig({ roles: ['a', 'b'] });
      for (let i = 0; i < ${reloads}; i++) await rt.reload();
      // A URL of the runtime's own generation: the hooks act on it while its loader is open.
      const token = new URL(rt.service('a').url).searchParams.get('rolekit-gen');
      const probe = (file) => import(pathToFileURL(join(dir, file)).href + '?rolekit-gen=' + token).then((m) => m.v, (e) => 'refused: ' + e.code);
      const cjs = require.resolve(join(dir, 'roles/b.cjs'));
      const running = {
        ownHook: Error.prepareStackTrace !== prepareBefore,
        sourceMaps: process.sourceMapsEnabled,
        probe: loader === 'native' ? await probe('probe/before.ts') : 1,
        cjsCached: loader === 'native' ? cjs in require.cache : true,
      };
      await rt.stop();
      const stopped = {
        hookRestored: Error.prepareStackTrace === prepareBefore,
        sourceMaps: process.sourceMapsEnabled,
        probe: loader === 'native' ? await probe('probe/after.ts') : 'refused: n/a',
        cjsCached: cjs in require.cache,
      };
      done({ running, stopped });
    `);
    return result;
  }

  /** What must hold once the runtime stopped, and (so that the check can fail) while it ran. */
  function expectUndone(result: Awaited<ReturnType<typeof scenario>>) {
    if (loader === 'managed') {
      // Installed while the runtime runs, the previous one back once it stopped.
      expect(result.running.ownHook).toBe(true);
      expect(result.stopped.hookRestored).toBe(true);
    } else {
      expect(result.running).toEqual({ ownHook: false, sourceMaps: true, probe: 1, cjsCached: true });
      // Source maps off again, the hooks standing aside (Node refuses the enum), the role's CommonJS file evicted.
      expect(result.stopped).toEqual({ hookRestored: true, sourceMaps: false, probe: expect.stringMatching(/^refused: ERR_/), cjsCached: false });
    }
  }

  it("undoes the loader's process-wide effects after module roles were loaded and never reloaded", async () => {
    expectUndone(await scenario(0));
  });

  it('undoes them after a reload too', async () => {
    expectUndone(await scenario(1));
  });
});
