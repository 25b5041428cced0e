/**
 * Save-to-live in watch mode: how long from an editor's save to the new code
 * answering over HTTP. The 20-file graph runs in a service process of its own
 * (`_watch-service.mjs`, watch: true); this process plays the editor and the
 * browser: it rewrites every file of the graph (one version marker in each,
 * so the entry's total is 20·v) and polls the service over HTTP every 2 ms
 * until the new total is served. The same app run under `node --watch`
 * (`_serve-plain.mjs`, restarted by Node on change) is measured the same way,
 * in the same run.
 *
 * Also checked per save: exactly one reload (the runtime's generation), and
 * no total but the old and the new one ever served (a half-written or
 * half-applied graph would show another). A save during which the writer
 * paused, between two files, for longer than watch mode's quiet period (the
 * machine stalled it) is timed but not judged: it is, by definition, two
 * saves. The breakdown (save to reload start, the reload) is read off the
 * service's `status().reload`.
 * Target: watch-mode save-to-live median <= 50 ms (managed loader, the default).
 */
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FILES, createGraph } from './_graph.mjs';
import { median, percentile } from '../_stats.mjs';
import { spawnServer } from './_spawn-server.mjs';

export const title = 'Save-to-live: watch mode vs node --watch (20-file graph rewritten per save, HTTP polled every 2 ms)';
const here = fileURLToPath(new URL('.', import.meta.url));
const POLL_MS = 2;
const TARGET_MS = 50;
/** Watch mode's quiet period (src/reload/watch.ts), for the report. */
const QUIET_MS = 10;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function freePort() {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const { port } = server.address();
  await new Promise((r) => server.close(r));
  return port;
}

async function get(url) {
  try {
    const res = await fetch(url);
    return { status: res.status, text: await res.text() };
  } catch {
    return undefined; // refused or reset: the process is restarting
  }
}

/** Poll `url` every POLL_MS until it answers `want`; other 200 answers than `old` are recorded in `strays`. */
async function untilServed(url, want, old, strays) {
  const deadline = performance.now() + 10_000;
  while (performance.now() < deadline) {
    const res = await get(url);
    if (res?.status === 200) {
      if (res.text === want) return now();
      if (res.text !== old) strays.push(res.text);
    }
    await sleep(POLL_MS);
  }
  throw new Error(`${url} never answered ${want}`);
}

/** Epoch ms with sub-ms precision, comparable with the service's Date-based `reload.at`. */
const now = () => performance.timeOrigin + performance.now();

/**
 * `rounds` saves (after `warmup` unmeasured ones), each: rewrite every file
 * at the next version, poll until served, then `pause` ms for late events to
 * play out. `afterSave({ saved, measured, judged })` runs after each pause;
 * saves whose writing the machine stalled are timed but not judged.
 */
async function saves(graph, url, { rounds, warmup, pause, afterSave = async () => {} }) {
  const times = [];
  const strays = [];
  let stalled = 0;
  let version = 0;
  for (let i = 0; i < warmup + rounds; i++) {
    version++;
    const saved = now();
    // A writer the machine stalled for the quiet period between two files made two saves.
    const judged = graph.write(version, 'all').longestPauseMs < QUIET_MS;
    const seen = [];
    const live = await untilServed(url, String(version * FILES), String((version - 1) * FILES), seen);
    await sleep(pause);
    const measured = i >= warmup;
    if (measured) times.push(live - saved);
    if (measured && judged) strays.push(...seen);
    if (measured && !judged) stalled++;
    await afterSave({ saved, measured, judged });
  }
  return { times, strays, stalled };
}

async function watchMode(loader) {
  const graph = createGraph(join(here, '../../.tmp/bench-save-to-live', loader), 'esm');
  const service = await spawnServer([join(here, '_watch-service.mjs'), graph.entry, loader]);
  const base = `http://127.0.0.1:${service.port}`;
  try {
    await untilServed(`${base}/value`, '0', '0', []);
    await sleep(300); // the watcher is armed
    const reloads = async () => JSON.parse((await get(`${base}/reloads`)).text);
    let generation = (await reloads()).generation;
    const reloadsPerSave = [];
    // Where the time goes, from the service's last reload: its end (`at`) and duration.
    const phases = { toReload: [], reload: [] };
    const { times, strays, stalled } = await saves(graph, `${base}/value`, {
      rounds: 40,
      warmup: 3,
      pause: 150,
      afterSave: async ({ saved, measured, judged }) => {
        const state = await reloads();
        const count = state.generation - generation;
        generation = state.generation;
        if (!measured) return;
        if (judged) reloadsPerSave.push(count);
        const ended = Date.parse(state.reload.at);
        phases.toReload.push(ended - state.reload.durationMs - saved);
        phases.reload.push(state.reload.durationMs);
      },
    });
    return { times, strays, stalled, reloadsPerSave, phases };
  } finally {
    await service.stop();
  }
}

async function nodeWatch() {
  const graph = createGraph(join(here, '../../.tmp/bench-save-to-live/node-watch'), 'esm');
  const port = await freePort();
  const server = await spawnServer(['--watch', join(here, '_serve-plain.mjs'), graph.entry, String(port)]);
  const url = `http://127.0.0.1:${port}/`;
  try {
    await untilServed(url, '0', '0', []);
    await sleep(300);
    return await saves(graph, url, { rounds: 10, warmup: 1, pause: 300 });
  } finally {
    await server.stop();
  }
}

export async function run() {
  const rows = [];
  const restart = await nodeWatch();
  const restartMedian = median(restart.times);
  rows.push({
    metric: 'node --watch (process restart): save-to-live, median',
    value: restartMedian,
    unit: 'ms',
    note: `p90 ${percentile(restart.times, 90).toFixed(0)} ms, ${restart.times.length} saves`,
  });
  for (const loader of ['managed', 'native']) {
    const w = await watchMode(loader);
    const m = median(w.times);
    const extra = w.reloadsPerSave.filter((n) => n !== 1);
    // The target is the default loader's; native re-evaluates the graph through Node's hooks.
    const verdict = loader === 'managed' ? { target: `<= ${TARGET_MS} ms`, pass: m <= TARGET_MS } : { note: 'informational' };
    rows.push(
      {
        metric: `${loader}: watch save-to-live, median`,
        value: m,
        unit: 'ms',
        ...verdict,
        note: `${verdict.note ? `${verdict.note}; ` : ''}p90 ${percentile(w.times, 90).toFixed(0)} ms, ${w.times.length} saves`,
      },
      {
        metric: `${loader}: of which save to reload start, median`,
        value: median(w.phases.toReload),
        unit: 'ms',
        note: `writing 20 files, file events, the ${QUIET_MS} ms quiet period (transforms meanwhile), hashing the saved files`,
      },
      { metric: `${loader}: of which the reload, median`, value: median(w.phases.reload), unit: 'ms' },
      { metric: `${loader}: node --watch / watch mode`, value: restartMedian / m, unit: 'x' },
      {
        metric: `${loader}: saves not followed by exactly one reload`,
        value: extra.length,
        unit: 'saves',
        target: '0',
        pass: extra.length === 0,
        note: [
          extra.length ? `reloads per save: ${w.reloadsPerSave.join(' ')}` : '',
          w.stalled ? `${w.stalled} saves not judged (the machine stalled the writer >= ${QUIET_MS} ms between two files)` : '',
        ].filter(Boolean).join('; '),
      },
      {
        metric: `${loader}: answers neither old nor new total`,
        value: w.strays.length,
        unit: 'answers',
        target: '0',
        pass: w.strays.length === 0,
        ...(w.strays.length ? { note: w.strays.slice(0, 5).join(', ') } : {}),
      },
    );
  }
  return rows;
}
