/**
 * Globals and the reload transaction: what validateConfig defines belongs to
 * its role like any other callback's globals, and code that is rejected (it
 * throws on import, fails validation, or fails to start and is rolled back)
 * leaves globalThis as it was before the reload, values of the old version
 * included. In a child node process per loader and Node version.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { makeApp, matrix, runScenario, type App } from './harness.js';

/** Version 1 sets `__rkShared = 'v1'` on import; the old code's route reads it. */
const V1 = `
globalThis.__rkShared = 'v1';
export default {
  name: 'a',
  validateConfig() { globalThis.__rkValidated = 'v1'; },
  init(ctx) { ctx.route('GET', '/shared', () => new Response(String(globalThis.__rkShared))); },
};
`;

/** A rejected version 2: overwrites `__rkShared`, defines `__rkNew`, then fails `where`. */
const rejected = (where: 'import' | 'validateConfig' | 'init') => `
globalThis.__rkShared = 'v2';
globalThis.__rkNew = 'v2';
${where === 'import' ? "throw new Error('v2 does not load');" : ''}
export default {
  name: 'a',
  validateConfig() { globalThis.__rkNewValidated = 1; ${where === 'validateConfig' ? "throw new Error('v2 rejects');" : ''} },
  init() { globalThis.__rkNewInit = 1; ${where === 'init' ? "throw new Error('v2 does not start');" : ''} },
};
`;

const KEYS = ['__rkShared', '__rkValidated', '__rkNew', '__rkNewValidated', '__rkNewInit'];

describe.each(matrix())('globals across reloads ($label)', ({ bin, loader }) => {
  let app: App;
  afterEach(() => app?.cleanup());

  it('removes a global defined in validateConfig when its code is reloaded', async () => {
    app = makeApp({ 'roles/a.js': V1 });
    const { result } = await runScenario(app, { bin, loader }, `
      const rt = await rolekit.createRuntime({ roles: ['./roles/a.js'], reloadAllowed: true, loader, logger: log });
      await rt.applyConfig({ roles: ['a'] });
      const before = '__rkValidated' in globalThis;
      write('roles/a.js', "export default { name: 'a' };");
      await rt.reload();
      done({ before, after: ${JSON.stringify(KEYS)}.filter((k) => k in globalThis), state: rt.state });
      await rt.stop();
    `);
    expect(result).toEqual({ before: true, after: [], state: 'RolesConfigured' });
  });

  for (const where of ['import', 'validateConfig', 'init'] as const) {
    it(`leaves globalThis as before the reload when the new code fails in ${where}`, async () => {
      app = makeApp({ 'roles/a.js': V1 });
      const { result } = await runScenario(app, { bin, loader }, `
        const rt = await rolekit.createRuntime({ roles: ['./roles/a.js'], reloadAllowed: true, loader, logger: log });
        await rt.applyConfig({ roles: ['a'] });
        write('roles/a.js', ${JSON.stringify(rejected(where))});
        const err = await rt.reload().catch((e) => e);
        const res = await rt.fetch(new Request('http://local/shared'));
        done({
          rejected: err?.name,
          state: rt.state,
          previousCodeServing: rt.status().reload?.previousCodeServing,
          globals: Object.fromEntries(${JSON.stringify(KEYS)}.filter((k) => k in globalThis).map((k) => [k, globalThis[k]])),
          served: await res.text(),
        });
        await rt.stop();
      `);
      expect(result).toEqual({
        rejected: 'HotReloadError',
        state: 'ReloadError',
        previousCodeServing: true,
        // The old version's globals, with the old values: its code reads them again.
        globals: { __rkShared: 'v1', __rkValidated: 'v1' },
        served: 'v1',
      });
    });
  }
});
