/**
 * The 20-file role graph every reload and loader benchmark uses.
 *
 * The graph: an entry (`role.*`) plus 19 helpers (`h1` … `h19`); file i
 * (0 = the entry) imports helpers 2i+1 and 2i+2, a tree four levels deep, so
 * chains and fan-out; every third file imports zod. Variants: `esm` (.js,
 * package.json type module), `cjs` (.cjs, type commonjs) and `ts` (.ts,
 * imports spelled `./hN.js`, with types and an interface to strip).
 *
 * Every file exports `version`, `compute(n)` and `value` = its version plus the
 * values of the files it imports, computed when it is evaluated: with every
 * file at version v the entry's value is 20·v, so a wrong total means stale
 * code ran. The entry is loadable both by the raw loaders (inspect the
 * exports, `totalOf(exports)`) and by the runtime: its default export is the
 * role `bench` (GET /value answers `total()`), and it exports `total`
 * (CommonJS: `module.exports = { default: role, total }`).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const HELPERS = 19;
/** Files in the graph, the entry included. */
export const FILES = HELPERS + 1;
export const VARIANTS = ['esm', 'cjs', 'ts'];

const KINDS = {
  esm: { ext: '.js', type: 'module' },
  cjs: { ext: '.cjs', type: 'commonjs' },
  ts: { ext: '.ts', type: 'module' },
};

/** File i (0 = entry) imports helpers 2i+1 and 2i+2. */
function depsOf(i) {
  return [2 * i + 1, 2 * i + 2].filter((d) => d >= 1 && d <= HELPERS);
}

function fileName(variant, i) {
  return `${i === 0 ? 'role' : `h${i}`}${KINDS[variant].ext}`;
}

/** The source of file i at `version`. */
function source(variant, i, version) {
  const deps = depsOf(i);
  const zod = i % 3 === 0;
  const sum = `${zod ? 'schema.parse(version)' : 'version'} + ${deps.map((d) => `v${d}`).join(' + ') || '0'}`;
  const role = [
    `const total = () => value;`,
    `const role${variant === 'ts' ? ': Role' : ''} = {`,
    `  name: 'bench',`,
    `  init(ctx${variant === 'ts' ? ': Ctx' : ''}) { ctx.route('GET', '/value', () => new Response(String(total()))); },`,
    `  stop() { return { version }; },`,
    `};`,
  ];
  if (variant === 'cjs') {
    const lines = deps.map((d) => `const { value: v${d} } = require('./h${d}.cjs');`);
    if (zod) lines.push(`const { z } = require('zod');`, `const schema = z.number();`);
    lines.push(`const version = ${version};`);
    lines.push(`function compute(n) { return n * 2 + version; }`);
    lines.push(`const value = ${sum};`);
    if (i === 0) lines.push(...role, `module.exports = { default: role, total };`);
    else lines.push(`module.exports = { version, value, compute };`);
    return lines.join('\n') + '\n';
  }
  const ts = variant === 'ts';
  const type = ts ? ': number' : '';
  const lines = deps.map((d) => `import { value as v${d} } from './h${d}.js';`);
  if (zod) lines.push(`import { z } from 'zod';`, `const schema = z.number();`);
  if (ts) lines.push(`interface Shape { value: number; compute(n: number): number }`);
  lines.push(`export const version${type} = ${version};`);
  lines.push(`export function compute(n${type})${type} { return n * 2 + version; }`);
  lines.push(`export const value${type} = ${sum};`);
  if (i === 0) {
    if (ts) {
      lines.push(
        `type Ctx = { route(method: string, path: string, handler: () => Response): void };`,
        `interface Role { name: string; init(ctx: Ctx): void; stop(): { version: number } }`,
      );
    }
    lines.push(...role, `export default role;`, `export { total };`);
  }
  return lines.join('\n') + '\n';
}

/**
 * Create the graph for `variant` in `dir` (emptied first), every file at
 * version 0. Returns its entry path and `write(version, which)`, which
 * rewrites every file (`'all'`, the default) or only the deepest leaf,
 * h19, four imports below the entry (`'one'`) with a new version, and
 * returns `{ longestPauseMs }`.
 */
export function createGraph(dir, variant) {
  const kind = KINDS[variant];
  if (!kind) throw new Error(`unknown graph variant ${variant} (one of ${VARIANTS.join(', ')})`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: kind.type }));
  const put = (i, version) => writeFileSync(join(dir, fileName(variant, i)), source(variant, i, version));
  /** Returns the longest time between the starts of two consecutive file writes (what a watcher sees as a pause). */
  const write = (version, which = 'all') => {
    if (which === 'one') {
      put(HELPERS, version);
      return { longestPauseMs: 0 };
    }
    let longestPauseMs = 0;
    let last = performance.now();
    for (let i = 0; i <= HELPERS; i++) {
      const now = performance.now();
      longestPauseMs = Math.max(longestPauseMs, now - last);
      last = now;
      put(i, version);
    }
    return { longestPauseMs };
  };
  write(0);
  return { variant, dir, entry: join(dir, fileName(variant, 0)), write };
}

/** The entry's total, read from what a loader returned for it (ES namespace or CommonJS `module.exports`). */
export function totalOf(exports) {
  return (exports.total ?? exports.default.total)();
}

/**
 * Warm-up load (first load, zod into Node's cache, V8 optimisation), then
 * `samples` loads each after a one-file edit of the deepest leaf. Every load
 * is released at once. Returns the load times in ms.
 */
export async function oneFileEditLoads(loader, graph, samples) {
  loader.release(await loader.load([graph.entry]));
  const times = [];
  for (let k = 1; k <= samples; k++) {
    graph.write(k, 'one');
    const t = performance.now();
    const loaded = await loader.load([graph.entry]);
    times.push(performance.now() - t);
    loader.release(loaded);
  }
  return times;
}

/**
 * `cycles` loads, every file rewritten before each (version 1000 + cycle),
 * each checked (the total and the file count: a wrong value means stale code
 * ran) and released. `atHalf()` is awaited after cycle ⌊cycles/2⌋ (read the
 * heap there). Returns the load times in ms and what `atHalf` returned.
 */
export async function allFileEditLoads(loader, graph, cycles, atHalf) {
  const times = [];
  let mid;
  const half = Math.floor(cycles / 2);
  for (let cycle = 1; cycle <= cycles; cycle++) {
    const version = 1000 + cycle;
    graph.write(version, 'all');
    const t = performance.now();
    const loaded = await loader.load([graph.entry]);
    times.push(performance.now() - t);
    const total = totalOf(loaded[0].exports);
    if (total !== version * FILES) throw new Error(`${graph.variant}: cycle ${cycle} computed ${total}, expected ${version * FILES}`);
    if (loaded[0].files.length !== FILES) throw new Error(`${graph.variant}: ${loaded[0].files.length} files listed, expected ${FILES}`);
    loader.release(loaded);
    if (cycle === half) mid = await atHalf();
  }
  return { times, mid };
}

/** Exit with a hint unless the process runs with --expose-gc. */
export function requireGc(script) {
  if (typeof globalThis.gc === 'function') return;
  console.error(`run with: node --expose-gc ${script}`);
  process.exit(2);
}

/** Heap used after `rounds` forced full GCs, each followed by a turn of the event loop (finalizers, weak callbacks). */
export async function heapAfterGc(rounds = 4) {
  for (let i = 0; i < rounds; i++) {
    globalThis.gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return process.memoryUsage().heapUsed;
}
