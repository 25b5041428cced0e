/**
 * A member's side of the prepare: validate the candidate with the validate
 * phase only (`rt.validateConfig`, nothing applied) and write the vote under
 * the prepare, bound to the prepare's lease, only while that prepare is still
 * the current one.
 * @module
 */
import type { IKeyValue } from 'etcd3';
import type { Runtime } from '../index.js';
import { errorInfo, issuesOf } from './describe.js';
import type { EtcdConnection } from './etcd-client.js';
import type { ClusterKeys } from './keys.js';
import { modIs, put, txn } from './kv.js';
import { encode, type PrepareRecord, type VoteRecord } from './records.js';

export async function castVote(
  rt: Runtime,
  connection: EtcdConnection,
  keys: ClusterKeys,
  instance: string,
  prepare: Extract<PrepareRecord, { kind: 'apply' }>,
  kv: IKeyValue,
): Promise<VoteRecord> {
  let vote: VoteRecord;
  try {
    await rt.validateConfig(prepare.document);
    vote = { id: prepare.id, ok: true };
  } catch (err) {
    vote = { id: prepare.id, ok: false, error: errorInfo(err), issues: issuesOf(err) };
  }
  // Same lease as the prepare: an abort (revoking it) or a dead coordinator takes the votes along.
  await txn(connection.client, [modIs(keys.prepare, kv.mod_revision)], [put(keys.vote(prepare.id, instance), encode(vote), kv.lease)]);
  return vote;
}
