/**
 * A helper that moves on disk between reloads: the reload resolves the
 * specifier afresh, as a fresh process would, and later reloads keep working
 * (Node's CommonJS resolver remembers the old path for the life of the
 * process; src/loading/resolution-cache.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { makeApp, matrix, runScenario, type App } from './harness.js';

const cjsRole = `const util = require('../lib/util');
module.exports = { name: 'a', init() { return { v: () => util.v }; } };
`;

const tsRole = `import { v } from '../lib/helper.js';
export default { name: 'b', init(): { v: () => string } { return { v: () => v }; } };
`;

describe.each(matrix())('helpers moved on disk ($label)', ({ bin, loader }) => {
  let app: App;
  afterEach(() => app?.cleanup());

  it("reloads after util.js became util/index.js under require('./util'), and after it moved back", async () => {
    app = makeApp({
      'package.json': '{ "type": "commonjs" }',
      'roles/a.cjs': cjsRole,
      'lib/util.js': "exports.v = 'file';\n",
    });
    const { result } = await runScenario(app, { bin, loader }, `
      const rt = await rolekit.createRuntime({ roles: ['./roles/a.cjs'], reloadAllowed: true, loader, logger: log });
      await rt.applyConfig({ roles: ['a'] });
      const seen = [rt.service('a').v()];
      const reload = async () => {
        try { await rt.reload(); seen.push(rt.service('a').v()); } catch (e) { seen.push('failed: ' + e.message); }
      };
      remove('lib/util.js');
      write('lib/util/index.js', "exports.v = 'folder';\\n");
      await reload();
      write('lib/util/index.js', "exports.v = 'folder, edited';\\n");
      await reload();
      remove('lib/util');
      write('lib/util.js', "exports.v = 'file again';\\n");
      await reload();
      await reload();
      done({ seen, state: rt.state, generation: rt.generation });
      await rt.stop();
    `);
    expect(result).toEqual({
      seen: ['file', 'folder', 'folder, edited', 'file again', 'file again'],
      state: 'RolesConfigured',
      generation: 4,
    });
  });

  it("reloads after util.js became util/index.js under require('./util') in a CommonJS helper of an ES module role", async () => {
    app = makeApp({
      'package.json': '{ "type": "module" }',
      'roles/c.js': "import lib from '../lib/lib.cjs';\nexport default { name: 'c', init() { return { v: () => lib.v }; } };\n",
      'lib/package.json': '{ "type": "commonjs" }',
      'lib/lib.cjs': "const util = require('./util');\nmodule.exports = { v: util.v };\n",
      'lib/util.js': "exports.v = 'file';\n",
    });
    const { result } = await runScenario(app, { bin, loader }, `
      const rt = await rolekit.createRuntime({ roles: ['./roles/c.js'], reloadAllowed: true, loader, logger: log });
      await rt.applyConfig({ roles: ['c'] });
      const seen = [rt.service('c').v()];
      const reload = async () => {
        try { await rt.reload(); seen.push(rt.service('c').v()); } catch (e) { seen.push('failed: ' + e.message); }
      };
      remove('lib/util.js');
      write('lib/util/index.js', "exports.v = 'folder';\\n");
      await reload();
      await reload();
      done({ seen, state: rt.state });
      await rt.stop();
    `);
    expect(result).toEqual({ seen: ['file', 'folder', 'folder'], state: 'RolesConfigured' });
  });

  it("reloads after helper.js became helper.ts under import './helper.js' in a TypeScript role, and after it moved back", async () => {
    app = makeApp({
      'package.json': '{ "type": "module" }',
      'roles/b.ts': tsRole,
      'lib/helper.js': "export const v = 'js';\n",
    });
    const { result } = await runScenario(app, { bin, loader }, `
      const rt = await rolekit.createRuntime({ roles: ['./roles/b.ts'], reloadAllowed: true, loader, logger: log });
      await rt.applyConfig({ roles: ['b'] });
      const seen = [rt.service('b').v()];
      const reload = async () => {
        try { await rt.reload(); seen.push(rt.service('b').v()); } catch (e) { seen.push('failed: ' + e.message); }
      };
      remove('lib/helper.js');
      write('lib/helper.ts', "export const v: string = 'ts';\\n");
      await reload();
      write('lib/helper.ts', "export const v: string = 'ts, edited';\\n");
      await reload();
      remove('lib/helper.ts');
      write('lib/helper.js', "export const v = 'js again';\\n");
      await reload();
      await reload();
      done({ seen, state: rt.state, generation: rt.generation });
      await rt.stop();
    `);
    expect(result).toEqual({
      seen: ['js', 'ts', 'ts, edited', 'js again', 'js again'],
      state: 'RolesConfigured',
      generation: 4,
    });
  });
});
