/**
 * vitest runs the loader through its own module runner (its own import(),
 * its own Error.prepareStackTrace). These scenarios run the compiled loader
 * (dist/) in a plain `node` process, the way a service runs it.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, lineOf, repoRoot, type Fixture } from './fixture.js';

const compiled = path.join(repoRoot, 'dist/loading/managed/index.js');

const roleTs = [
  "import { middle } from './middle.js';",
  "import YAML from 'yaml';",
  "import hello from 'esm-only';",
  "import settings from './settings.json' with { type: 'json' };",
  '',
  'interface Report { value: string; yaml: string; greeting: string; url: string }',
  '',
  'export function report(): Report {',
  '  return { value: middle(), yaml: YAML.stringify(settings).trim(), greeting: hello(), url: import.meta.url };',
  '}',
  '',
  'export function fail(reason: string): never {',
  '  throw new Error(`failed: ${reason}`); // FAIL-LINE',
  '}',
  '',
  'export function crashLater(): void {',
  "  setTimeout(() => { throw new TypeError('crashed in a timer'); }, 1); // CRASH-LINE",
  '}',
].join('\n');

const files = {
  'package.json': '{ "type": "module" }',
  'role.ts': roleTs,
  'middle.ts': "import { leaf, schema } from './leaf.js';\nexport const middle = (): string => schema.parse(leaf);\nexport { schema };\n",
  'leaf.ts': "import { z } from 'zod';\nexport const schema = z.string();\nexport const leaf: string = 'v1';\n",
  'settings.json': '{ "port": 8080 }',
  'tla.ts': 'export const x = await Promise.resolve(1);\n',
  'node_modules/esm-only/package.json': '{ "name": "esm-only", "type": "module", "exports": "./index.js" }',
  'node_modules/esm-only/index.js': "await Promise.resolve();\nexport default function hello() { return 'hello'; }\n",
  'scenario.mjs': `
import { writeFileSync } from 'node:fs';
import { createManagedLoader } from ${JSON.stringify(pathToFileURL(compiled).href)};
const here = (name) => new URL(name, import.meta.url).pathname;
const out = {};
// Node 20.20 exposes its default formatter here; older versions leave it undefined.
const originalHook = Error.prepareStackTrace;
const loader = createManagedLoader();
out.hookInstalled = Error.prepareStackTrace !== originalHook;
let [first] = await loader.load([here('role.ts')]);
out.first = first.exports.report();
try { first.exports.fail('x'); } catch (error) { out.stack = error.stack; }
out.files = first.files.map((f) => [f.path, f.imports]);
let oldReport = first.exports.report;
const oldSchema = (await loader.load([here('middle.ts')]))[0].exports.schema;
writeFileSync(here('leaf.ts'), "import { z } from 'zod';\\nexport const schema = z.string();\\nexport const leaf: string = 'v2';\\n");
const [second] = await loader.load([here('role.ts')]);
out.second = second.exports.report();
out.oldStillOld = oldReport().value;
out.sameExportsObject = first.exports === second.exports;
out.transforms = loader.stats.transforms;
const { z } = await import('zod');
out.zodIsNodes = oldSchema instanceof z.ZodType;
try { await loader.load([here('tla.ts')]); out.tla = 'loaded'; } catch (error) { out.tla = error.message; }
// The replaced version must become garbage once released.
const weak = new WeakRef(first.exports);
loader.release([first]);
first = undefined;
oldReport = undefined;
await new Promise((r) => setImmediate(r));
for (let i = 0; i < 5; i++) { globalThis.gc(); await new Promise((r) => setImmediate(r)); }
out.oldCollected = weak.deref() === undefined;
if (process.argv[2] === 'crash') second.exports.crashLater();
else { loader.close(); out.hookRestored = Error.prepareStackTrace === originalHook; }
process.stdout.write(JSON.stringify(out));
`,
};

let fx: Fixture;

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--expose-gc', fx.path('scenario.mjs'), ...args], { cwd: fx.dir, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

beforeAll(() => {
  // dist/ is built by `npm test` before any test runs. Rebuilding it here raced with
  // other test files running child processes against dist/ at the same moment.
  if (!existsSync(compiled)) throw new Error(`${compiled} is missing: run npm run build first`);
  fx = fixture(files);
});

afterAll(() => { if (!process.env.KEEP_FIXTURE) fx?.remove(); });

describe('managed loader in a plain node process (compiled dist/)', () => {
  it('loads, reloads after a deep edit, maps stack traces, refuses TLA, and lets a released version be collected', async () => {
    const { code, stdout, stderr } = await run([]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.first).toEqual({ value: 'v1', yaml: 'port: 8080', greeting: 'hello', url: pathToFileURL(fx.path('role.ts')).href });
    expect(out.stack).toContain(`${fx.path('role.ts')}:${lineOf(roleTs, 'FAIL-LINE')}:`);
    expect(out.stack).not.toContain('?rolekit=');
    expect(out.files).toEqual([
      [fx.path('role.ts'), [fx.path('middle.ts'), fx.path('settings.json')]],
      [fx.path('middle.ts'), [fx.path('leaf.ts')]],
      [fx.path('settings.json'), []],
      [fx.path('leaf.ts'), []],
    ]);
    expect(out.second.value).toBe('v2');
    expect(out.oldStillOld).toBe('v1');
    expect(out.sameExportsObject).toBe(false);
    // 4 files, then a reload of middle (cached), then only leaf.ts changed.
    expect(out.transforms).toBe(5);
    expect(out.zodIsNodes).toBe(true);
    expect(out.tla).toContain(fx.path('tla.ts'));
    expect(out.tla).toContain("loader: 'native'");
    expect(out.oldCollected).toBe(true);
    expect(out.hookInstalled).toBe(true);
    expect(out.hookRestored).toBe(true);
  });

  it('an uncaught error thrown later by role code is printed by Node with the original file and line', async () => {
    const { code, stderr } = await run(['crash']);
    expect(code).not.toBe(0);
    expect(stderr).toContain('crashed in a timer');
    expect(stderr).toContain(`${fx.path('role.ts')}:${lineOf(roleTs, 'CRASH-LINE')}:`);
  });
});
