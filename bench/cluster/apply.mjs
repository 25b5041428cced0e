/**
 * The cluster's overhead: time from an apply to every member serving the new
 * document, for 3 and 10 in-process members on one etcd (loopback), beside a
 * single-process `rt.applyConfig` of the same document. The ratio is what
 * the two phases and the watch cost on top of the apply itself.
 *
 * "Serving" is measured at each member's `apply` event with result ok (the
 * runtime reached RolesConfigured with the document, so its routes answer
 * with it), checked once through rt.fetch at the end of every round.
 * Coordinated two ways: `member.applyDocument` (an open client) and
 * `applyToCluster` (a fresh client per apply, what `rolekit apply --cluster` does).
 */
import { z } from 'zod';
import { createRuntime, defineRole } from '../../dist/index.js';
import { applyToCluster, joinCluster } from '../../dist/cluster/index.js';
import { startEtcd } from './_etcd.mjs';
import { median, percentile } from '../_stats.mjs';

export const title = 'cluster apply: apply → every member serving, vs one rt.applyConfig';

const ROUNDS = 20;
const WARMUP = 3;

function greeter() {
  let text = '';
  return defineRole({
    name: 'greeter',
    config: z.object({ text: z.string() }),
    init(ctx) {
      ctx.route('GET', '/greeting', () => new Response(text));
    },
    applyConfig(conf) {
      text = conf.text;
    },
  });
}

const doc = (text) => ({ roles: ['greeter'], config: { greeter: { text } } });
const p95 = (xs) => percentile(xs, 95);

async function single() {
  const rt = await createRuntime({ roles: [greeter()], logger: false });
  const times = [];
  for (let i = 0; i < WARMUP + ROUNDS; i++) {
    const t0 = performance.now();
    await rt.applyConfig(doc(`single ${i}`));
    if (i >= WARMUP) times.push(performance.now() - t0);
  }
  await rt.stop();
  return times;
}

async function cluster(etcd, size, via) {
  const name = `bench-${size}-${via}-${process.pid}`;
  const members = [];
  for (let i = 0; i < size; i++) {
    const rt = await createRuntime({ roles: [greeter()], logger: false });
    members.push({ rt, member: await joinCluster(rt, { etcd: [etcd.url], name, instance: `m${i}`, lease: 5_000 }) });
  }
  const times = [];
  const commits = [];
  for (let i = 0; i < WARMUP + ROUNDS; i++) {
    const text = `round ${i}`;
    const served = members.map(
      ({ rt }) =>
        new Promise((resolve) => {
          const off = rt.on('apply', (e) => {
            if (e.result === 'ok') {
              off();
              resolve(performance.now());
            }
          });
        }),
    );
    const t0 = performance.now();
    if (via === 'member') await members[0].member.applyDocument(doc(text));
    else await applyToCluster({ etcd: [etcd.url], name, document: doc(text) });
    const committed = performance.now();
    const ends = await Promise.all(served);
    for (const { rt } of members) {
      const body = await (await rt.fetch(new Request('http://x/greeting'))).text();
      if (body !== text) throw new Error(`a member serves "${body}", not "${text}"`);
    }
    if (i >= WARMUP) {
      times.push(Math.max(...ends) - t0);
      commits.push(committed - t0);
    }
  }
  for (const { rt, member } of members) {
    await member.close();
    await rt.stop();
  }
  return { times, commits };
}

export async function run() {
  const etcd = await startEtcd();
  try {
    const base = await single();
    const rows = [{ metric: 'single process: rt.applyConfig', value: +median(base).toFixed(2), unit: 'ms', note: `median of ${ROUNDS}; p95 ${p95(base).toFixed(2)} ms` }];
    for (const size of [3, 10]) {
      for (const via of ['member', 'applyToCluster']) {
        const { times, commits } = await cluster(etcd, size, via);
        const label = via === 'member' ? 'member.applyDocument' : 'applyToCluster (new client)';
        rows.push({
          metric: `${size} members, ${label}: apply → all serving`,
          value: +median(times).toFixed(1),
          unit: 'ms',
          note: `p95 ${p95(times).toFixed(1)} ms; committed after ${median(commits).toFixed(1)} ms; ${(median(times) / median(base)).toFixed(0)}× one rt.applyConfig`,
        });
      }
    }
    return rows;
  } finally {
    await etcd.stop();
  }
}
