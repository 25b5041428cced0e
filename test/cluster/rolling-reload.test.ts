/**
 * Reloading code across the cluster, member by member, through etcd.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Etcd3 } from 'etcd3';
import { BusyError } from '../../src/index.js';
import { applyToCluster, rollingReload } from '../../src/cluster/index.js';
import { startEtcd, type EtcdProcess } from './etcd-process.js';
import { eventually, freshName, greeting, startMember, type TestMember } from './harness.js';

let etcd: EtcdProcess;
let members: TestMember[] = [];
const dirs: string[] = [];
beforeAll(async () => {
  etcd = await startEtcd();
});
afterAll(async () => {
  await etcd?.dispose();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
afterEach(async () => {
  await Promise.all(members.map((m) => m.close()));
  members = [];
});

/** The greeter as a module role (the unit of hot reload), serving `<version>:<text>`. */
const roleSource = (version: string) => `
let text = '';
export default {
  name: 'greeter',
  init(ctx) { ctx.route('GET', '/greeting', () => new Response('${version}:' + text)); },
  applyConfig(conf) { text = conf.text; },
};
`;

/** Three members, each with its own copy of the role file (so one can be broken alone). */
async function three(name: string) {
  const files: string[] = [];
  for (const instance of ['r1', 'r2', 'r3']) {
    const dir = mkdtempSync(join(tmpdir(), `rolekit-roll-${instance}-`));
    dirs.push(dir);
    const file = join(dir, 'greeter.mjs');
    writeFileSync(file, roleSource('v1'));
    files.push(file);
    members.push(await startMember(etcd.url, name, instance, { roleFile: file }));
  }
  await applyToCluster({ etcd: [etcd.url], name, document: greeting('hi') });
  await eventually('v1 everywhere', async () => (await Promise.all(members.map((m) => m.served()))).every((t) => t === 'v1:hi'));
  return files;
}

describe('rolling reload', () => {
  it('reloads every member, one after the other, and reports the generation each runs', async () => {
    const name = freshName();
    const files = await three(name);
    for (const file of files) writeFileSync(file, roleSource('v2'));
    const order: string[] = [];
    for (const m of members) m.rt.on('reload', () => order.push(m.instance));

    const report = await rollingReload({ etcd: [etcd.url], name });
    expect(report).toEqual({
      result: 'ok',
      members: [
        { instance: 'r1', result: 'ok', generation: 1 },
        { instance: 'r2', result: 'ok', generation: 1 },
        { instance: 'r3', result: 'ok', generation: 1 },
      ],
      skipped: [],
      generations: { r1: 1, r2: 1, r3: 1 },
    });
    expect(order).toEqual(['r1', 'r2', 'r3']);
    expect(await Promise.all(members.map((m) => m.served()))).toEqual(['v2:hi', 'v2:hi', 'v2:hi']);
  });

  it('stops at the first member whose reload fails, and says which members run which generation', async () => {
    const name = freshName();
    const files = await three(name);
    writeFileSync(files[0]!, roleSource('v2'));
    writeFileSync(files[1]!, 'export default {{ broken');
    writeFileSync(files[2]!, roleSource('v2'));

    const report = await members[0]!.member.rollingReload();
    expect(report.result).toBe('failed');
    expect(report.members.map((m) => [m.instance, m.result])).toEqual([
      ['r1', 'ok'],
      ['r2', 'failed'],
    ]);
    expect(report.members[1]!.error!.message).toMatch(/greeter\.mjs/);
    expect(report.skipped).toEqual(['r3']);
    expect(report.generations).toEqual({ r1: 1, r2: 0, r3: 0 });
    // r2 still serves its old code; r3 was never asked.
    expect(await Promise.all(members.map((m) => m.served()))).toEqual(['v2:hi', 'v1:hi', 'v1:hi']);
    expect(members[2]!.rt.generation).toBe(0);
  });

  it('a rolling reload and an apply exclude each other (BusyError)', async () => {
    const name = freshName();
    const files = await three(name);
    // A slow reload: the new version's init takes 1 s.
    for (const file of files) writeFileSync(file, roleSource('v2').replace('init(ctx) {', 'async init(ctx) { await new Promise((r) => setTimeout(r, 1000));'));
    const rolling = rollingReload({ etcd: [etcd.url], name });
    const client = new Etcd3({ hosts: etcd.url });
    try {
      await eventually('the roll holds the prepare key', async () => /"kind":"reload"/.test((await client.get(`/rolekit/${name}/prepare`).string()) ?? ''));
    } finally {
      client.close();
    }
    const err = await applyToCluster({ etcd: [etcd.url], name, document: greeting('x') }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BusyError);
    expect((err as Error).message).toMatch(/a rolling reload by "rolekit reload \(pid \d+\)" is in progress/);
    expect((await rolling).result).toBe('ok');
    await expect(applyToCluster({ etcd: [etcd.url], name, document: greeting('then') })).resolves.toEqual({ revision: 2 });
  });
});
