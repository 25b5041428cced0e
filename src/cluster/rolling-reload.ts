/**
 * Reload code across the cluster, one member at a time (docs/cluster.md,
 * Rolling reload). The roll holds the prepare key like an apply, so an apply
 * and a roll never overlap; each member is asked through etcd (a request key
 * it watches, answered next to it), so the coordinator needs nothing but etcd.
 * The roll stops at the first member whose reload did not succeed.
 * @module
 */
import { randomUUID } from 'node:crypto';
import { viaEtcd, type EtcdConnection } from './etcd-client.js';
import type { ClusterKeys } from './keys.js';
import { createIs, keyText, kvsOf, put, range, rangePrefix, txn } from './kv.js';
import { leaseSeconds } from './options.js';
import { decode, encode, reloadResult, type ErrorInfo, type ReloadResult } from './records.js';
import { readClusterStatus } from './status.js';
import { watchChanges } from './watch-changes.js';
import { errorInfo } from './describe.js';
import { busyWith, revokeWithin } from './prepare-lock.js';

export interface RollingReloadOptions {
  /** Reload only these roles (and their dependents) on each member; default: every module role. */
  roles?: string[];
  /** How long one member may take to answer (default 60 000 ms). */
  memberTimeout?: number;
}

export interface MemberReload {
  instance: string;
  /** `refused`: the member's runtime refused (not allowed, forbidden, busy, wrong state); `timeout`, `left`: no answer. */
  result: ReloadResult['result'] | 'timeout' | 'left';
  generation?: number;
  error?: ErrorInfo;
}

export interface RollingReloadReport {
  result: 'ok' | 'failed';
  /** The members asked, in order (by instance name), with their outcome; the last one failed when `result` is `failed`. */
  members: MemberReload[];
  /** Members not asked because the roll stopped. */
  skipped: string[];
  /** Which member runs which generation afterwards (their published status). */
  generations: Record<string, number>;
}

export async function rollReload(
  connection: EtcdConnection,
  keys: ClusterKeys,
  input: RollingReloadOptions & { coordinator: string; lease: number; clusterName: string },
): Promise<RollingReloadReport> {
  const { client } = connection;
  const id = randomUUID();
  const memberTimeout = input.memberTimeout ?? 60_000;
  const lease = client.lease(leaseSeconds(input.lease), { autoKeepAlive: true });
  lease.on('lost', () => {});
  try {
    const leaseId = await viaEtcd(connection, 'start the rolling reload', () => lease.grant());
    const lock = encode({ kind: 'reload', id, coordinator: input.coordinator, at: Date.now() });
    const held = await viaEtcd(connection, 'start the rolling reload', () =>
      txn(client, [createIs(keys.prepare, 0)], [put(keys.prepare, lock, leaseId), rangePrefix(keys.members)], [range(keys.prepare)]),
    );
    if (!held.succeeded) throw busyWith('reload', held.responses[0]?.response_range?.kvs[0]?.value, keys);
    const instances = kvsOf(held, 1)
      .map((kv) => keyText(kv).slice(keys.members.length))
      .sort();
    const members: MemberReload[] = [];
    for (const [i, instance] of instances.entries()) {
      const outcome = await reloadOne(connection, keys, { id, instance, leaseId, roles: input.roles, memberTimeout });
      members.push(outcome);
      if (outcome.result !== 'ok') {
        return { result: 'failed', members, skipped: instances.slice(i + 1), generations: await generations(connection, keys, input.clusterName, members) };
      }
    }
    return { result: 'ok', members, skipped: [], generations: await generations(connection, keys, input.clusterName, members) };
  } finally {
    // The lock, the requests and the answers go with the lease.
    await revokeWithin(lease, 1_000);
  }
}

async function reloadOne(
  connection: EtcdConnection,
  keys: ClusterKeys,
  r: { id: string; instance: string; leaseId: string; roles: string[] | undefined; memberTimeout: number },
): Promise<MemberReload> {
  const request = encode({ id: r.id, ...(r.roles ? { roles: r.roles } : {}) });
  const sent = await viaEtcd(connection, `ask "${r.instance}" to reload`, () =>
    txn(connection.client, [], [put(keys.reloadRequest(r.instance), request, r.leaseId)]),
  );
  const deadline = Date.now() + r.memberTimeout;
  // Its answer, or its leaving: not every member's status writes, which would wake this loop for nothing.
  const changes = watchChanges(connection.client, [{ key: keys.reloadResult(r.instance) }, { key: keys.member(r.instance) }], Number(sent.header.revision) + 1);
  try {
    for (;;) {
      const res = await viaEtcd(connection, `read the reload of "${r.instance}"`, () =>
        txn(connection.client, [], [range(keys.reloadResult(r.instance)), range(keys.member(r.instance))]),
      );
      const answer = kvsOf(res, 0)[0];
      if (answer) {
        try {
          const result = decode(reloadResult, answer.value, keyText(answer), 'a reload result');
          if (result.id === r.id) {
            return { instance: r.instance, result: result.result, generation: result.generation, ...(result.error ? { error: result.error } : {}) };
          }
        } catch (err) {
          return { instance: r.instance, result: 'failed', error: errorInfo(err) };
        }
      }
      if (kvsOf(res, 1).length === 0) {
        return { instance: r.instance, result: 'left', error: { name: 'Error', message: `"${r.instance}" left the cluster before it answered` } };
      }
      if (Date.now() >= deadline) {
        return { instance: r.instance, result: 'timeout', error: { name: 'TimeoutError', message: `"${r.instance}" did not answer within ${r.memberTimeout} ms` } };
      }
      await changes.next(deadline);
    }
  } finally {
    changes.close();
  }
}

/** Each live member's published generation, or the one it answered with (its status may not be published yet). */
async function generations(connection: EtcdConnection, keys: ClusterKeys, name: string, asked: MemberReload[]): Promise<Record<string, number>> {
  const status = await readClusterStatus(connection, keys, name);
  const out = Object.fromEntries(Object.entries(status.members).map(([instance, m]) => [instance, m.generation]));
  for (const m of asked) if (m.generation !== undefined && m.instance in out) out[m.instance] = m.generation;
  return out;
}

