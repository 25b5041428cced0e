/**
 * A member's side of a rolling reload: a request under
 * `reload/<instance>/request` runs `rt.reload()` here and the outcome is
 * written next to it, bound to the coordinator's lease like the request.
 * @module
 */
import type { IKeyValue } from 'etcd3';
import type { ReloadEvent, Runtime } from '../index.js';
import { errorInfo } from './describe.js';
import type { EtcdConnection } from './etcd-client.js';
import type { ClusterKeys } from './keys.js';
import { modIs, put, txn } from './kv.js';
import { encode, type ReloadRequest, type ReloadResult } from './records.js';

export async function answerReload(
  rt: Runtime,
  connection: EtcdConnection,
  keys: ClusterKeys,
  instance: string,
  request: ReloadRequest,
  kv: IKeyValue,
): Promise<ReloadResult> {
  // Whether a reload ran, and how it ended, is what its reload event says; none means it was refused.
  let event: ReloadEvent | undefined;
  const off = rt.on('reload', (e) => (event = e));
  let result: ReloadResult;
  try {
    await rt.reload(request.roles ? { roles: request.roles } : {});
    result = { id: request.id, result: 'ok', generation: rt.generation };
  } catch (err) {
    const outcome = event ? (event.result === 'ok' ? 'failed' : event.result) : 'refused';
    result = { id: request.id, result: outcome, generation: rt.generation, error: errorInfo(err) };
  } finally {
    off();
  }
  await txn(connection.client, [modIs(keys.reloadRequest(instance), kv.mod_revision)], [put(keys.reloadResult(instance), encode(result), kv.lease)]);
  return result;
}
