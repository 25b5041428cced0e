import { describe, expect, it } from 'vitest';
import { cleanUpAfterEach, fixture, lineOf, managedLoader } from './fixture.js';

cleanUpAfterEach();

// Types, blank lines and an interface before the throw: swc's output has the
// throw on a different line, so only a mapped trace reports the source line.
const roleTs = (marker: string) =>
  [
    "import { check } from './check.js';",
    '',
    'interface Options {',
    '  strict: boolean;',
    '  limit?: number;',
    '}',
    '',
    'type Result = { ok: true } | { ok: false; reason: string };',
    '',
    'export function run(options: Options): Result {',
    '  if (!options.strict) return { ok: true };',
    `  throw new Error('${marker}');`,
    '}',
    '',
    'export function viaHelper(): boolean {',
    '  return check(-1);',
    '}',
  ].join('\n');

const checkTs = [
  'export interface Limits { min: number }',
  'const limits: Limits = { min: 0 };',
  'export function check(n: number): boolean {',
  '  if (n < limits.min) {',
  "    throw new RangeError('below min');",
  '  }',
  '  return true;',
  '}',
].join('\n');

function stackOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return (error as Error).stack ?? '';
  }
  throw new Error('did not throw');
}

describe('managed loader: stack traces', () => {
  it('reports the original .ts file and line for an error thrown in role code', async () => {
    const role = roleTs('boom v1');
    const fx = fixture({ 'package.json': '{ "type": "module" }', 'role.ts': role, 'check.ts': checkTs });
    const loader = managedLoader();
    const [m] = await loader.load([fx.path('role.ts')]);
    const stack = stackOf(() => (m.exports.run as (o: object) => unknown)({ strict: true }));
    expect(stack).toContain(`${fx.path('role.ts')}:${lineOf(role, 'boom v1')}:`);
    // The internal script name never leaks into the rendered trace.
    expect(stack).not.toContain('?rolekit=');

    const nested = stackOf(() => (m.exports.viaHelper as () => unknown)());
    expect(nested).toContain(`${fx.path('check.ts')}:${lineOf(checkTs, 'below min')}:`);
    expect(nested).toContain(`${fx.path('role.ts')}:${lineOf(role, 'return check(-1)')}:`);
  });

  it('maps each live version with its own map (old code keeps reporting its own lines)', async () => {
    const v1 = roleTs('boom v1');
    const fx = fixture({ 'package.json': '{ "type": "module" }', 'role.ts': v1, 'check.ts': checkTs });
    const loader = managedLoader();
    const [old] = await loader.load([fx.path('role.ts')]);
    // v2 moves the throw down by three lines.
    const v2 = v1.replace("import { check } from './check.js';", "import { check } from './check.js';\n\n\n").replace('boom v1', 'boom v2');
    fx.write({ 'role.ts': v2 });
    const [current] = await loader.load([fx.path('role.ts')]);
    const oldStack = stackOf(() => (old.exports.run as (o: object) => unknown)({ strict: true }));
    const newStack = stackOf(() => (current.exports.run as (o: object) => unknown)({ strict: true }));
    expect(lineOf(v2, 'boom v2')).toBe(lineOf(v1, 'boom v1') + 3);
    expect(oldStack).toContain(`role.ts:${lineOf(v1, 'boom v1')}:`);
    expect(newStack).toContain(`role.ts:${lineOf(v2, 'boom v2')}:`);
  });

  it('composes with an existing Error.prepareStackTrace: it receives mapped call sites, and close() restores it', async () => {
    const role = roleTs('structured');
    const fx = fixture({ 'package.json': '{ "type": "module" }', 'role.ts': role, 'check.ts': checkTs });
    const saved = Error.prepareStackTrace;
    const seen: Array<{ file: string | null; line: number | null }> = [];
    // A library reading call sites (say, a logger's caller info), installed before rolekit.
    const library = (error: Error, frames: NodeJS.CallSite[]) => {
      seen.push(...frames.map((f) => ({ file: f.getFileName(), line: f.getLineNumber() })));
      return saved ? saved(error, frames) : `${String(error)}${frames.map((f) => `\n    at ${f}`).join('')}`;
    };
    Error.prepareStackTrace = library;
    try {
      const loader = managedLoader();
      expect(Error.prepareStackTrace).not.toBe(library);
      const [m] = await loader.load([fx.path('role.ts')]);
      const stack = stackOf(() => (m.exports.run as (o: object) => unknown)({ strict: true }));
      expect(stack).toContain(`${fx.path('role.ts')}:${lineOf(role, 'structured')}:`);
      expect(seen[0]).toEqual({ file: fx.path('role.ts'), line: lineOf(role, 'structured') });
      loader.close();
      expect(Error.prepareStackTrace).toBe(library);
    } finally {
      Error.prepareStackTrace = saved;
    }
  });
});
