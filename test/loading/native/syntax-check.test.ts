/** The native loader's prewarm: whether a saved file parses, read off the file as it is on disk. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkSyntax } from '../../../src/loading/native/syntax-check.js';

mkdirSync(resolve('.tmp'), { recursive: true });
const dir = mkdtempSync(join(resolve('.tmp'), 'syntax-check-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => (writeFileSync(join(dir, name), text), join(dir, name));

describe('native loader: syntax check of a saved file', () => {
  it.each([
    ['an ES module', 'm.mjs', "import { a } from './a.js';\nexport default { name: 'x', a };\n"],
    ['CommonJS', 'c.cjs', "const a = require('./a');\nmodule.exports = { name: 'x', a };\n"],
    ['TypeScript', 't.ts', "import type { A } from './a.js';\nexport const x: A | number = 1;\nenum E { a }\n"],
    ['TSX', 'v.tsx', 'export const v = (n: number) => <b>{n}</b>;\n'],
    ['JSON', 'd.json', '{ "a": [1, 2] }'],
  ])('says %s compiles', async (_label, name, text) => {
    expect(await checkSyntax(file(name, text))).toBe('compiled');
  });

  it.each([
    ['an ES module cut mid-statement', 'cut.mjs', "export default { name: 'x', init(ctx) { ctx.route('GET', '/a', () => new Response('v"],
    ['TypeScript cut mid-type', 'cut.ts', 'export const x: Record<string, '],
    ['JSON cut short', 'cut.json', '{ "a": [1, '],
  ])('says %s does not', async (_label, name, text) => {
    expect(await checkSyntax(file(name, text))).toBe('failed');
  });

  it('says a file that is gone does not (the load reports it)', async () => {
    expect(await checkSyntax(join(dir, 'gone.js'))).toBe('failed');
  });
});
