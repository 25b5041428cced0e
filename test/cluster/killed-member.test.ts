/**
 * Members in processes of their own; one is SIGKILLed while the cluster waits
 * for its vote.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Etcd3 } from 'etcd3';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { BusyError, ValidateConfigError } from '../../src/index.js';
import { applyToCluster, clusterStatus } from '../../src/cluster/index.js';
import { startEtcd, type EtcdProcess } from './etcd-process.js';
import { eventually, freshName, greeting } from './harness.js';
import { spawnMember, type ChildMember } from './processes.js';

let etcd: EtcdProcess;
const children: ChildMember[] = [];
beforeAll(async () => {
  etcd = await startEtcd();
});
afterAll(async () => {
  await Promise.all(children.map((c) => c.stop()));
  await etcd?.dispose();
});

describe('the coordinator killed during prepare', () => {
  it('its prepare goes with its lease: nothing applied, and the cluster takes the next apply', async () => {
    const name = freshName();
    // The member takes 2 s to validate, so the coordinator is still waiting for its vote when it dies.
    const m = await spawnMember({ etcd: etcd.url, name, instance: 'k1', validateDelayMs: 2_000 });
    children.push(m);
    const client = new Etcd3({ hosts: etcd.url });
    try {
      const coordinator = spawn(process.execPath, [fileURLToPath(new URL('./fixtures/apply.mjs', import.meta.url))], {
        env: { ...process.env, ETCD: etcd.url, NAME: name, DOCUMENT: JSON.stringify(greeting('never')), LEASE: '1000' },
        stdio: 'ignore',
      });
      const gone = new Promise((r) => coordinator.once('exit', r));
      await eventually('the prepare', async () => (await client.get(`/rolekit/${name}/prepare`).string()) !== null);
      coordinator.kill('SIGKILL');
      await gone;
      // Held until the lease (1 s) runs out: an apply meanwhile is refused.
      await expect(applyToCluster({ etcd: [etcd.url], name, document: greeting('x') })).rejects.toBeInstanceOf(BusyError);
      await eventually('the prepare gone with the lease', async () => (await client.get(`/rolekit/${name}/prepare`).string()) === null, 5_000);
      // The member's late vote finds no prepare and writes nothing; it applied nothing.
      await new Promise((r) => setTimeout(r, 2_500));
      expect(await client.getAll().prefix(`/rolekit/${name}/votes/`).keys()).toEqual([]);
      expect(await m.served()).toBe('HTTP 404');
      expect((await clusterStatus({ etcd: [etcd.url], name })).members.k1).toMatchObject({ state: 'Unconfigured', revision: 0 });
      await expect(applyToCluster({ etcd: [etcd.url], name, document: greeting('next') })).resolves.toEqual({ revision: 1 });
      await eventually('k1 serves the next document', async () => (await m.served()) === 'next');
    } finally {
      client.close();
    }
  });
});

describe('a member killed during prepare', () => {
  it('aborts the apply after the prepare time limit, applies nothing anywhere, and its lease expiring removes it', async () => {
    const name = freshName();
    const lease = 2_000;
    const [b1, b2, b3] = await Promise.all([
      spawnMember({ etcd: etcd.url, name, instance: 'b1', lease }),
      spawnMember({ etcd: etcd.url, name, instance: 'b2', lease }),
      // b3 takes 3 s to validate: it is still validating when it is killed.
      spawnMember({ etcd: etcd.url, name, instance: 'b3', lease, validateDelayMs: 3_000 }),
    ]);
    children.push(b1!, b2!, b3!);
    const all = [b1!, b2!, b3!];

    // Revision 1 with a generous prepare limit: b3 votes yes after its 3 s.
    await applyToCluster({ etcd: [etcd.url], name, document: greeting('one'), timeouts: { prepare: 10_000 } });
    await eventually('every member serves revision 1', async () => (await Promise.all(all.map((c) => c.served()))).every((t) => t === 'one'));

    const client = new Etcd3({ hosts: etcd.url });
    try {
      const started = Date.now();
      const applying = applyToCluster({ etcd: [etcd.url], name, document: greeting('two'), timeouts: { prepare: 1_500 } }).catch((e: unknown) => e);
      // Kill b3 once the prepare is there and the two others voted (b3 is still validating).
      await eventually('the prepare and two votes', async () => {
        const prepare = await client.get(`/rolekit/${name}/prepare`).string();
        const votes = await client.getAll().prefix(`/rolekit/${name}/votes/`).keys();
        return prepare !== null && votes.length === 2;
      });
      await b3!.kill();
      const err = await applying;
      const took = Date.now() - started;

      expect(err).toBeInstanceOf(ValidateConfigError);
      expect((err as ValidateConfigError).issues).toEqual([{ path: '', message: 'did not vote within 1500 ms (timeouts.prepare)', instance: 'b3' }]);
      expect(took).toBeGreaterThanOrEqual(1_500);
      expect(took).toBeLessThan(5_000);

      // Nothing applied anywhere, nothing left behind.
      expect(await Promise.all([b1!.served(), b2!.served()])).toEqual(['one', 'one']);
      expect(await client.get(`/rolekit/${name}/prepare`).string()).toBeNull();
      expect(await client.getAll().prefix(`/rolekit/${name}/votes/`).keys()).toEqual([]);
      const status = await clusterStatus({ etcd: [etcd.url], name });
      expect(status.revision).toBe(1);
      expect(status.members.b1).toMatchObject({ state: 'RolesConfigured', revision: 1 });

      // b3's lease runs out (2 s): it leaves the members, and the next apply goes through without it.
      await eventually('b3 gone from the members', async () => !('b3' in (await clusterStatus({ etcd: [etcd.url], name })).members), lease + 3_000);
      expect(Object.keys((await clusterStatus({ etcd: [etcd.url], name })).members).sort()).toEqual(['b1', 'b2']);
      await expect(applyToCluster({ etcd: [etcd.url], name, document: greeting('three'), timeouts: { prepare: 1_500 } })).resolves.toEqual({ revision: 2 });
      await eventually('b1 and b2 serve revision 2', async () => (await Promise.all([b1!.served(), b2!.served()])).every((t) => t === 'three'));
    } finally {
      client.close();
    }
  });
});
