/**
 * The 20-file role graph the reload benchmarks use: an entry role plus 19
 * helpers (a fan of four chains), some importing zod, in ESM, CommonJS and
 * TypeScript variants. `write(version, which)` rewrites one leaf or every file.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const HELPERS = 19;
const EXT = { esm: 'mjs', cjs: 'cjs', ts: 'ts' };

function helper(variant, i, version) {
  const next = i + 4 <= HELPERS ? i + 4 : undefined;
  const ext = EXT[variant];
  const useZod = i % 5 === 0;
  if (variant === 'cjs') {
    return [
      useZod ? `const { z } = require('zod');` : '',
      next ? `const { value: nextValue } = require('./h${next}.${ext}');` : '',
      `exports.value = () => ${version} + ${i}${next ? ' + nextValue()' : ''}${useZod ? " + z.number().parse(0)" : ''};`,
    ].join('\n');
  }
  const type = variant === 'ts' ? ': number' : '';
  return [
    useZod ? `import { z } from 'zod';` : '',
    next ? `import { value as nextValue } from './h${next}.${ext}';` : '',
    `export const value = ()${type} => ${version} + ${i}${next ? ' + nextValue()' : ''}${useZod ? ' + z.number().parse(0)' : ''};`,
  ].join('\n');
}

function entry(variant, version) {
  const ext = EXT[variant];
  const heads = [1, 2, 3, 4];
  const body = `
const total = () => ${heads.map((h) => `v${h}()`).join(' + ')};
const role = {
  name: 'bench',
  init(ctx) { ctx.route('GET', '/value', () => new Response(String(total()))); },
  stop() { return { version: ${version} }; },
};`;
  if (variant === 'cjs') {
    return `${heads.map((h) => `const { value: v${h} } = require('./h${h}.${ext}');`).join('\n')}\n${body}\nmodule.exports = { default: role, total };\n`;
  }
  return `${heads.map((h) => `import { value as v${h} } from './h${h}.${ext}';`).join('\n')}\n${body}\nexport default role;\nexport { total };\n`;
}

/** Create the graph in `dir`; returns its entry path and a writer for new versions. */
export function createGraph(dir, variant) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const ext = EXT[variant];
  const entryPath = join(dir, `role.${ext}`);
  const write = (version, which = 'all') => {
    if (which === 'one') {
      writeFileSync(join(dir, `h${HELPERS}.${ext}`), helper(variant, HELPERS, version));
      return;
    }
    for (let i = 1; i <= HELPERS; i++) writeFileSync(join(dir, `h${i}.${ext}`), helper(variant, i, version));
    writeFileSync(entryPath, entry(variant, version));
  };
  write(0);
  return { entry: entryPath, write };
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

export const percentile = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
