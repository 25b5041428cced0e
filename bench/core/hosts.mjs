/**
 * An apply that scales with what changed (docs/hosts.md, issue 8).
 *
 * A document of 1000 hosts, each enabling 3 host-scoped roles (3000
 * instances; `site` depends on `auth` and `files` on the same host), with
 * no-op callbacks that count themselves:
 *
 * 1. The first full apply, timed.
 * 2. Re-applying the unchanged document: rolekit's own time (median of CPU
 *    time over several runs, after a warm-up; the callbacks are no-ops and
 *    none runs). Target < 10 ms.
 * 3. Adding one host, several times (each a new host): exactly that host's 3
 *    validateConfig, 3 init and 3 applyConfig run (and its 3 onApplyConfig),
 *    nothing else (FAIL otherwise); its time as a share of the first full
 *    apply. Target < 5%.
 */
import { pino } from 'pino';
import { createRuntime, defineRole } from '../../dist/index.js';
import { median, timed as time } from '../_stats.mjs';

export const title = 'apply with 1000 hosts: what an added host and an unchanged re-apply cost';

const HOSTS = 1000;
const ADDS = 11;
const WARMUP = 10;
const REAPPLIES = 30;
const ADD_TARGET = 0.05;
const REAPPLY_TARGET_MS = 10;
const CALLBACKS = ['validateConfig', 'init', 'applyConfig', 'stop', 'onApplyConfig'];

function countingRoles(counts) {
  const role = (name, dependencies = []) => {
    const def = { name, scope: 'host', dependencies };
    for (const cb of CALLBACKS) def[cb] = () => void counts[cb]++;
    return defineRole(def);
  };
  return [role('auth'), role('files'), role('site', ['auth', 'files'])];
}

function host(i) {
  return { roles: ['site', 'auth', 'files'], config: { site: { title: `site ${i}`, port: 8000 + (i % 100) }, auth: { realm: `r${i}` } } };
}

function documentOf(n) {
  const hosts = {};
  for (let i = 0; i < n; i++) hosts[`h${i}.example.com`] = host(i);
  return { config: { files: { root: '/srv' } }, hosts };
}

export async function run() {
  const counts = Object.fromEntries(CALLBACKS.map((cb) => [cb, 0]));
  const reset = () => CALLBACKS.forEach((cb) => (counts[cb] = 0));
  const rt = await createRuntime({ roles: countingRoles(counts), logger: pino({ level: 'silent' }) });
  const doc = documentOf(HOSTS);

  const first = await time(() => rt.applyConfig(doc));
  if (rt.state !== 'RolesConfigured' || counts.init !== 3 * HOSTS) throw new Error(`first apply: ${rt.state}, ${counts.init} inits`);

  // Steady state first: a running service has applied before; both measurements below are warm.
  for (let i = 0; i < WARMUP; i++) await rt.applyConfig(doc);
  reset();
  const reapplies = [];
  for (let i = 0; i < REAPPLIES; i++) reapplies.push(await time(() => rt.applyConfig(doc)));
  const reapplyCalls = CALLBACKS.reduce((n, cb) => n + counts[cb], 0);
  // Each add is a new host on top of the last document: the callbacks must be that host's alone.
  const adds = [];
  const wrong = [];
  for (let i = 0; i < ADDS; i++) {
    doc.hosts[`added${i}.example.com`] = host(HOSTS + i);
    reset();
    adds.push(await time(() => rt.applyConfig(doc)));
    const expected = { validateConfig: 3, init: 3, applyConfig: 3, stop: 0, onApplyConfig: 3 };
    if (CALLBACKS.some((cb) => counts[cb] !== expected[cb])) wrong.push(`add ${i}: ${JSON.stringify(counts)}`);
  }
  const addCounts = { ...counts };

  await rt.stop();

  const addCpu = median(adds.map((s) => s.cpu));
  const share = addCpu / first.cpu;
  const reapplyCpu = median(reapplies.map((s) => s.cpu));
  const counted = CALLBACKS.map((cb) => `${cb} ${addCounts[cb]}`).join(', ');
  return [
    { metric: `first full apply (${HOSTS} hosts × 3 host roles)`, value: first.cpu, unit: 'ms CPU', note: `wall ${first.wall.toFixed(1)} ms; cold: includes JIT warm-up` },
    {
      metric: 'adding one host: its callbacks, exactly 3 validateConfig, 3 init, 3 applyConfig (+3 onApplyConfig)',
      value: wrong.length,
      unit: `wrong of ${ADDS}`,
      target: '0',
      pass: wrong.length === 0,
      note: wrong.length === 0 ? `last add: ${counted}` : wrong.join('; '),
    },
    { metric: `adding one host, median of ${ADDS}`, value: addCpu, unit: 'ms CPU', note: `wall ${median(adds.map((s) => s.wall)).toFixed(2)} ms` },
    { metric: 'adding one host as a share of the first full apply', value: share * 100, unit: '%', target: `< ${ADD_TARGET * 100}%`, pass: share < ADD_TARGET },
    {
      metric: `re-applying the unchanged document, median of ${REAPPLIES}`,
      value: reapplyCpu,
      unit: 'ms CPU',
      target: `< ${REAPPLY_TARGET_MS} ms`,
      pass: reapplyCpu < REAPPLY_TARGET_MS,
      note: `wall ${median(reapplies.map((s) => s.wall)).toFixed(2)} ms; ${reapplyCalls} callbacks in ${REAPPLIES} re-applies`,
    },
  ];
}
