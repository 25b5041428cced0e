/**
 * Heap retained per reload over 500 reloads of the 20-file graph, after
 * garbage collection, for each loader and for ESM, CommonJS and TypeScript
 * roles. Target: the managed loader keeps at most 5 KB per reload. The native
 * loader's figure is the documented cost of Node never evicting ES modules.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { VARIANTS } from './_graph.mjs';

export const title = 'Heap retained per reload (500 reloads, every file changed, second half)';
const child = fileURLToPath(new URL('./_memory-child.mjs', import.meta.url));
const RELOADS = Number(process.env.ROLEKIT_BENCH_RELOADS ?? 500);

export async function run() {
  const rows = [];
  for (const loader of ['managed', 'native']) {
    for (const variant of VARIANTS) {
      const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', child, loader, variant, String(RELOADS)], {
        maxBuffer: 1 << 20,
      });
      const { kbPerReload, msPerReload } = JSON.parse(/RESULT (.*)/.exec(stdout)[1]);
      const verdict = loader === 'managed' ? { target: '<= 5 KB', pass: kbPerReload <= 5 } : { note: `${msPerReload.toFixed(1)} ms/reload` };
      rows.push({ metric: `${loader} loader, ${variant} role`, value: kbPerReload, unit: 'KB/reload', ...verdict });
    }
  }
  return rows;
}
