// Memory and speed of the managed loader across many reloads.
//
//   npm run build && node --expose-gc bench/loaders/managed-memory.mjs [cycles]
//
// For each variant (ESM .js, CommonJS .cjs, TypeScript .ts) a 20-file graph
// (entry + 19 helpers, chained and fanned out, some importing zod) is written
// under .tmp/, then loaded and released `cycles` times (default 500) with
// every file rewritten each time, so every load transforms and evaluates 20
// new versions. Heap is read after forced GCs at the middle and at the end;
// the retention per reload is measured over the second half only, so caches
// that fill up and level off in the first half are not counted as leaks.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createManagedLoader, retainedSourceMaps } from '../../dist/loading/managed/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const work = path.join(root, '.tmp', 'bench-managed-memory');
const CYCLES = Number(process.argv[2] ?? 500);
const EDIT_SAMPLES = 60;
const TARGET_KB = 5;
const HELPERS = 19;

if (typeof globalThis.gc !== 'function') {
  console.error('run with: node --expose-gc bench/loaders/managed-memory.mjs');
  process.exit(2);
}

/** File i (0 = entry) imports helpers 2i+1 and 2i+2: a tree 4 levels deep, so chains and fan-out; every third file imports zod. */
function depsOf(i) {
  return [2 * i + 1, 2 * i + 2].filter((d) => d >= 1 && d <= HELPERS);
}

const variants = {
  esm: {
    ext: '.js',
    pkg: { type: 'module' },
    file(i, version) {
      const deps = depsOf(i);
      const lines = deps.map((d) => `import { value as v${d} } from './h${d}.js';`);
      if (i % 3 === 0) lines.push(`import { z } from 'zod';`, `const schema = z.number();`);
      lines.push(`export const version = ${version};`);
      lines.push(`export function compute(n) { return n * 2 + version; }`);
      lines.push(`export const value = ${i % 3 === 0 ? 'schema.parse(version)' : 'version'} + ${deps.map((d) => `v${d}`).join(' + ') || '0'};`);
      if (i === 0) lines.push(`export default { value, compute };`);
      return lines.join('\n') + '\n';
    },
  },
  cjs: {
    ext: '.cjs',
    pkg: { type: 'commonjs' },
    file(i, version) {
      const deps = depsOf(i);
      const lines = deps.map((d) => `const { value: v${d} } = require('./h${d}.cjs');`);
      if (i % 3 === 0) lines.push(`const { z } = require('zod');`, `const schema = z.number();`);
      lines.push(`const version = ${version};`);
      lines.push(`function compute(n) { return n * 2 + version; }`);
      lines.push(`const value = ${i % 3 === 0 ? 'schema.parse(version)' : 'version'} + ${deps.map((d) => `v${d}`).join(' + ') || '0'};`);
      lines.push(`module.exports = { version, value, compute };`);
      return lines.join('\n') + '\n';
    },
  },
  ts: {
    ext: '.ts',
    pkg: { type: 'module' },
    file(i, version) {
      const deps = depsOf(i);
      const lines = deps.map((d) => `import { value as v${d} } from './h${d}.js';`);
      if (i % 3 === 0) lines.push(`import { z } from 'zod';`, `const schema = z.number();`);
      lines.push(`interface Shape { value: number; compute(n: number): number }`);
      lines.push(`export const version: number = ${version};`);
      lines.push(`export function compute(n: number): number { return n * 2 + version; }`);
      lines.push(`export const value: number = ${i % 3 === 0 ? 'schema.parse(version)' : 'version'} + ${deps.map((d) => `v${d}`).join(' + ') || '0'};`);
      if (i === 0) lines.push(`const role: Shape = { value, compute };`, `export default role;`);
      return lines.join('\n') + '\n';
    },
  },
};

function fileName(variant, i) {
  return i === 0 ? `role${variant.ext}` : `h${i}${variant.ext}`;
}

function writeGraph(dir, variant, versionOf) {
  for (let i = 0; i <= HELPERS; i++) writeFileSync(path.join(dir, fileName(variant, i)), variant.file(i, versionOf(i)));
}

function heapAfterGc() {
  for (let i = 0; i < 4; i++) globalThis.gc();
  return process.memoryUsage().heapUsed;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function valueOf(exports) {
  const role = exports.default ?? exports;
  return role.value;
}

async function runVariant(name, variant) {
  const dir = path.join(work, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify(variant.pkg));
  const entry = path.join(dir, fileName(variant, 0));
  const loader = createManagedLoader();

  // Warm-up: first load, zod into Node's cache, V8 optimisation.
  writeGraph(dir, variant, () => 0);
  loader.release(await loader.load([entry]));

  // Speed after a one-file edit (a leaf two or more imports deep).
  const oneEdit = [];
  for (let k = 1; k <= EDIT_SAMPLES; k++) {
    writeFileSync(path.join(dir, fileName(variant, HELPERS)), variant.file(HELPERS, k));
    const t = performance.now();
    const loaded = await loader.load([entry]);
    oneEdit.push(performance.now() - t);
    loader.release(loaded);
  }

  // Memory (and speed) with every file edited on every load.
  const allEdit = [];
  let mid = 0;
  let expected = 0;
  for (let cycle = 1; cycle <= CYCLES; cycle++) {
    const version = 1000 + cycle;
    writeGraph(dir, variant, () => version);
    const t = performance.now();
    const loaded = await loader.load([entry]);
    allEdit.push(performance.now() - t);
    const value = valueOf(loaded[0].exports);
    // 20 files each adding `version`: a wrong value means stale code ran.
    expected = version * (HELPERS + 1);
    if (value !== expected) throw new Error(`${name}: cycle ${cycle} computed ${value}, expected ${expected}`);
    loader.release(loaded);
    if (cycle === Math.floor(CYCLES / 2)) mid = heapAfterGc();
  }
  const end = heapAfterGc();
  const perReload = (end - mid) / 1024 / (CYCLES - Math.floor(CYCLES / 2));
  const result = {
    variant: name,
    'KB/reload (2nd half)': Number(perReload.toFixed(3)),
    'heap mid MB': Number((mid / 1048576).toFixed(1)),
    'heap end MB': Number((end / 1048576).toFixed(1)),
    'ms/load 1 file edited': Number(median(oneEdit).toFixed(2)),
    'ms/load 20 files edited': Number(median(allEdit).toFixed(2)),
    'cached files': loader.stats.cachedFiles,
    'live generations': loader.stats.liveGenerations,
  };
  loader.close();
  return result;
}

const started = performance.now();
const results = [];
for (const [name, variant] of Object.entries(variants)) results.push(await runVariant(name, variant));
console.table(results);
console.log(`source maps retained process-wide after close: ${retainedSourceMaps()}`);
console.log(`rss ${(process.memoryUsage().rss / 1048576).toFixed(0)} MB, total ${((performance.now() - started) / 1000).toFixed(1)} s, ${CYCLES} cycles per variant`);
const worst = Math.max(...results.map((r) => r['KB/reload (2nd half)']));
console.log(worst <= TARGET_KB ? `OK: at most ${worst.toFixed(3)} KB retained per reload (target ${TARGET_KB})` : `ABOVE TARGET: ${worst.toFixed(3)} KB per reload (target ${TARGET_KB})`);
rmSync(work, { recursive: true, force: true });
process.exitCode = worst <= TARGET_KB ? 0 : 1;
