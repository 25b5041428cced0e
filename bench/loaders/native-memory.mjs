// Memory and speed of the native loader across many reloads.
//
//   npm run build && node --expose-gc bench/loaders/native-memory.mjs [cycles] [esm|cjs|ts ...]
//
// Same workload as managed-memory.mjs, so the two read side by side: for each
// variant (ESM .js, CommonJS .cjs, TypeScript .ts) a 20-file graph (entry + 19
// helpers in a tree four levels deep, every third file importing zod) is
// written under .tmp/, then loaded and released `cycles` times (default 500)
// with every file rewritten each time. Heap is read after forced GCs at the
// middle and at the end; retention per reload is measured over the second half
// only, so caches that fill up and level off in the first half do not count.
//
// Each variant runs in a child process of its own: Node never frees an ES
// module, so the ESM and TypeScript runs would otherwise inflate the heap (and
// the GC times) of whatever runs after them.
//
// What to expect: CommonJS graphs are evicted from require.cache and collected
// (about 0 KB per reload; see heapAfterGc for V8's compilation cache). ES module and TypeScript graphs are not: Node keeps
// every module it ever evaluated (its module map, the compiled code, the
// namespace and everything it references), so each reload costs memory for
// the life of the process; that number is what this file exists to measure.
// The only target checked is the CommonJS one.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const self = fileURLToPath(import.meta.url);
const root = path.resolve(path.dirname(self), '../..');
const work = path.join(root, '.tmp', 'bench-native-memory');
const EDIT_SAMPLES = 60;
const CJS_TARGET_KB = 5;
const HELPERS = 19;

if (typeof globalThis.gc !== 'function') {
  console.error('run with: node --expose-gc bench/loaders/native-memory.mjs');
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

/**
 * Heap used after full GCs, two ways. `plain`: ordinary major GCs. `reclaimable`:
 * V8's last-resort GC, what it does under memory pressure before giving up,
 * which also drops its compilation cache. On Node 22+ that cache keeps every
 * compiled CommonJS wrapper (keyed by source) across ordinary GCs, so a plain
 * reading grows by ~20 KB per CommonJS reload although a heap limit makes V8
 * evict it (checked: 4000 reloads stay flat under --max-old-space-size=24).
 * The reclaimable reading is the memory reloading really costs.
 */
async function heapAfterGc() {
  for (let i = 0; i < 4; i++) {
    globalThis.gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  const plain = process.memoryUsage().heapUsed;
  for (let i = 0; i < 2; i++) {
    globalThis.gc({ type: 'major', execution: 'sync', flavor: 'last-resort' });
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { plain, reclaimable: process.memoryUsage().heapUsed };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function valueOf(exports) {
  const role = exports.default ?? exports;
  return role.value;
}

/** Child process: one variant, prints one JSON line. */
async function runVariant(name, cycles) {
  const { createNativeLoader } = await import('../../dist/loading/native/index.js');
  const variant = variants[name];
  const dir = path.join(work, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify(variant.pkg));
  const entry = path.join(dir, fileName(variant, 0));
  const loader = createNativeLoader();

  // Warm-up: first load, zod into Node's cache, V8 optimisation.
  writeGraph(dir, variant, () => 0);
  loader.release(await loader.load([entry]));

  // Speed after a one-file edit (a leaf four imports deep). The native
  // loader still evaluates all 20 files: every load is a new generation.
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
  let mid;
  const half = Math.floor(cycles / 2);
  const rssStart = process.memoryUsage().rss;
  for (let cycle = 1; cycle <= cycles; cycle++) {
    const version = 1000 + cycle;
    writeGraph(dir, variant, () => version);
    const t = performance.now();
    const loaded = await loader.load([entry]);
    allEdit.push(performance.now() - t);
    const value = valueOf(loaded[0].exports);
    // 20 files each adding `version`: a wrong value means stale code ran.
    const expected = version * (HELPERS + 1);
    if (value !== expected) throw new Error(`${name}: cycle ${cycle} computed ${value}, expected ${expected}`);
    if (loaded[0].files.length !== HELPERS + 1) throw new Error(`${name}: ${loaded[0].files.length} files listed, expected ${HELPERS + 1}`);
    loader.release(loaded);
    if (cycle === half) mid = await heapAfterGc();
  }
  const end = await heapAfterGc();
  loader.close();
  // Both from the reclaimable reading at the middle: the last-resort GC there
  // emptied V8's compilation cache, so a plain reading at the end holds what
  // the second half retained plus what that cache took meanwhile.
  const perReload = (bytes) => Number((bytes / 1024 / (cycles - half)).toFixed(3));
  const result = {
    variant: name,
    cycles,
    'KB/reload (2nd half)': perReload(end.reclaimable - mid.reclaimable),
    'KB/reload, plain gc': perReload(end.plain - mid.reclaimable),
    'heap mid MB': Number((mid.reclaimable / 1048576).toFixed(1)),
    'heap end MB': Number((end.reclaimable / 1048576).toFixed(1)),
    'rss growth MB': Number(((process.memoryUsage().rss - rssStart) / 1048576).toFixed(0)),
    'ms/load 1 file edited': Number(median(oneEdit).toFixed(2)),
    'ms/load 20 files edited': Number(median(allEdit).toFixed(2)),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

// Arguments only when run directly: bench/run.mjs imports this file in a
// child whose argv is its own.
const args = path.resolve(process.argv[1] ?? '') === self ? process.argv.slice(2) : [];
if (args[0] === '--variant') {
  await runVariant(args[1], Number(args[2]));
} else {
  const cycles = Number(args[0] ?? 500);
  const names = args.length > 1 ? args.slice(1) : Object.keys(variants);
  const started = performance.now();
  const results = [];
  for (const name of names) {
    const child = spawnSync(process.execPath, ['--expose-gc', self, '--variant', name, String(cycles)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    if (child.status !== 0) {
      console.error(`${name}: child exited with ${child.status}\n${child.stdout}`);
      process.exit(1);
    }
    results.push(JSON.parse(child.stdout.trim().split('\n').at(-1)));
  }
  rmSync(work, { recursive: true, force: true });
  console.log(`native loader, node ${process.version}, ${cycles} load+release cycles per variant, every file edited each cycle`);
  console.table(results);
  console.log(`total ${((performance.now() - started) / 1000).toFixed(1)} s`);
  console.log('ESM and TypeScript graphs stay in memory for the life of the process (Node cannot evict ES modules): their KB/reload is a cost, not a target.');
  const cjs = results.find((r) => r.variant === 'cjs');
  if (cjs) {
    const ok = cjs['KB/reload (2nd half)'] <= CJS_TARGET_KB;
    console.log(ok ? `OK: CommonJS retains ${cjs['KB/reload (2nd half)']} KB per reload (target ${CJS_TARGET_KB})` : `ABOVE TARGET: CommonJS retains ${cjs['KB/reload (2nd half)']} KB per reload (target ${CJS_TARGET_KB})`);
    process.exitCode = ok ? 0 : 1;
  }
}
