/**
 * A member never crashes on what it reads from etcd: a malformed or hostile
 * value is an error in its status, and it keeps serving what it applied.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Etcd3 } from 'etcd3';
import { BusyError } from '../../src/index.js';
import { applyToCluster, clusterStatus } from '../../src/cluster/index.js';
import { startEtcd, type EtcdProcess } from './etcd-process.js';
import { eventually, freshName, greeting, startMember, type TestMember } from './harness.js';

let etcd: EtcdProcess;
let client: Etcd3;
let members: TestMember[] = [];
beforeAll(async () => {
  etcd = await startEtcd();
  client = new Etcd3({ hosts: etcd.url });
});
afterAll(async () => {
  client?.close();
  await etcd?.dispose();
});
afterEach(async () => {
  await Promise.all(members.map((m) => m.close()));
  members = [];
});

async function one(name: string) {
  const m = await startMember(etcd.url, name, 'a1');
  members.push(m);
  await applyToCluster({ etcd: [etcd.url], name, document: greeting('good') });
  await eventually('a1 serves the good document', async () => (await m.served()) === 'good');
  return m;
}

const published = async (name: string) => (await clusterStatus({ etcd: [etcd.url], name })).members.a1;

describe('bad data in etcd', () => {
  it.each([
    ['not JSON', 'not json {', /is not JSON/],
    ['the wrong shape', '{"revision":"seven","document":{}}', /is not a committed document at revision/],
    ['a JSON null', 'null', /is not a committed document/],
    ['a hostile object', '{"revision":9,"id":"x","at":1,"__proto__":{"polluted":true},"document":{"roles":["greeter"],"config":{"__proto__":{"greeter":{"text":"polluted"}}}}}', /config\.greeter/],
  ])('a committed value that is %s is an error in the status, and the member keeps serving', async (_what, value, message) => {
    const name = freshName();
    const a1 = await one(name);
    await client.put(`/rolekit/${name}/committed`).value(value);
    await eventually('the error is published', async () => (await published(name))?.error !== undefined);
    const status = await published(name);
    expect(status!.error!.message).toMatch(message);
    expect(await a1.served()).toBe('good');
    expect(a1.rt.state).toBe('RolesConfigured');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();

    // The next commit repairs it, with a revision that still grows.
    const { revision } = await applyToCluster({ etcd: [etcd.url], name, document: greeting('repaired') });
    expect(revision).toBeGreaterThan(1);
    await eventually('a1 serves the repaired document', async () => (await a1.served()) === 'repaired');
    await eventually('the error is gone', async () => (await published(name))?.error === undefined);
    expect((await published(name))!.revision).toBe(revision);
  });

  it('a prepare key rolekit did not write: the member reports it, and an apply is refused with BusyError until it is gone', async () => {
    const name = freshName();
    const a1 = await one(name);
    await client.put(`/rolekit/${name}/prepare`).value('{"kind":"apply"}');
    await eventually('the error is published', async () => /is not a prepare/.test((await published(name))?.error?.message ?? ''));
    const err = await applyToCluster({ etcd: [etcd.url], name, document: greeting('x') }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BusyError);
    expect((err as Error).message).toMatch(/did not write/);
    await client.delete().key(`/rolekit/${name}/prepare`);
    await applyToCluster({ etcd: [etcd.url], name, document: greeting('after') });
    await eventually('a1 serves it', async () => (await a1.served()) === 'after');
  });

  it('a committed document the runtime rejects is reported and not applied; the member keeps the revision it had', async () => {
    const name = freshName();
    const a1 = await one(name);
    await client.put(`/rolekit/${name}/committed`).value(JSON.stringify({ revision: 2, id: 'x', at: 1, document: { roles: ['nope'] } }));
    await eventually('the error is published', async () => (await published(name))?.error?.name === 'ValidateConfigError');
    expect((await published(name))!.error!.message).toContain('can not enable unknown role "nope"');
    expect((await published(name))!.revision).toBe(1);
    expect(a1.member.local()).toMatchObject({ revision: 1, committed: 2 });
    expect(await a1.served()).toBe('good');
  });

  it('a member record that is not one shows as Unknown with its error in the cluster status', async () => {
    const name = freshName();
    await one(name);
    const lease = client.lease(5);
    await lease.put(`/rolekit/${name}/members/zz`).value('[1,2');
    const status = await clusterStatus({ etcd: [etcd.url], name });
    expect(status.members.zz).toEqual({ state: 'Unknown', revision: 0, generation: 0, error: { name: 'ClusterDataError', message: expect.stringMatching(/is not JSON/) } });
    expect(status.members.a1).toMatchObject({ state: 'RolesConfigured', revision: 1 });
    await lease.revoke();
  });

  it('a reload request that is not one is reported, and no reload runs', async () => {
    const name = freshName();
    const a1 = await one(name);
    await client.put(`/rolekit/${name}/reload/a1/request`).value('{"id":""}');
    await eventually('the error is published', async () => /is not a reload request/.test((await published(name))?.error?.message ?? ''));
    expect(a1.rt.generation).toBe(0);
  });
});
