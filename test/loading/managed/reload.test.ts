import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { retainedSourceMaps } from '../../../src/loading/managed/index.js';
import { cleanUpAfterEach, fixture, managedLoader } from './fixture.js';

cleanUpAfterEach();

const graph = (version: string) => ({
  'package.json': '{ "type": "module" }',
  'role.ts': "import { middle } from './middle.js';\nexport const role = (): string => 'role>' + middle();\n",
  'middle.ts': "import { leaf } from './leaf.js';\nexport const middle = (): string => 'middle>' + leaf();\n",
  'leaf.ts': `export const leaf = (): string => '${version}';\n`,
});

describe('managed loader: reloading', () => {
  it('runs the new code of a file edited two imports deep; the old exports object keeps the old code', async () => {
    const fx = fixture(graph('v1'));
    const loader = managedLoader();
    const [first] = await loader.load([fx.path('role.ts')]);
    const oldRole = first.exports.role as () => string;
    expect(oldRole()).toBe('role>middle>v1');

    fx.write({ 'leaf.ts': "export const leaf = (): string => 'v2';\n" });
    const [second] = await loader.load([fx.path('role.ts')]);
    expect((second.exports.role as () => string)()).toBe('role>middle>v2');
    expect(second.exports).not.toBe(first.exports);
    // The old version is untouched (and still runs) until it is released.
    expect(first.exports.role).toBe(oldRole);
    expect(oldRole()).toBe('role>middle>v1');

    // Edges let the runtime map the edited leaf back to its role.
    const leafHash = (m: typeof first) => m.files.find((f) => f.path === fx.path('leaf.ts'))!.sha256;
    expect(leafHash(second)).not.toBe(leafHash(first));
    expect(second.files.find((f) => f.path === fx.path('middle.ts'))!.imports).toEqual([fx.path('leaf.ts')]);
    loader.release([first]);
    loader.release([second]);
  });

  it('re-transforms only the changed file, and the cache holds one entry per path across many edits', async () => {
    const fx = fixture(graph('v0'));
    const loader = managedLoader();
    const baseMaps = retainedSourceMaps();
    loader.release(await loader.load([fx.path('role.ts')]));
    expect(loader.stats).toMatchObject({ transforms: 3, cacheHits: 0, cachedFiles: 3 });

    loader.release(await loader.load([fx.path('role.ts')]));
    expect(loader.stats).toMatchObject({ transforms: 3, cacheHits: 3 });

    for (let i = 1; i <= 20; i++) {
      fx.write({ 'leaf.ts': `export const leaf = (): string => 'v${i}';\n` });
      const loaded = await loader.load([fx.path('role.ts')]);
      expect((loaded[0].exports.role as () => string)()).toBe(`role>middle>v${i}`);
      loader.release(loaded);
    }
    // 20 edits of one file: 20 transforms, 40 reuses, still 3 entries.
    expect(loader.stats).toMatchObject({ transforms: 23, cacheHits: 43, cachedFiles: 3, liveGenerations: 0 });
    // One map per cached version, none for released generations.
    expect(retainedSourceMaps() - baseMaps).toBe(3);
    loader.close();
    expect(retainedSourceMaps()).toBe(baseMaps);
  });

  it('evaluates every app file afresh per load; entries of one load share instances, separate loads never do', async () => {
    const fx = fixture({
      'package.json': '{ "type": "module" }',
      'a.js': "import { state } from './state.js';\nexport { state };\n",
      'b.js': "import { state } from './state.js';\nexport { state };\n",
      'state.js': 'export const state = { created: Symbol("state") };\n',
    });
    const loader = managedLoader();
    const [a1, b1] = await loader.load([fx.path('a.js'), fx.path('b.js')]);
    const [a2] = await loader.load([fx.path('a.js')]);
    expect(a1.exports.state).toBe(b1.exports.state);
    expect(a2.exports.state).not.toBe(a1.exports.state);
  });

  it('shares node_modules packages and `shared` files across loads, without re-evaluating them', async () => {
    const fx = fixture({
      'package.json': '{ "type": "module" }',
      'role.ts': [
        "import { z } from 'zod';",
        "import YAML from 'yaml';",
        "import config from './config.cjs';",
        "import { registry } from './registry.js';",
        "import * as app from './app-state.mjs';",
        'export default { z, YAML, config, registry, app };',
      ].join('\n'),
      'config.cjs': 'globalThis.__rolekitConfigEvaluations = (globalThis.__rolekitConfigEvaluations ?? 0) + 1;\nmodule.exports = { port: 1 };\n',
      'registry.js': 'export const registry = new Map();\n',
      'app-state.mjs': 'export const started = Date.now();\n',
    });
    // What the application loaded itself before creating the runtime.
    const nativeConfig = createRequire(fx.path('x.js'))(fx.path('config.cjs'));
    const loader = managedLoader({ shared: [fx.path('config.cjs'), fx.path('app-state.mjs')] });
    const [one] = await loader.load([fx.path('role.ts')]);
    fx.write({ 'role.ts': "import { z } from 'zod';\nimport YAML from 'yaml';\nimport config from './config.cjs';\nimport { registry } from './registry.js';\nimport * as app from './app-state.mjs';\nexport default { z, YAML, config, registry, app, edited: true };\n" });
    const [two] = await loader.load([fx.path('role.ts')]);
    type Role = { z: unknown; YAML: { stringify: unknown }; config: unknown; registry: unknown; app: { started: number }; edited?: boolean };
    const r1 = one.exports.default as Role;
    const r2 = two.exports.default as Role;
    expect(r2.edited).toBe(true);
    expect(r2.z).toBe(r1.z);
    // ESM role code gets the ESM build of a dual package, as the application's own imports do.
    expect(r1.z).toBe((await import('zod')).z);
    expect(r2.YAML.stringify).toBe(r1.YAML.stringify);
    expect(r1.config).toBe(nativeConfig);
    expect(r2.config).toBe(nativeConfig);
    expect((globalThis as { __rolekitConfigEvaluations?: number }).__rolekitConfigEvaluations).toBe(1);
    expect(r2.app.started).toBe(r1.app.started);
    // An app file that is not shared is a new instance per load.
    expect(r2.registry).not.toBe(r1.registry);
    // Shared files are not part of the role's graph.
    expect(one.files.map((f) => f.path)).toEqual([fx.path('role.ts'), fx.path('registry.js')]);
  });

  it('gives back cached state on release: generations and source maps do not accumulate', async () => {
    const fx = fixture(graph('v0'));
    const loader = managedLoader();
    const base = retainedSourceMaps();
    const kept = [];
    for (let i = 0; i < 5; i++) {
      fx.write({ 'leaf.ts': `export const leaf = (): string => 'k${i}';\n` });
      kept.push(await loader.load([fx.path('role.ts')]));
    }
    expect(loader.stats.liveGenerations).toBe(5);
    // 3 latest in the cache + 4 older leaf versions still held by live generations.
    expect(retainedSourceMaps() - base).toBe(3 + 4);
    for (const loaded of kept) loader.release(loaded);
    expect(loader.stats.liveGenerations).toBe(0);
    expect(retainedSourceMaps() - base).toBe(3);
  });
});
