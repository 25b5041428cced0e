/**
 * What draining costs a reload. With no request in flight, a reload under the
 * default drain window (10 s) must take as long as one that may not wait at
 * all (`timeouts.drain: 0`): the window is a bound, never a delay. With one
 * slow request in flight, the reload waits for it (informational).
 * Measured side by side in one process, alternating, on the 20-file graph.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { createRuntime } from '../../dist/index.js';
import { createGraph } from './_graph.mjs';
import { median } from '../_stats.mjs';

export const title = 'Draining during a reload (managed loader, 20-file graph)';
const here = fileURLToPath(new URL('.', import.meta.url));
const ROUNDS = 40;

async function runtime(name, drain) {
  const graph = createGraph(join(here, '../../.tmp/bench-drain', name), 'esm');
  const rt = await createRuntime({ roles: [graph.entry], reloadAllowed: true, timeouts: { drain }, logger: pino({ level: 'silent' }) });
  await rt.applyConfig({ roles: ['bench'] });
  let version = 1;
  return {
    async reload() {
      graph.write(version++, 'one');
      const t0 = performance.now();
      await rt.reload();
      return performance.now() - t0;
    },
    rt,
  };
}

export async function run() {
  const windowed = await runtime('window', 10_000);
  const none = await runtime('none', 0);
  for (let i = 0; i < 10; i++) await windowed.reload(), await none.reload(); // warm-up
  const a = [];
  const b = [];
  for (let i = 0; i < ROUNDS; i++) {
    a.push(await windowed.reload());
    b.push(await none.reload());
  }
  const ratio = median(a) / median(b);

  // One request in flight that takes 50 ms: the reload waits for it to finish.
  const slow = await createRuntime({
    roles: [
      {
        name: 'slow',
        init(ctx) {
          ctx.route('GET', '/slow', () => new Promise((r) => ctx.setTimeout(() => r(new Response('ok')), 50)));
        },
      },
      (await import('./_graph.mjs')).createGraph(join(here, '../../.tmp/bench-drain', 'slow'), 'esm').entry,
    ],
    reloadAllowed: true,
    logger: pino({ level: 'silent' }),
  });
  await slow.applyConfig({ roles: ['slow', 'bench'] });
  const inFlight = slow.fetch(new Request('http://local/slow'));
  const t0 = performance.now();
  await slow.applyConfig({ roles: ['bench'] });
  const waited = performance.now() - t0;
  const res = await inFlight;

  await windowed.rt.stop();
  await none.rt.stop();
  await slow.stop();
  return [
    { metric: 'reload, nothing in flight, drain window 10 s: median', value: median(a), unit: 'ms' },
    { metric: 'reload, nothing in flight, drain window 0: median', value: median(b), unit: 'ms' },
    { metric: 'window 10 s / window 0', value: ratio, unit: 'x', target: '<= 1.10x', pass: ratio <= 1.1 },
    { metric: 'disable a role with one 50 ms request in flight', value: waited, unit: 'ms', note: `request answered ${res.status}` },
  ];
}
