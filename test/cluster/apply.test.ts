/**
 * Applying one document to three in-process members through a real etcd.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BusyError, ValidateConfigError } from '../../src/index.js';
import { applyToCluster, clusterStatus } from '../../src/cluster/index.js';
import { startEtcd, type EtcdProcess } from './etcd-process.js';
import { eventually, freshName, greeting, startMember, type TestMember } from './harness.js';

let etcd: EtcdProcess;
let members: TestMember[] = [];
beforeAll(async () => {
  etcd = await startEtcd();
});
afterAll(async () => {
  await etcd?.dispose();
});
afterEach(async () => {
  await Promise.all(members.map((m) => m.close()));
  members = [];
});

async function three(name: string, options: { a3?: { maxLength?: number } } = {}) {
  members = [
    await startMember(etcd.url, name, 'a1'),
    await startMember(etcd.url, name, 'a2'),
    await startMember(etcd.url, name, 'a3', options.a3),
  ];
  return members;
}

describe('cluster apply', () => {
  it('registers members before the first commit, in Unconfigured', async () => {
    const name = freshName();
    await three(name);
    const status = await clusterStatus({ etcd: [etcd.url], name });
    expect(status).toEqual({
      name,
      revision: 0,
      members: {
        a1: { state: 'Unconfigured', revision: 0, generation: 0 },
        a2: { state: 'Unconfigured', revision: 0, generation: 0 },
        a3: { state: 'Unconfigured', revision: 0, generation: 0 },
      },
    });
  });

  it('a good document reaches all three, and each serves it over HTTP', async () => {
    const name = freshName();
    const [a1] = await three(name);
    const { revision } = await a1!.member.applyDocument(greeting('hello'));
    expect(revision).toBe(1);
    await eventually('all three serve revision 1', async () => (await Promise.all(members.map((m) => m.served()))).every((t) => t === 'hello'));
    await eventually('every member published revision 1', async () => {
      const s = await clusterStatus({ etcd: [etcd.url], name });
      return Object.values(s.members).every((m) => m.revision === 1 && m.state === 'RolesConfigured');
    });
    const second = await applyToCluster({ etcd: [etcd.url], name, document: greeting('again') });
    expect(second.revision).toBe(2);
    await eventually('all three serve revision 2', async () => (await Promise.all(members.map((m) => m.served()))).every((t) => t === 'again'));
    const status = await clusterStatus({ etcd: [etcd.url], name });
    expect(status.revision).toBe(2);
  });

  it('a document that one member rejects is applied on none, and the error names that member and the key', async () => {
    const name = freshName();
    await three(name, { a3: { maxLength: 5 } });
    await applyToCluster({ etcd: [etcd.url], name, document: greeting('short') });
    await eventually('revision 1 everywhere', async () => (await Promise.all(members.map((m) => m.served()))).every((t) => t === 'short'));

    const err = await applyToCluster({ etcd: [etcd.url], name, document: greeting('far too long') }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidateConfigError);
    const issues = (err as ValidateConfigError).issues;
    expect(issues).toEqual([{ path: 'config.greeter', message: 'text is longer than 5 characters on this member', instance: 'a3' }]);
    expect((err as Error).message).toContain('a3: config.greeter: text is longer than 5');

    // Nothing moved: same revision, every member still serves the old text, and the cluster is free again.
    const status = await clusterStatus({ etcd: [etcd.url], name });
    expect(status.revision).toBe(1);
    expect(await Promise.all(members.map((m) => m.served()))).toEqual(['short', 'short', 'short']);
    expect(members.map((m) => m.rt.state)).toEqual(['RolesConfigured', 'RolesConfigured', 'RolesConfigured']);
    await expect(applyToCluster({ etcd: [etcd.url], name, document: greeting('ok') })).resolves.toEqual({ revision: 2 });
  });

  it('two applies at once: one wins, the other is refused with BusyError', async () => {
    const name = freshName();
    const [a1, a2] = await three(name);
    const results = await Promise.allSettled([a1!.member.applyDocument(greeting('from a1')), a2!.member.applyDocument(greeting('from a2'))]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(refused[0]!.reason).toBeInstanceOf(BusyError);
    expect((refused[0]!.reason as Error).message).toMatch(/in progress/);
    const winner = results[0]!.status === 'fulfilled' ? 'from a1' : 'from a2';
    await eventually('the winner everywhere', async () => (await Promise.all(members.map((m) => m.served()))).every((t) => t === winner));
    expect((await clusterStatus({ etcd: [etcd.url], name })).revision).toBe(1);
  });

  it('a member that joins during the prepare votes too, and its no aborts the apply', async () => {
    const name = freshName();
    members = [await startMember(etcd.url, name, 'a1', { validateDelayMs: 600 }), await startMember(etcd.url, name, 'a2', { validateDelayMs: 600 })];
    const applying = applyToCluster({ etcd: [etcd.url], name, document: greeting('longer text') }).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 150));
    // a3 joins while a1 and a2 are still validating; it rejects the candidate.
    members.push(await startMember(etcd.url, name, 'a3', { maxLength: 3 }));
    const err = await applying;
    expect(err).toBeInstanceOf(ValidateConfigError);
    expect((err as ValidateConfigError).issues).toEqual([{ path: 'config.greeter', message: 'text is longer than 3 characters on this member', instance: 'a3' }]);
    expect((await clusterStatus({ etcd: [etcd.url], name })).revision).toBe(0);
    expect(members.map((m) => m.rt.state)).toEqual(['Unconfigured', 'Unconfigured', 'Unconfigured']);
  });

  it('a member that joins later applies the latest committed document', async () => {
    const name = freshName();
    members = [await startMember(etcd.url, name, 'a1')];
    await applyToCluster({ etcd: [etcd.url], name, document: greeting('one') });
    await applyToCluster({ etcd: [etcd.url], name, document: greeting('two') });
    const late = await startMember(etcd.url, name, 'a2');
    members.push(late);
    // joinCluster resolves once the committed document is applied.
    expect(await late.served()).toBe('two');
    expect(late.member.local()).toMatchObject({ connected: true, revision: 2, committed: 2 });
  });
});
