/**
 * The runtime's own cost of an apply, and of resolving enabled roles.
 *
 * 1. A document enabling 1000 roles joined by 2000 dependency edges (a random
 *    DAG, fixed seed) with no-op callbacks: the time of `rt.applyConfig` is
 *    all rolekit (validate phase, plan, init/applyConfig driving, machine).
 *    Target: < 20 ms per re-apply (median and p95 of CPU time; wall time is
 *    printed beside it).
 * 2. `RoleRegistry#getEnabledRoles` over every root at 1k, 10k and 100k roles
 *    (edges = 2 × roles), each beside a bare traversal of the same graph: for
 *    a linear resolver their ratio stays flat as the graph grows.
 */
import { pino } from 'pino';
import { createRuntime, defineRole, RoleRegistry } from '../../dist/index.js';
import { EventBus, callbackEvent, instanceRef } from '../../dist/events.js';
import { median, percentile, timed as time } from '../_stats.mjs';

export const title = 'apply overhead and enabled-role resolution';

const APPLY_ROLES = 1000;
const APPLY_EDGES = 2000;
const WARMUP = 20;
const REAPPLIES = 50;
const TARGET_MS = 20;
const SIZES = [1_000, 10_000, 100_000];
/**
 * How much the registry/bare-traversal ratio may grow per 10× roles and still
 * read as linear. A quadratic resolver grows ~10×; memory effects on a busy
 * machine move the ratio by up to ~2× either way.
 */
const LINEAR_GROWTH = 3;

/** mulberry32: a small seeded PRNG, so every run builds the same graph. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `roles` roles and `edges` distinct edges, each from `r<i>` to some `r<j>`
 * with j < i (so: acyclic), listed in shuffled order so that registration has
 * to sort them.
 */
export function randomDag(roles, edges, seed = 42) {
  const next = random(seed);
  const names = Array.from({ length: roles }, (_, i) => `r${i}`);
  const deps = names.map(() => new Set());
  let made = 0;
  while (made < edges) {
    const from = 1 + Math.floor(next() * (roles - 1));
    const to = Math.floor(next() * from);
    if (deps[from].has(to)) continue;
    deps[from].add(to);
    made++;
  }
  const graph = names.map((name, i) => ({ name, dependencies: [...deps[i]].map((d) => names[d]) }));
  for (let i = graph.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [graph[i], graph[j]] = [graph[j], graph[i]];
  }
  return graph;
}

const noop = () => {};

function noopRoles(graph) {
  return graph.map(({ name, dependencies }) =>
    defineRole({ name, dependencies, validateConfig: noop, init: noop, applyConfig: noop, stop: noop }),
  );
}


function summary(samples, key) {
  const values = samples.map((s) => s[key]);
  return { median: median(values), p95: percentile(values, 95) };
}

async function applyRows() {
  const graph = randomDag(APPLY_ROLES, APPLY_EDGES);
  const roles = noopRoles(graph);
  const rt = await createRuntime({ roles, logger: pino({ level: 'silent' }) });
  const doc = { roles: graph.map((r) => r.name), config: {} };

  const first = await time(() => rt.applyConfig(doc));
  for (let i = 0; i < WARMUP; i++) await rt.applyConfig(doc);
  const samples = [];
  for (let i = 0; i < REAPPLIES; i++) samples.push(await time(() => rt.applyConfig(doc)));
  if (rt.state !== 'RolesConfigured') throw new Error(`apply ended in ${rt.state}`);
  let eventsPerApply = 0;
  const off = rt.on('*', () => void eventsPerApply++);
  await rt.applyConfig(doc);
  off();
  await rt.stop();
  const wall = summary(samples, 'wall');
  const cpu = summary(samples, 'cpu');

  // The same callbacks called directly, as the runtime calls them (validate all, then apply all):
  // what an apply would cost with zero runtime overhead.
  const direct = [];
  for (let i = 0; i < REAPPLIES; i++) {
    direct.push(
      await time(async () => {
        for (const r of roles) await r.validateConfig(undefined, undefined);
        for (const r of roles) await r.applyConfig(undefined, undefined);
      }),
    );
  }
  const directCpu = summary(direct, 'cpu').median;

  // What emitting costs: build and emit as many callback events as one re-apply emits, on a bus
  // with no listener (as in the samples above), measured in the same process.
  const bus = new EventBus(() => {});
  const emitting = [];
  for (let i = 0; i < REAPPLIES; i++) {
    emitting.push(
      await time(async () => {
        for (let e = 0; e < eventsPerApply; e++) bus.emit(callbackEvent(instanceRef('r1', undefined), 'applyConfig', 0.01));
      }),
    );
  }
  const emitCpu = summary(emitting, 'cpu').median;
  const share = emitCpu / cpu.median;

  const what = `${APPLY_ROLES} roles, ${APPLY_EDGES} edges`;
  const target = `< ${TARGET_MS} ms`;
  // The verdict is on CPU time: the runtime's own work, which time slices taken by other
  // processes on a busy machine do not inflate. On a quiet machine wall ≈ CPU.
  return [
    { metric: `first apply (${what}, init + applyConfig)`, value: first.cpu, unit: 'ms CPU', note: `wall ${first.wall.toFixed(1)} ms; cold: includes JIT warm-up` },
    { metric: `re-apply median of ${REAPPLIES}`, value: cpu.median, unit: 'ms CPU', target, pass: cpu.median < TARGET_MS, note: `wall ${wall.median.toFixed(1)} ms` },
    { metric: `re-apply p95 of ${REAPPLIES}`, value: cpu.p95, unit: 'ms CPU', target, pass: cpu.p95 < TARGET_MS, note: `wall ${wall.p95.toFixed(1)} ms` },
    { metric: 'the same no-op callbacks called directly', value: directCpu, unit: 'ms CPU', note: `runtime overhead ≈ ${(cpu.median - directCpu).toFixed(2)} ms CPU per apply` },
    { metric: `events of one re-apply (${eventsPerApply}), built and emitted alone`, value: emitCpu, unit: 'ms CPU' },
    { metric: 'share of the re-apply spent on events', value: share * 100, unit: '%', target: '<= 5%', pass: share <= 0.05 },
  ];
}

/**
 * The least work any resolver must do on the same graph: one visit per role
 * and per edge over plain Maps and Sets. Measured side by side with the
 * registry at each size, it cancels out the machine and its caches: a linear
 * resolver keeps a flat ratio to it, a quadratic one grows ~10× per size step.
 */
function baselineClosure(deps, roots) {
  const seen = new Set();
  const stack = [...roots];
  while (stack.length > 0) {
    const name = stack.pop();
    if (seen.has(name)) continue;
    seen.add(name);
    for (const d of deps.get(name)) if (!seen.has(d)) stack.push(d);
  }
  return seen;
}

function resolveRows() {
  const rows = [];
  const ratios = [];
  for (const size of SIZES) {
    const graph = randomDag(size, 2 * size, 7);
    const names = graph.map((r) => r.name);
    const registry = new RoleRegistry(noopRoles(graph));
    const deps = new Map(graph.map((r) => [r.name, r.dependencies]));
    const reps = Math.max(10, Math.round(50_000 / size) * 5);
    let enabled;
    // Interleaved, so that both see the same load; the fastest run is the least disturbed one.
    const [resolveMs, baseMs] = fastestOfPairs(
      () => (enabled = registry.getEnabledRoles(names)),
      () => baselineClosure(deps, names),
      reps,
    );
    if (enabled.length !== size) throw new Error(`resolved ${enabled.length} of ${size} roles`);
    const ns = (resolveMs * 1e6) / (size * 3);
    ratios.push(resolveMs / baseMs);
    rows.push({
      metric: `getEnabledRoles, ${size} roles + ${2 * size} edges`,
      value: resolveMs,
      unit: 'ms',
      note: `${ns.toFixed(0)} ns per role+edge; ${(resolveMs / baseMs).toFixed(2)}× a bare traversal (${baseMs.toFixed(2)} ms)`,
    });
  }
  const growth = Math.max(...ratios.slice(1).map((r, i) => r / ratios[i]));
  rows.push({
    metric: 'linearity: growth of the ×bare-traversal ratio per 10× roles',
    value: growth,
    unit: '×',
    target: `< ${LINEAR_GROWTH}×`,
    pass: growth < LINEAR_GROWTH,
    note: 'linear: ~1× (or less); quadratic: ~10×',
  });
  return rows;
}

/**
 * Fastest wall time of `a` and of `b`, run alternately `reps` times after one
 * warm-up run each, each from a collected heap when `gc` is exposed (bench/run.mjs does).
 */
function fastestOfPairs(a, b, reps) {
  const gc = globalThis.gc ?? (() => {});
  a();
  b();
  let bestA = Infinity;
  let bestB = Infinity;
  for (let i = 0; i < reps; i++) {
    gc();
    let started = performance.now();
    a();
    bestA = Math.min(bestA, performance.now() - started);
    gc();
    started = performance.now();
    b();
    bestB = Math.min(bestB, performance.now() - started);
  }
  return [bestA, bestB];
}

export async function run() {
  return [...(await applyRows()), ...resolveRows()];
}
