/**
 * p99 request latency through a real listener while the role serving the
 * requests is reloaded back to back, against the same load without reloads.
 * The load comes from a separate process on loopback.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { pino } from 'pino';
import { createRuntime } from '../../dist/index.js';
import { createGraph } from './_graph.mjs';
import { percentile } from '../_stats.mjs';

export const title = 'Request latency during reloads (managed loader, reload every 10 ms, 4 concurrent clients, 3 s each)';
const here = fileURLToPath(new URL('.', import.meta.url));
const DURATION = 3000;

export async function run() {
  const graph = createGraph(join(here, '../../.tmp/bench-requests'), 'esm');
  const rt = await createRuntime({ roles: [graph.entry], reloadAllowed: true, logger: pino({ level: 'silent' }) });
  await rt.applyConfig({ roles: ['bench'] });
  const server = serve({ fetch: rt.fetch, hostname: '127.0.0.1', port: 0 });
  await new Promise((r) => server.once('listening', r));
  const url = `http://127.0.0.1:${server.address().port}/value`;
  const load = async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [join(here, '_load-client.mjs'), url, String(DURATION), '4'], {
      maxBuffer: 64 << 20,
    });
    return JSON.parse(/RESULT (.*)/.exec(stdout)[1]);
  };

  const quiet = await load();
  let reloading = true;
  let reloads = 0;
  const reloader = (async () => {
    for (let v = 1; reloading; v++) {
      graph.write(v, 'one');
      await rt.reload();
      reloads++;
      // A reload is mostly synchronous work (read, transform, evaluate); back to back with no
      // pause it would starve the event loop of I/O turns. 10 ms apart is still ~50 reloads a second.
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  const busy = await load();
  reloading = false;
  await reloader;
  await rt.stop();
  server.close();

  const p99Quiet = percentile(quiet.latencies, 99);
  const p99Busy = percentile(busy.latencies, 99);
  return [
    { metric: 'without reloads: p50 / p99', value: p99Quiet, unit: 'ms (p99)', note: `p50 ${percentile(quiet.latencies, 50).toFixed(2)} ms, ${quiet.latencies.length} requests, ${quiet.failed} failed` },
    { metric: 'during reloads: p50 / p99', value: p99Busy, unit: 'ms (p99)', note: `p50 ${percentile(busy.latencies, 50).toFixed(2)} ms, ${busy.latencies.length} requests, ${busy.failed} failed, ${reloads} reloads` },
    { metric: 'p99 during reloads / p99 without', value: p99Busy / p99Quiet, unit: 'x' },
    { metric: 'failed requests during reloads', value: busy.failed, unit: 'requests', target: '0', pass: busy.failed === 0 },
  ];
}
