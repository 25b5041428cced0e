// Memory and speed of the managed loader across many reloads.
//
//   npm run build && node --expose-gc bench/loaders/managed-memory.mjs [cycles]
//
// For each variant (ESM .js, CommonJS .cjs, TypeScript .ts) the 20-file graph
// of ../reload/_graph.mjs (entry + 19 helpers, chained and fanned out, some
// importing zod) is written under .tmp/, then loaded and released `cycles`
// times (default 500) with every file rewritten each time, so every load
// transforms and evaluates 20 new versions. Heap is read after forced GCs at the middle and at the end;
// the retention per reload is measured over the second half only, so caches
// that fill up and level off in the first half are not counted as leaks.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createManagedLoader, retainedSourceMaps } from '../../dist/loading/managed/index.js';
import { allFileEditLoads, createGraph, heapAfterGc, oneFileEditLoads, requireGc, VARIANTS } from '../reload/_graph.mjs';
import { median } from '../_stats.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const work = path.join(root, '.tmp', 'bench-managed-memory');
const CYCLES = Number(process.argv[2] ?? 500);
const EDIT_SAMPLES = 60;
const TARGET_KB = 5;

requireGc('bench/loaders/managed-memory.mjs');

async function runVariant(name) {
  const graph = createGraph(path.join(work, name), name);
  const loader = createManagedLoader();

  // Speed after a one-file edit (a leaf four imports deep), after a warm-up load.
  const oneEdit = await oneFileEditLoads(loader, graph, EDIT_SAMPLES);

  // Memory (and speed) with every file edited on every load.
  const { times: allEdit, mid } = await allFileEditLoads(loader, graph, CYCLES, () => heapAfterGc());
  const end = await heapAfterGc();
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
for (const name of VARIANTS) results.push(await runVariant(name));
console.table(results);
console.log(`source maps retained process-wide after close: ${retainedSourceMaps()}`);
console.log(`rss ${(process.memoryUsage().rss / 1048576).toFixed(0)} MB, total ${((performance.now() - started) / 1000).toFixed(1)} s, ${CYCLES} cycles per variant`);
const worst = Math.max(...results.map((r) => r['KB/reload (2nd half)']));
console.log(worst <= TARGET_KB ? `OK: at most ${worst.toFixed(3)} KB retained per reload (target ${TARGET_KB})` : `ABOVE TARGET: ${worst.toFixed(3)} KB per reload (target ${TARGET_KB})`);
rmSync(work, { recursive: true, force: true });
process.exitCode = worst <= TARGET_KB ? 0 : 1;
