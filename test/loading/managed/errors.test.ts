import { describe, expect, it } from 'vitest';
import type { ManagedLoader } from '../../../src/loading/managed/index.js';
import { cleanUpAfterEach, fixture, managedLoader, type Fixture } from './fixture.js';

cleanUpAfterEach();
/** The fixture and loader of the last loadError, for the assertions that follow it. */
let fx: Fixture;
let loader: ManagedLoader;

async function loadError(files: Record<string, string>, entry: string): Promise<Error & { file?: string }> {
  fx = fixture({ 'package.json': '{ "type": "module" }', ...files });
  loader = managedLoader();
  const failure = await loader.load([fx.path(entry)]).then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(failure).toBeInstanceOf(Error);
  // Nothing of a failed load stays alive.
  expect(loader.stats.liveGenerations).toBe(0);
  return failure as Error & { file?: string };
}

describe('managed loader: failures name the file', () => {
  it('refuses top-level await, naming the file and pointing at the native loader, before running anything', async () => {
    const error = await loadError(
      {
        'role.ts': "globalThis.__rolekitTlaRan = true;\nimport { v } from './uses-tla.js';\nexport default v;\n",
        'uses-tla.ts': "export const v: number = await Promise.resolve(1);\n",
      },
      'role.ts',
    );
    expect(error.message).toContain(fx.path('uses-tla.ts'));
    expect(error.message).toContain("loader: 'native'");
    expect(error.message).toMatch(/top-level await/);
    expect((globalThis as { __rolekitTlaRan?: boolean }).__rolekitTlaRan).toBeUndefined();
  });

  it('refuses `for await` at top level too, but accepts await inside functions', async () => {
    const error = await loadError(
      {
        'role.js': "import './loop.js';\nexport const ok = async () => { await 1; for await (const x of []) {} };\n",
        'loop.js': 'for await (const x of [Promise.resolve(1)]) { void x; }\n',
      },
      'role.js',
    );
    expect(error.message).toContain(fx.path('loop.js'));
    expect(error.message).toContain("loader: 'native'");
  });

  it('rejects a syntax error with file:line:column in a one-line message and the swc diagnostic as cause', async () => {
    const error = await loadError(
      {
        'role.ts': "import { h } from './broken.js';\nexport default h;\n",
        'broken.ts': 'export const h = 1;\nexport const oops = ;\n',
      },
      'role.ts',
    );
    expect(error.message).toBe(`Syntax error in ${fx.path('broken.ts')}:2:21: Expression expected`);
    expect(error.file).toBe(fx.path('broken.ts'));
    expect(error.cause).toBeInstanceOf(Error);
    // The drawing of the code stays in the cause.
    expect(String((error.cause as Error).message)).toContain('`----');
  });

  it('places the column by UTF-16 units, past tabs and characters outside ASCII', async () => {
    const line = "\tconst s = 'naïve 😀'; const t = [1, 2 ;";
    const error = await loadError({ 'role.js': `export const a = 1;\n${line}\n` }, 'role.js');
    expect(error.message).toBe(`Syntax error in ${fx.path('role.js')}:2:${line.indexOf(' ;') + 2}: Expected ',', got ';'`);
  });

  it('maps the position of an error only V8 finds (a name declared twice) back to the file', async () => {
    const esm = await loadError({ 'role.js': 'export let x = 1;\n  let y = 2; let x = 3;\n' }, 'role.js');
    expect(esm.message).toBe(`Syntax error in ${fx.path('role.js')}:2:18: Identifier 'x' has already been declared`);
    const cjs = await loadError({ 'role.cjs': 'exports.x = 1;\n  let y = 2; let y = 3;\n' }, 'role.cjs');
    expect(cjs.message).toBe(`Syntax error in ${fx.path('role.cjs')}:2:18: Identifier 'y' has already been declared`);
  });

  it('rejects a syntax error in a CommonJS file (checked by V8 or swc) naming it', async () => {
    const error = await loadError({ 'role.cjs': 'module.exports = {;\n' }, 'role.cjs');
    expect(error.message).toContain(fx.path('role.cjs'));
    expect(error.cause).toBeDefined();
  });

  it('names the file whose evaluation threw (not the entry), with the thrown error as cause', async () => {
    const error = await loadError(
      {
        'role.js': "import './middle.js';\nexport default 1;\n",
        'middle.js': "import './thrower.js';\nexport {};\n",
        'thrower.js': "throw new RangeError('bad config at import');\n",
      },
      'role.js',
    );
    expect(error.message).toContain(fx.path('thrower.js'));
    expect(error.message).toContain('bad config at import');
    expect(error.cause).toBeInstanceOf(RangeError);
    expect(error.file).toBe(fx.path('thrower.js'));
  });

  it('names the entry when the entry itself throws, even a non-Error value', async () => {
    const error = await loadError({ 'role.js': "throw 'plain string';\n" }, 'role.js');
    expect(error.message).toContain(fx.path('role.js'));
    expect(error.cause).toBe('plain string');
  });

  it('rejects an unresolvable import naming the importing file and the specifier', async () => {
    const error = await loadError(
      {
        'role.js': "import { x } from './lib.js';\nexport default x;\n",
        'lib.js': "export { x } from './missing.js';\n",
      },
      'role.js',
    );
    expect(error.message).toContain(fx.path('lib.js'));
    expect(error.message).toContain('./missing.js');
    expect((error.cause as { code?: string }).code).toBe('MODULE_NOT_FOUND');
  });

  it('rejects an unknown package naming the importing file', async () => {
    const error = await loadError({ 'role.js': "import 'no-such-package-rolekit';\n" }, 'role.js');
    expect(error.message).toContain(fx.path('role.js'));
    expect(error.message).toContain('no-such-package-rolekit');
  });

  it('rejects a missing entry naming it', async () => {
    const error = await loadError({}, 'nope.js');
    expect(error.message).toContain(fx.path('nope.js'));
  });

  it('a failed load leaves the loader usable and the cache consistent', async () => {
    await loadError({ 'role.js': 'export const a = ;\n' }, 'role.js');
    fx.write({ 'role.js': 'export const a = 1;\n' });
    const [m] = await loader.load([fx.path('role.js')]);
    expect(m.exports.a).toBe(1);
  });
});
