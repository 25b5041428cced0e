/**
 * One memory measurement, in a process of its own (run with --expose-gc):
 * `node --expose-gc _memory-child.mjs <loader> <variant> <reloads>`. Every
 * reload rewrites every file of the 20-file graph. Heap is read after forced
 * GC at the middle and at the end, and KB per reload is taken over the second
 * half only, so that a cache that levels off is not taken for a leak.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { createRuntime } from '../../dist/index.js';
import { createGraph, heapAfterGc } from './_graph.mjs';

const [loader, variant, reloadsArg] = process.argv.slice(2);
const reloads = Number(reloadsArg);
const here = fileURLToPath(new URL('.', import.meta.url));
const graph = createGraph(join(here, '../../.tmp/bench-memory', `${loader}-${variant}`), variant);

const rt = await createRuntime({ roles: [graph.entry], loader, reloadAllowed: true, logger: pino({ level: 'silent' }) });
await rt.applyConfig({ roles: ['bench'] });
let middle = 0;
const t0 = performance.now();
for (let i = 1; i <= reloads; i++) {
  graph.write(i, 'all');
  await rt.reload();
  if (i === reloads / 2) middle = await heapAfterGc(6);
}
const end = await heapAfterGc(6);
const res = await rt.fetch(new Request('http://local/value'));
if (res.status !== 200) throw new Error(`route answered ${res.status}`);
await rt.stop();
process.stdout.write(
  `RESULT ${JSON.stringify({ kbPerReload: (end - middle) / 1024 / (reloads / 2), msPerReload: (performance.now() - t0) / reloads })}\n`,
);
