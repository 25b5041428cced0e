// Memory and speed of the native loader across many reloads.
//
//   npm run build && node --expose-gc bench/loaders/native-memory.mjs [cycles] [esm|cjs|ts ...]
//
// Same workload as managed-memory.mjs, so the two read side by side: for each
// variant (ESM .js, CommonJS .cjs, TypeScript .ts) the 20-file graph of
// ../reload/_graph.mjs (entry + 19 helpers in a tree four levels deep, every
// third file importing zod) is written under .tmp/, then loaded and released
// `cycles` times (default 500) with every file rewritten each time. Heap is read after forced GCs at the
// middle and at the end; retention per reload is measured over the second half
// only, so caches that fill up and level off in the first half do not count.
//
// Each variant runs in a child process of its own: Node never frees an ES
// module, so the ESM and TypeScript runs would otherwise inflate the heap (and
// the GC times) of whatever runs after them.
//
// What to expect: CommonJS graphs are evicted from require.cache and collected
// (about 0 KB per reload; see heapReadings for V8's compilation cache). ES module and TypeScript graphs are not: Node keeps
// every module it ever evaluated (its module map, the compiled code, the
// namespace and everything it references), so each reload costs memory for
// the life of the process; that number is what this file exists to measure.
// The only target checked is the CommonJS one.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { allFileEditLoads, createGraph, heapAfterGc, oneFileEditLoads, requireGc, VARIANTS } from '../reload/_graph.mjs';
import { median } from '../_stats.mjs';

const self = fileURLToPath(import.meta.url);
const root = path.resolve(path.dirname(self), '../..');
const work = path.join(root, '.tmp', 'bench-native-memory');
const EDIT_SAMPLES = 60;
const CJS_TARGET_KB = 5;

requireGc('bench/loaders/native-memory.mjs');

/**
 * Heap used after full GCs, two ways. `plain`: ordinary major GCs. `reclaimable`:
 * V8's last-resort GC, what it does under memory pressure before giving up,
 * which also drops its compilation cache. On Node 22+ that cache keeps every
 * compiled CommonJS wrapper (keyed by source) across ordinary GCs, so a plain
 * reading grows by ~20 KB per CommonJS reload although a heap limit makes V8
 * evict it (checked: 4000 reloads stay flat under --max-old-space-size=24).
 * The reclaimable reading is the memory reloading really costs.
 */
async function heapReadings() {
  const plain = await heapAfterGc();
  for (let i = 0; i < 2; i++) {
    globalThis.gc({ type: 'major', execution: 'sync', flavor: 'last-resort' });
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { plain, reclaimable: process.memoryUsage().heapUsed };
}

/** Child process: one variant, prints one JSON line. */
async function runVariant(name, cycles) {
  const { createNativeLoader } = await import('../../dist/loading/native/index.js');
  const graph = createGraph(path.join(work, name), name);
  const loader = createNativeLoader();

  // Speed after a one-file edit (a leaf four imports deep), after a warm-up
  // load. The native loader still evaluates all 20 files: every load is a new
  // generation.
  const oneEdit = await oneFileEditLoads(loader, graph, EDIT_SAMPLES);

  // Memory (and speed) with every file edited on every load.
  const half = Math.floor(cycles / 2);
  const rssStart = process.memoryUsage().rss;
  const { times: allEdit, mid } = await allFileEditLoads(loader, graph, cycles, heapReadings);
  const end = await heapReadings();
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
  const names = args.length > 1 ? args.slice(1) : VARIANTS;
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
