/**
 * Files the application loaded before createRuntime are shared by every
 * version of role code, never evaluated again (Cartridge: modules loaded
 * before cartridge.cfg are not affected by a reload).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { makeApp, matrix, runScenario, type App } from './harness.js';

const role = (v: number) => `
import { pool } from '../lib/db.js';
import { helper } from '../lib/helper.js';
export default { name: 'a', init() { return { pool: () => pool, helper: () => helper, v: ${v} }; } };
`;

describe.each(matrix())('shared application files ($label)', ({ bin, loader }) => {
  let app: App;
  afterEach(() => app?.cleanup());

  it('gives every version the instance the application loaded itself, and re-evaluates the rest', async () => {
    app = makeApp({
      'lib/db.js': 'process.__rkDbEvals = (process.__rkDbEvals ?? 0) + 1;\nexport const pool = { id: Math.random() };\n',
      'lib/helper.js': 'process.__rkHelperEvals = (process.__rkHelperEvals ?? 0) + 1;\nexport const helper = { id: Math.random() };\n',
      'roles/a.js': role(1),
    });
    const { result } = await runScenario(app, { bin, loader }, `
      const { pool } = await import('./lib/db.js');
      const rt = await rolekit.createRuntime({ roles: ['./roles/a.js'], shared: ['./lib/db.js'], reloadAllowed: true, loader, logger: log });
      await rt.applyConfig({ roles: ['a'] });
      const first = rt.service('a').helper();
      write('roles/a.js', ${JSON.stringify(role(2))});
      await rt.reload();
      const svc = rt.service('a');
      done({
        v: svc.v,
        samePool: svc.pool() === pool,
        dbEvals: process.__rkDbEvals,
        helperEvals: process.__rkHelperEvals,
        freshHelper: svc.helper() !== first,
      });
      await rt.stop();
    `);
    expect(result).toEqual({ v: 2, samePool: true, dbEvals: 1, helperEvals: 2, freshHelper: true });
  });
});
