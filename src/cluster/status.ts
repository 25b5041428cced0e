/**
 * The cluster's status, read from etcd in one transaction: the committed
 * revision and every member whose lease is alive, as each last published it
 * (API.md section 7).
 * @module
 */
import { viaEtcd, type EtcdConnection } from './etcd-client.js';
import type { ClusterKeys } from './keys.js';
import { keyText, kvsOf, range, rangePrefix, txn } from './kv.js';
import { decode, memberRecord, type ErrorInfo } from './records.js';
import { committedRevisionOf } from './two-phase.js';
import { errorInfo } from './describe.js';

export interface MemberStatus {
  /** Its runtime's lifecycle state (`Unknown` when its record can not be read). */
  state: string;
  /** The last committed revision it applied (0: none yet). */
  revision: number;
  generation: number;
  error?: ErrorInfo;
}

export interface ClusterStatus {
  name: string;
  /** The latest committed revision (0: nothing committed yet). */
  revision: number;
  members: Record<string, MemberStatus>;
}

export async function readClusterStatus(connection: EtcdConnection, keys: ClusterKeys, name: string): Promise<ClusterStatus> {
  const res = await viaEtcd(connection, 'read the cluster status', () => txn(connection.client, [], [range(keys.committed), rangePrefix(keys.members)]));
  const members: Record<string, MemberStatus> = Object.create(null);
  for (const kv of kvsOf(res, 1)) {
    const instance = keyText(kv).slice(keys.members.length);
    try {
      const m = decode(memberRecord, kv.value, keyText(kv), 'a member record');
      members[instance] = { state: m.state, revision: m.revision, generation: m.generation, ...(m.error ? { error: m.error } : {}) };
    } catch (err) {
      members[instance] = { state: 'Unknown', revision: 0, generation: 0, error: errorInfo(err) };
    }
  }
  return { name, revision: committedRevisionOf(kvsOf(res, 0)[0], keys), members: { ...members } };
}
