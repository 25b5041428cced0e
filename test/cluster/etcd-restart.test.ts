/**
 * etcd goes away mid-way and comes back: members keep serving what was
 * committed, reconnect on their own and converge on a later commit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyToCluster, clusterStatus, EtcdUnavailableError, joinCluster } from '../../src/cluster/index.js';
import { startEtcd, type EtcdProcess } from './etcd-process.js';
import { eventually, freshName, greeting, startMember, type TestMember } from './harness.js';

let etcd: EtcdProcess;
let members: TestMember[] = [];
beforeAll(async () => {
  etcd = await startEtcd();
});
afterAll(async () => {
  await Promise.all(members.map((m) => m.close()));
  await etcd?.dispose();
});

describe('etcd stopped and restarted', () => {
  it('members keep serving the last committed document, reconnect, and converge on a document committed after the restart', async () => {
    const name = freshName();
    const lease = 1_000;
    members = [
      await startMember(etcd.url, name, 'a1', { lease }),
      await startMember(etcd.url, name, 'a2', { lease }),
      await startMember(etcd.url, name, 'a3', { lease }),
    ];
    await applyToCluster({ etcd: [etcd.url], name, document: greeting('before') });
    await eventually('revision 1 everywhere', async () => (await Promise.all(members.map((m) => m.served()))).every((t) => t === 'before'));

    await etcd.stop();
    // Longer than the lease: every member's lease is lost while etcd is away.
    await new Promise((r) => setTimeout(r, 2_500));
    expect(await Promise.all(members.map((m) => m.served()))).toEqual(['before', 'before', 'before']);
    expect(members.map((m) => m.rt.state)).toEqual(['RolesConfigured', 'RolesConfigured', 'RolesConfigured']);
    for (const m of members) {
      expect(m.member.local()).toMatchObject({ connected: false, revision: 1, error: { name: 'EtcdUnavailableError' } });
    }
    // Nobody can apply meanwhile, and says why.
    const err = await applyToCluster({ etcd: [etcd.url], name, document: greeting('lost'), requestTimeout: 1_000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EtcdUnavailableError);
    expect((err as Error).message).toContain(etcd.url);

    await etcd.start();
    await eventually('all three registered again', async () => {
      const s = await clusterStatus({ etcd: [etcd.url], name });
      return Object.keys(s.members).length === 3 && members.every((m) => m.member.local().connected);
    });
    const { revision } = await applyToCluster({ etcd: [etcd.url], name, document: greeting('after') });
    expect(revision).toBe(2);
    await eventually('revision 2 everywhere', async () => (await Promise.all(members.map((m) => m.served()))).every((t) => t === 'after'));
    await eventually('each member published revision 2', async () => {
      const s = await clusterStatus({ etcd: [etcd.url], name });
      return Object.values(s.members).every((m) => m.revision === 2 && m.error === undefined);
    });
    for (const m of members) expect(m.member.local()).toEqual({ name, instance: m.instance, connected: true, revision: 2, committed: 2 });
  });

  it('a member away during two commits applies the latest one when it returns (and skips none it should not)', async () => {
    const name = freshName();
    members.push(await startMember(etcd.url, name, 'c1', { lease: 1_000 }));
    const c1 = members.at(-1)!;
    await applyToCluster({ etcd: [etcd.url], name, document: greeting('v1') });
    await eventually('c1 serves v1', async () => (await c1.served()) === 'v1');
    const applies: string[] = [];
    c1.rt.on('apply', (e) => applies.push(e.result));

    // c1 leaves (its runtime keeps serving v1); two commits happen without it.
    await c1.member.close();
    expect((await clusterStatus({ etcd: [etcd.url], name })).members).toEqual({});
    await applyToCluster({ etcd: [etcd.url], name, document: greeting('v2') });
    await applyToCluster({ etcd: [etcd.url], name, document: greeting('v3') });
    expect(await c1.served()).toBe('v1');

    c1.member = await joinCluster(c1.rt, { etcd: [etcd.url], name, instance: 'c1', lease: 1_000 });
    expect(await c1.served()).toBe('v3');
    expect(applies).toEqual(['ok']);
    expect(c1.member.local()).toMatchObject({ revision: 3, committed: 3 });
  });
});
