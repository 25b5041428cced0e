import { describe, expect, it } from 'vitest';
import { cleanUpAfterEach, fixture, managedLoader } from './fixture.js';

cleanUpAfterEach();

const graph = (version: string) => ({
  'package.json': '{ "type": "module" }',
  'role.ts': "import { leaf } from './leaf.js';\nexport const role = (): string => 'role>' + leaf();\n",
  'leaf.ts': `export const leaf = (): string => '${version}';\n`,
});

describe('managed loader: prewarm (watch mode gets a saved file ready before the reload)', () => {
  it('transforms a changed file ahead, so that the next load transforms nothing and runs the new code', async () => {
    const fx = fixture(graph('v1'));
    const loader = managedLoader();
    loader.release(await loader.load([fx.path('role.ts')]));
    fx.write({ 'leaf.ts': "export const leaf = (): string => 'v2';\n" });

    expect(await loader.prewarm!(fx.path('leaf.ts'))).toBe('compiled');
    const before = loader.stats;
    expect(before.transforms).toBe(3);
    const [loaded] = await loader.load([fx.path('role.ts')]);
    expect((loaded.exports.role as () => string)()).toBe('role>v2');
    expect(loader.stats.transforms).toBe(before.transforms);
    expect(loader.stats.cacheHits).toBe(before.cacheHits + 2);
    loader.release([loaded]);
  });

  it('says a half-written or missing file failed, evaluates nothing, and the load still reports the file as it is then', async () => {
    const fx = fixture(graph('v1'));
    const loader = managedLoader();
    loader.release(await loader.load([fx.path('role.ts')]));
    (globalThis as { __prewarmRan?: boolean }).__prewarmRan = false;
    fx.write({ 'leaf.ts': "globalThis.__prewarmRan = true;\nexport const leaf = (): string => 'v" });
    expect(await loader.prewarm!(fx.path('leaf.ts'))).toBe('failed');
    expect(await loader.prewarm!(fx.path('gone.ts'))).toBe('failed');
    fx.write({ 'leaf.ts': "globalThis.__prewarmRan = true;\nexport const leaf = (): string => 'v3';\n" });
    expect(await loader.prewarm!(fx.path('leaf.ts'))).toBe('compiled');
    expect((globalThis as { __prewarmRan?: boolean }).__prewarmRan).toBe(false);

    fx.write({ 'leaf.ts': 'export const leaf = (: string => 1;\n' });
    await expect(loader.load([fx.path('role.ts')])).rejects.toThrow(/Syntax error in .*leaf\.ts:1:/);
    delete (globalThis as { __prewarmRan?: boolean }).__prewarmRan;
  });

  it('skips what it never transforms: packages, relative paths, and everything once closed', async () => {
    const fx = fixture(graph('v1'));
    const loader = managedLoader();
    expect(await loader.prewarm!(`${fx.dir}/node_modules/pkg/index.js`)).toBe('skipped');
    expect(await loader.prewarm!('leaf.ts')).toBe('skipped');
    loader.close();
    expect(await loader.prewarm!(fx.path('leaf.ts'))).toBe('skipped');
  });
});
