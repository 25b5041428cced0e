import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cleanUpAfterEach, fixture, managedLoader } from './fixture.js';

cleanUpAfterEach();

function setup(files: Record<string, string>) {
  const fx = fixture(files);
  const loader = managedLoader();
  return { fx, loader };
}

describe('managed loader: module formats', () => {
  it('loads an ESM graph (.js in a type:module package, .mjs, JSON) with live-binding exports', async () => {
    const { fx, loader } = setup({
      'package.json': '{ "type": "module" }',
      'role.js': [
        "import { helper, count, bump } from './lib/helper.js';",
        "import extra from './extra.mjs';",
        "import data from './data.json' with { type: 'json' };",
        'export { count, bump };',
        'export const name = helper() + extra + data.suffix;',
        'export default { kind: "role" };',
      ].join('\n'),
      'lib/helper.js': 'export let count = 0;\nexport function bump() { count++; }\nexport const helper = () => "h";\n',
      'extra.mjs': 'export default "-mjs";\n',
      'data.json': '{ "suffix": "-json" }\n',
    });
    const [m] = await loader.load([fx.path('role.js')]);
    expect(m.entry).toBe(fx.path('role.js'));
    expect(m.exports.name).toBe('h-mjs-json');
    expect(m.exports.default).toEqual({ kind: 'role' });
    // Live binding: the re-exported `let` follows the mutation in its module.
    expect(m.exports.count).toBe(0);
    (m.exports.bump as () => void)();
    expect(m.exports.count).toBe(1);
  });

  it('loads CommonJS (.cjs and .js without "type"), module.exports and this === exports', async () => {
    const { fx, loader } = setup({
      // The repo's own package.json says "module": this package has no "type".
      'package.json': '{}',
      'role.cjs': [
        "const helper = require('./helper.js');",
        "const { join } = require('node:path');",
        'module.exports = { value: helper.double(21), joined: join("a", "b"), topThis: helper.topThis };',
      ].join('\n'),
      'helper.js': 'exports.double = (n) => n * 2;\nexports.topThis = this === module.exports;\n',
    });
    const [m] = await loader.load([fx.path('role.cjs')]);
    expect(m.exports).toEqual({ value: 42, joined: 'a/b', topThis: true });
  });

  it('detects ESM syntax in a .js file without package "type" (as Node 20.19+ does)', async () => {
    const { fx, loader } = setup({
      'package.json': '{}',
      'role.js': "import { v } from './v.js';\nexport default v + 1;\n",
      'v.js': 'export const v = 1;\n',
      'c.js': 'module.exports = this === module.exports;\n',
      'role2.js': "module.exports = require('./c.js');\n",
    });
    const [m, cjs] = await loader.load([fx.path('role.js'), fx.path('role2.js')]);
    expect(m.exports.default).toBe(2);
    expect(cjs.exports).toBe(true);
  });

  it('loads TypeScript, with `./x.js` specifiers naming .ts files and type-only imports dropped', async () => {
    const { fx, loader } = setup({
      'package.json': '{ "type": "module" }',
      'role.ts': [
        "import type { Shape } from './types.js';",
        "import { Kind, area } from './geometry.js';",
        'const s: Shape = { kind: Kind.Square, size: 3 };',
        'export default { area: area(s), kind: Kind[s.kind] };',
      ].join('\n'),
      // Never loaded: only types come from it (and it would throw if evaluated).
      'types.ts': "import type { Kind } from './geometry.js';\nexport interface Shape { kind: Kind; size: number }\nthrow new Error('types.ts must not run');\n",
      'geometry.ts': [
        'export enum Kind { Square, Circle }',
        "export function area(s: { kind: Kind; size: number }): number {",
        '  return s.kind === Kind.Square ? s.size ** 2 : Math.PI * s.size ** 2;',
        '}',
      ].join('\n'),
    });
    const [m] = await loader.load([fx.path('role.ts')]);
    expect(m.exports.default).toEqual({ area: 9, kind: 'Square' });
    expect(m.files.map((f) => f.path)).toEqual([fx.path('role.ts'), fx.path('geometry.ts')]);
  });

  it('interoperates: ESM importing CommonJS (default = module.exports) and CommonJS requiring ESM', async () => {
    const { fx, loader } = setup({
      'package.json': '{ "type": "module" }',
      'role.js': "import legacy, { named } from './legacy.cjs';\nimport back from './back.cjs';\nexport default { legacy, named, back };\n",
      'legacy.cjs': 'module.exports = { named: "n", other: 1 };\n',
      'back.cjs': "const esm = require('./esm.js');\nmodule.exports = esm.default + esm.x;\n",
      'esm.js': 'export const x = "x";\nexport default "d";\n',
    });
    const [m] = await loader.load([fx.path('role.js')]);
    expect(m.exports.default).toEqual({ legacy: { named: 'n', other: 1 }, named: 'n', back: 'dx' });
  });

  it('provides import.meta.url, dirname, filename and resolve in ESM role files', async () => {
    const { fx, loader } = setup({
      'package.json': '{ "type": "module" }',
      'sub/role.js': [
        'export const url = import.meta.url;',
        'export const dirname = import.meta.dirname;',
        'export const filename = import.meta.filename;',
        "export const resolved = import.meta.resolve('./other.js');",
        "export const asset = new URL('./asset.txt', import.meta.url).href;",
      ].join('\n'),
      'sub/other.js': 'export {};\n',
    });
    const [m] = await loader.load([fx.path('sub/role.js')]);
    expect(m.exports.url).toBe(pathToFileURL(fx.path('sub/role.js')).href);
    expect(m.exports.dirname).toBe(fx.path('sub'));
    expect(m.exports.filename).toBe(fx.path('sub/role.js'));
    expect(m.exports.resolved).toBe(pathToFileURL(fx.path('sub/other.js')).href);
    expect(m.exports.asset).toBe(pathToFileURL(fx.path('sub/asset.txt')).href);
  });

  it('handles circular imports between app files (ESM and TS) with live bindings', async () => {
    const { fx, loader } = setup({
      'package.json': '{ "type": "module" }',
      'role.ts': "import { ping } from './a.js';\nexport default ping(3);\n",
      'a.ts': "import { pong } from './b.js';\nexport function ping(n: number): string { return n === 0 ? 'done' : 'a' + pong(n - 1); }\n",
      'b.ts': "import { ping } from './a.js';\nexport function pong(n: number): string { return 'b' + ping(n); }\nexport const late = 'late';\n",
    });
    const [m] = await loader.load([fx.path('role.ts')]);
    expect(m.exports.default).toBe('abababdone');
    const byPath = new Map(m.files.map((f) => [f.path, f.imports]));
    expect(byPath.get(fx.path('a.ts'))).toEqual([fx.path('b.ts')]);
    expect(byPath.get(fx.path('b.ts'))).toEqual([fx.path('a.ts')]);
  });

  it('routes a literal dynamic import() of an app file through the managed registry', async () => {
    const { fx, loader } = setup({
      'package.json': '{ "type": "module" }',
      'role.js': [
        "import { state } from './state.js';",
        "export async function later() { const mod = await import('./later.js'); return mod.default + ':' + mod.seen; }",
        'export { state };',
      ].join('\n'),
      'later.js': "import { state } from './state.js';\nstate.loadedLater = true;\nexport const seen = state.id;\nexport default 'later';\n",
      'state.js': 'export const state = { id: Math.random(), loadedLater: false };\n',
    });
    const [m] = await loader.load([fx.path('role.js')]);
    const state = m.exports.state as { id: number; loadedLater: boolean };
    // Not evaluated with the graph: only when called.
    expect(state.loadedLater).toBe(false);
    expect(await (m.exports.later as () => Promise<string>)()).toBe(`later:${state.id}`);
    // Same generation: later.js saw this load's state.js instance.
    expect(state.loadedLater).toBe(true);
    expect(m.files.find((f) => f.path === fx.path('role.js'))?.imports).toEqual([fx.path('state.js'), fx.path('later.js')]);
  });

  it('lists every app file (entry first) with the sha256 of the evaluated bytes and exact import edges', async () => {
    const { fx, loader } = setup({
      'package.json': '{ "type": "module" }',
      'role.js': "import { a } from './a.js';\nimport { z } from 'zod';\nimport fs from 'node:fs';\nexport default [a, typeof z, typeof fs];\n",
      'a.js': "import { b } from './deep/b.js';\nexport const a = 'a' + b;\n",
      'deep/b.js': "import data from '../data.json' with { type: 'json' };\nexport const b = data.b;\n",
      'data.json': '{ "b": "b" }',
    });
    const [m] = await loader.load([fx.path('role.js')]);
    expect(m.exports.default).toEqual(['ab', 'object', 'object']);
    const { createHash } = await import('node:crypto');
    const { readFileSync } = await import('node:fs');
    expect(m.files).toEqual([
      { path: fx.path('role.js'), sha256: sha(fx.path('role.js')), imports: [fx.path('a.js')] },
      { path: fx.path('a.js'), sha256: sha(fx.path('a.js')), imports: [fx.path('deep/b.js')] },
      { path: fx.path('deep/b.js'), sha256: sha(fx.path('deep/b.js')), imports: [fx.path('data.json')] },
      { path: fx.path('data.json'), sha256: sha(fx.path('data.json')), imports: [] },
    ]);
    function sha(file: string) {
      return createHash('sha256').update(readFileSync(file)).digest('hex');
    }
  });

  it('loads CommonJS TypeScript (.cts: import = require, export =)', async () => {
    const { fx, loader } = setup({
      'role.cts': "import path = require('node:path');\nimport other = require('./other.cjs');\nconst base: string = path.basename(__filename);\nexport = { base, other };\n",
      'other.cjs': "module.exports = 'other';\n",
    });
    const [m] = await loader.load([fx.path('role.cts')]);
    expect(m.exports).toEqual({ base: 'role.cts', other: 'other' });
    expect(m.files[0].imports).toEqual([fx.path('other.cjs')]);
  });

  it('serves non-literal require() and import() at run time from the same generation', async () => {
    const { fx, loader } = setup({
      'package.json': '{ "type": "commonjs" }',
      'role.js': [
        "const state = require('./state.js');",
        'exports.pick = (name) => require(`./plugins/${name}.js`);',
        'exports.later = (name) => import(`./plugins/${name}.js`);',
        "exports.native = () => import('node:path');",
        'exports.state = state;',
      ].join('\n'),
      'state.js': 'module.exports = { id: Math.random() };\n',
      'plugins/a.js': "module.exports = { name: 'a', state: require('../state.js') };\n",
      'plugins/b.js': "module.exports = { name: 'b' };\n",
    });
    const [m] = await loader.load([fx.path('role.js')]);
    const pick = m.exports.pick as (n: string) => { name: string; state: unknown };
    expect(pick('a').name).toBe('a');
    expect(pick('a').state).toBe(m.exports.state);
    const ns = (await (m.exports.later as (n: string) => Promise<{ default: { name: string }; name: string }>)('b'));
    // import() of CommonJS gives a namespace whose default is module.exports, as in Node.
    expect(ns.default).toEqual({ name: 'b' });
    expect(ns.name).toBe('b');
    const pathNs = await (m.exports.native as () => Promise<{ join: unknown; default: unknown }>)();
    expect(typeof pathNs.join).toBe('function');
    loader.release([m]);
    // A released version cannot pull more app code in.
    expect(() => pick('b')).toThrow(/released/);
  });

  it('resolves packages with import conditions for ESM files and require conditions for CommonJS (like Node)', async () => {
    const { fx, loader } = setup({
      'package.json': '{ "type": "module" }',
      'node_modules/dual/package.json': JSON.stringify({
        name: 'dual',
        exports: {
          '.': { import: { types: './x.d.ts', default: './esm.mjs' }, require: './cjs.cjs' },
          './features/*': { import: './features/*.mjs' },
        },
      }),
      'node_modules/dual/esm.mjs': "export const build = 'esm';\nexport default 'esm-default';\n",
      'node_modules/dual/cjs.cjs': "exports.build = 'cjs';\n",
      'node_modules/dual/features/fast.mjs': "export const feature = 'fast';\n",
      'role.ts': "import flavour, { build } from 'dual';\nimport { feature } from 'dual/features/fast';\nimport legacy from './legacy.cjs';\nexport default { flavour, build, feature, legacy };\n",
      'legacy.cjs': "module.exports = require('dual').build;\n",
    });
    const [m] = await loader.load([fx.path('role.ts')]);
    expect(m.exports.default).toEqual({ flavour: 'esm-default', build: 'esm', feature: 'fast', legacy: 'cjs' });
  });

  it('imports an ESM-only package (type:module, top-level await inside it) natively', async () => {
    const { fx, loader } = setup({
      'package.json': '{ "type": "module" }',
      'node_modules/esm-only/package.json': '{ "name": "esm-only", "type": "module", "exports": "./index.js" }',
      'node_modules/esm-only/index.js': 'await Promise.resolve();\nexport const token = {};\nexport default function hello() { return "hello"; }\n',
      'role.js': "import hello, { token } from 'esm-only';\nexport default { greeting: hello(), token };\n",
      'legacy.cjs': "module.exports = require('esm-only').token;\n",
      'role2.js': "import token from './legacy.cjs';\nexport default token;\n",
    });
    const [a] = await loader.load([fx.path('role.js')]);
    const [b, c] = await loader.load([fx.path('role.js'), fx.path('role2.js')]);
    const role = a.exports.default as { greeting: string; token: object };
    expect(role.greeting).toBe('hello');
    // An external is one instance for every load, and for CommonJS callers too.
    expect((b.exports.default as { token: object }).token).toBe(role.token);
    expect(c.exports.default).toBe(role.token);
    expect(a.files.map((f) => f.path)).toEqual([fx.path('role.js')]);
  });
});
