/**
 * `rolekit start` with `cluster:` and the cluster commands of the command
 * line, for real: an etcd on loopback, two `rolekit start` members as child
 * processes, and `rolekit apply|status --cluster` run as an operator would.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEtcd, type EtcdProcess } from '../cluster/etcd-process.js';
import { cleanUp, cli, fixtureDir, get, startRolekit, type RolekitProcess } from './rolekit-process.js';

const run = (...args: string[]) =>
  promisify(execFile)(process.execPath, [cli, ...args], { env: { ...process.env, ROLEKIT_LOG_LEVEL: '' } }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (err: { code: number; stdout: string; stderr: string }) => ({ code: err.code, stdout: err.stdout, stderr: err.stderr }),
  );

describe('rolekit start with cluster:, and rolekit apply|status --cluster', () => {
  let etcd: EtcdProcess;
  let dir: string;
  const members: RolekitProcess[] = [];
  const urls: string[] = [];
  const admins: string[] = [];

  beforeAll(async () => {
    etcd = await startEtcd();
    dir = fixtureDir('cluster');
    for (const instance of ['m1', 'm2', 'm3']) {
      const file = join(dir, `${instance}.yaml`);
      writeFileSync(file, `modules: [./greeter.mjs]\nreloadAllowed: true\nhttp: { port: 0 }\nadmin: { port: 0 }\ncluster:\n  etcd: [${etcd.url}]\n  name: shop\n  instance: ${instance}\n  timeouts: { prepare: 3000 }\n`);
      const rk = startRolekit(file, { env: instance === 'm2' ? { REFUSE_GREETING: 'Bonjour' } : {} });
      members.push(rk);
      urls.push(await rk.url);
      admins.push((await rk.waitFor((l) => typeof l.admin === 'string')).admin as string);
    }
  }, 60_000);
  afterAll(async () => {
    for (const rk of members) await cleanUp(rk, undefined);
    await cleanUp(undefined, dir);
    await etcd?.dispose();
  });

  const doc = (greeting: string) => {
    const file = join(dir, 'doc.yaml');
    writeFileSync(file, `roles: [greeter]\nconfig:\n  greeter: { greeting: ${greeting} }\n`);
    return file;
  };

  it('a good document reaches all three members, and status --cluster shows them at its revision', async () => {
    const applied = await run('apply', doc('Hello'), '--cluster', etcd.url, '--name', 'shop');
    expect(applied).toMatchObject({ code: 0, stdout: expect.stringMatching(/committed to cluster "shop" as revision 1/) });
    for (const url of urls) {
      for (let i = 0; i < 100 && (await get(url, '/hello')).body !== 'Hello\n'; i++) await new Promise((r) => setTimeout(r, 50));
      expect(await get(url, '/hello')).toEqual({ status: 200, body: 'Hello\n' });
    }
    const status = await run('status', '--cluster', etcd.url, '--name', 'shop');
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/committed revision: 1 {3}members: 3/);
    for (const m of ['m1', 'm2', 'm3']) expect(status.stdout).toMatch(new RegExp(`^${m} +RolesConfigured +1 +0`, 'm'));
  });

  it('a document one member refuses is applied on none: exit 1, the member and the key named', async () => {
    const refused = await run('apply', doc('Bonjour'), '--cluster', etcd.url, '--name', 'shop');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^rolekit: ValidateConfigError/m);
    expect(refused.stderr).toContain('  m2: config.greeter: this instance refuses the greeting "Bonjour"');
    for (const url of urls) expect(await get(url, '/hello')).toEqual({ status: 200, body: 'Hello\n' });
  });

  it("POST /config on one member's admin API applies to the cluster; /status shows every member", async () => {
    type Status = { cluster: { name: string; revision: number; members: Record<string, { revision: number }> } };
    const before = (JSON.parse((await get(admins[0]!, '/status')).body) as Status).cluster.revision;
    const res = await fetch(`${admins[1]}/config`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ roles: ['greeter'], config: { greeter: { greeting: 'Hej' } } }),
    });
    expect(res.status).toBe(200);
    const revision = before + 1;
    expect(await res.json()).toMatchObject({ revision });
    for (const url of urls) {
      for (let i = 0; i < 100 && (await get(url, '/hello')).body !== 'Hej\n'; i++) await new Promise((r) => setTimeout(r, 50));
      expect(await get(url, '/hello')).toEqual({ status: 200, body: 'Hej\n' });
    }
    const status = JSON.parse((await get(admins[0]!, '/status')).body) as Status;
    expect(status.cluster).toMatchObject({ name: 'shop', revision, members: { m1: { revision }, m2: { revision }, m3: { revision } } });
    // A document a member refuses: 422 with the member named in the issues, applied nowhere.
    const refused = await fetch(`${admins[0]}/config`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ roles: ['greeter'], config: { greeter: { greeting: 'Bonjour' } } }),
    });
    expect(refused.status).toBe(422);
    expect(await refused.json()).toMatchObject({ error: { name: 'ValidateConfigError', issues: [{ instance: 'm2', path: 'config.greeter' }] } });
    for (const url of urls) expect((await get(url, '/hello')).body).toBe('Hej\n');
  });

  it('reload --cluster reloads member by member and says which member runs which generation', async () => {
    const rolled = await run('reload', '--cluster', etcd.url, '--name', 'shop');
    expect(rolled.code).toBe(0);
    expect(rolled.stdout).toBe('m1: ok (generation 1)\nm2: ok (generation 1)\nm3: ok (generation 1)\ngenerations: m1=1 m2=1 m3=1\n');
    for (const url of urls) expect((await get(url, '/hello')).status).toBe(200);
  });

  it('exits 3 when etcd can not be reached, 2 for --cluster without --name', async () => {
    const unreachable = await run('status', '--cluster', 'http://127.0.0.1:1', '--name', 'shop');
    expect(unreachable.code).toBe(3);
    expect((await run('status', '--cluster', etcd.url)).code).toBe(2);
  });
});
