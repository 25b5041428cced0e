/**
 * The admin API's cost (docs/operations.md).
 *
 * 1. `GET /status` and `GET /metrics` (both formats) for 1000 role instances
 *    (600 global roles, a host role on 400 hosts), over a real listener on
 *    127.0.0.1, body read. Target < 20 ms each: the median CPU time of a
 *    request (client included: it runs in the same process), as bench/core
 *    judges, so that a busy machine does not fail it; the median wall time is
 *    printed beside it.
 * 2. An idle inspector page costs the service nothing measurable: with 10
 *    event-stream clients connected (in a child process) and nothing
 *    happening, no callback of any kind (timer, socket, immediate) runs in the
 *    service for 2 s and its event-loop utilisation is what it is with none.
 *    And the CPU time of a 1000-role re-apply with those 10 clients connected
 *    vs none: not idle any more, each client is sent that re-apply's ~1000
 *    events (callback, status, state, apply), which is the whole difference.
 *    Then the same with clients that take no callback events (`?types=`), as an
 *    inspector page would; and, for information, what having an admin at all
 *    (listening to every event, keeping the last ones) costs a re-apply.
 */
import { fork } from 'node:child_process';
import { createHook, executionAsyncResource } from 'node:async_hooks';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { createRuntime, defineRole } from '../../dist/index.js';
import { createAdmin, serveAdmin } from '../../dist/admin/index.js';
import { median, timed } from '../_stats.mjs';

export const title = 'admin API: /status and /metrics at 1000 role instances; idle event-stream clients';

const GLOBAL_ROLES = 600;
const HOSTS = 400;
const REQUESTS = 25;
const REAPPLIES = 40;
const ROUNDS = 4;
const PER_ROUND = 12;
const IDLE_MS = 2000;
const CLIENTS = 10;
const TARGET_MS = 20;
/**
 * Not idle: each of the 10 clients is sent ~185 KiB per re-apply (its ~1000 events: a
 * callback event per instance, then the apply event listing all 1000) in a few writes. Measured 1.2–1.8× here (about 0.5–1 ms per client per re-apply: each event serialised
 * and encoded once, then each client's socket writes, which are most of it); serialising per
 * client would add ~1.5 ms more per client.
 */
const RATIO_TARGET = 2;
/** The same clients without callback events: a seventh of the bytes (the apply event with its 1000 instances is most of what is left). */
const FEW_TYPES = 'state,apply,reload,status,inspect';
const FEW_TARGET = 1.5;

const noop = () => {};

async function requestTimes(url, headers) {
  const wall = [];
  const cpu = [];
  for (let i = 0; i < 5 + REQUESTS; i++) {
    let res;
    let body = '';
    const t = await timed(async () => {
      res = await fetch(url, { headers });
      body = await res.text();
    });
    if (res.status !== 200 || body.length === 0) throw new Error(`${url} answered ${res.status}`);
    if (i >= 5) {
      wall.push(t.wall);
      cpu.push(t.cpu);
    }
  }
  return { wall: median(wall), cpu: median(cpu) };
}

/** Re-apply CPU without an admin and with one, in alternating rounds (a busy machine drifts). */
async function adminOverhead(rt, doc) {
  const bare = [];
  const withAdmin = [];
  for (let round = 0; round < 6; round++) {
    bare.push(await reapplyCpu(rt, doc, 8));
    const admin = createAdmin(rt);
    withAdmin.push(await reapplyCpu(rt, doc, 8));
    admin.close();
  }
  return { bare: median(bare), withAdmin: median(withAdmin) };
}

async function reapplyCpu(rt, doc, count = REAPPLIES) {
  const samples = [];
  for (let i = 0; i < 5 + count; i++) {
    const { cpu } = await timed(async () => {
      await rt.applyConfig(doc);
      // Let the event stream's writes (one setImmediate per turn) happen inside the sample.
      await new Promise((r) => setImmediate(r));
      await new Promise((r) => setImmediate(r));
    });
    if (i >= 5) samples.push(cpu);
  }
  return median(samples);
}

function startClients(url, count) {
  const child = fork(fileURLToPath(new URL('./_sse-clients.mjs', import.meta.url)), [url, String(count)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('message', () => resolve(child));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`clients exited with ${code}`)));
  });
}

async function streamingCost(clients, rt, doc) {
  const before = (await ask(clients, 'bytes')).bytes;
  const cpu = await reapplyCpu(rt, doc, PER_ROUND);
  await new Promise((r) => setTimeout(r, 200));
  return { cpu, bytes: (await ask(clients, 'bytes')).bytes - before };
}

async function stopClients(clients) {
  const exited = new Promise((r) => clients.once('exit', r));
  clients.send('exit');
  await exited;
}

function ask(child, what) {
  return new Promise((resolve) => {
    child.once('message', resolve);
    child.send(what);
  });
}

/** A resource created before the hook: its kind, and for a timer its function's name. */
function nameOf(resource) {
  const kind = resource?.constructor?.name ?? 'unknown';
  return kind === 'Timeout' ? `Timeout ${resource._onTimeout?.name || 'anonymous'} (${resource._idleTimeout} ms)` : kind;
}

/** Callbacks (timers, sockets, immediates: every kind but promise reactions) that run in `ms`, and the event-loop utilisation meanwhile. */
async function idle(ms) {
  // Node's HTTP server refreshes its cached Date header once, up to 1 s after the last response
  // (an unref'd one-shot timer, \`resetCache\`): let it pass first.
  await new Promise((r) => setTimeout(r, 1100));
  const kinds = new Map();
  const ran = [];
  let wait;
  const hook = createHook({
    init: (id, type) => void kinds.set(id, type),
    before: (id) => {
      if (kinds.get(id) !== 'PROMISE' && id !== wait) ran.push(kinds.get(id) ?? nameOf(executionAsyncResource()));
    },
  });
  const elu = performance.eventLoopUtilization();
  hook.enable();
  // The timer of the wait itself is left out.
  await new Promise((r) => {
    const timer = setTimeout(r, ms);
    wait = timer[Symbol.toPrimitive]();
  });
  hook.disable();
  const used = performance.eventLoopUtilization(elu);
  return { callbacks: ran.length, kinds: [...new Set(ran)].join(', '), utilisation: used.utilization };
}

export async function run() {
  const roles = Array.from({ length: GLOBAL_ROLES }, (_, i) => defineRole({ name: `g${i}`, init: noop, applyConfig: noop }));
  roles.push(defineRole({ name: 'site', scope: 'host', init: noop, applyConfig: noop }));
  const rt = await createRuntime({ roles, logger: pino({ level: 'silent' }) });
  const hosts = Object.fromEntries(Array.from({ length: HOSTS }, (_, i) => [`h${i}.example`, { roles: ['site'] }]));
  const doc = { roles: roles.slice(0, GLOBAL_ROLES).map((r) => r.name), hosts };
  await rt.applyConfig(doc);
  const instances = rt.status().roles.length;
  const overhead = await adminOverhead(rt, doc);
  const admin = await serveAdmin(rt, { host: '127.0.0.1', port: 0 });

  // Idle first, while no request has left a keep-alive socket behind whose timeout would run.
  const idleNone = await idle(IDLE_MS);
  const clients = await startClients(`${admin.url}/events`, CLIENTS);
  const idleTen = await idle(IDLE_MS);

  const status = await requestTimes(`${admin.url}/status`);
  const metrics = await requestTimes(`${admin.url}/metrics`);
  const openMetrics = await requestTimes(`${admin.url}/metrics`, { accept: 'application/openmetrics-text' });
  await stopClients(clients);
  // Alternating rounds (a busy machine drifts): no client, 10 taking every event, 10 taking no callback events.
  const rounds = { none: [], all: [], few: [], allBytes: 0, fewBytes: 0 };
  for (let round = 0; round < ROUNDS; round++) {
    rounds.none.push(await reapplyCpu(rt, doc, PER_ROUND));
    const all = await startClients(`${admin.url}/events`, CLIENTS);
    const a = await streamingCost(all, rt, doc);
    await stopClients(all);
    // Without callback events (most of what a re-apply emits): what an inspector page would take.
    const few = await startClients(`${admin.url}/events?types=${encodeURIComponent(FEW_TYPES)}`, CLIENTS);
    const f = await streamingCost(few, rt, doc);
    await stopClients(few);
    rounds.all.push(a.cpu);
    rounds.few.push(f.cpu);
    rounds.allBytes += a.bytes;
    rounds.fewBytes += f.bytes;
  }
  const none = median(rounds.none);
  const ten = { cpu: median(rounds.all), bytes: rounds.allBytes };
  const tenFew = { cpu: median(rounds.few), bytes: rounds.fewBytes };
  await admin.close();
  await rt.stop();

  const ratio = ten.cpu / none;
  const ratioFew = tenFew.cpu / none;
  return [
    ...[
      [`GET /status, ${instances} role instances (CPU, median of ${REQUESTS})`, status],
      ['GET /metrics, Prometheus text (CPU)', metrics],
      ['GET /metrics, OpenMetrics (CPU)', openMetrics],
    ].map(([metric, t]) => ({ metric, value: t.cpu, unit: 'ms', target: `< ${TARGET_MS} ms`, pass: t.cpu < TARGET_MS, note: `wall ${t.wall.toFixed(1)} ms` })),
    {
      metric: `callbacks run in ${IDLE_MS / 1000} s idle, ${CLIENTS} streams open`,
      value: idleTen.callbacks,
      unit: '',
      target: '0',
      pass: idleTen.callbacks === 0,
      note: `none open: ${idleNone.callbacks}${idleTen.kinds ? `; ran: ${idleTen.kinds}` : ''}`,
    },
    {
      metric: `event-loop utilisation idle, ${CLIENTS} streams open`,
      value: idleTen.utilisation * 100,
      unit: '%',
      target: '≈ none open',
      pass: idleTen.utilisation <= idleNone.utilisation + 0.005,
      note: `none open: ${(idleNone.utilisation * 100).toFixed(3)} %`,
    },
    {
      metric: 're-apply CPU, admin with no client / no admin',
      value: overhead.withAdmin / overhead.bare,
      unit: '×',
      note: `${overhead.withAdmin.toFixed(1)} ms vs ${overhead.bare.toFixed(1)} ms (alternating rounds; no target: it moves by ±25 % between runs here)`,
    },
    {
      metric: `re-apply CPU, ${CLIENTS} streams of every event / none`,
      value: ratio,
      unit: '×',
      target: `≤ ${RATIO_TARGET}`,
      pass: ratio <= RATIO_TARGET,
      note: `${ten.cpu.toFixed(1)} ms vs ${none.toFixed(1)} ms; ${(ten.bytes / CLIENTS / ROUNDS / (5 + PER_ROUND) / 1024).toFixed(0)} KiB a client a re-apply`,
    },
    {
      metric: `re-apply CPU, ${CLIENTS} streams of ?types=${FEW_TYPES} / none`,
      value: ratioFew,
      unit: '×',
      target: `≤ ${FEW_TARGET}`,
      pass: ratioFew <= FEW_TARGET,
      note: `${tenFew.cpu.toFixed(1)} ms; ${(tenFew.bytes / CLIENTS / ROUNDS / (5 + PER_ROUND) / 1024).toFixed(0)} KiB a client a re-apply`,
    },
  ];
}
