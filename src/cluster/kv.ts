/**
 * Thin helpers over etcd3's raw KV calls: the cluster's steps are single
 * transactions whose compares it writes out (etcd3's builders have no range
 * compare), so it speaks the v3 messages directly.
 * @module
 */
import type { Etcd3, ICompare, IKeyValue, IRequestOp, ITxnResponse } from 'etcd3';

export const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');

/** The end of the range of every key that starts with `prefix` (etcd's prefix convention). */
export function prefixEnd(prefix: string): Buffer {
  const end = Buffer.from(prefix, 'utf8');
  for (let i = end.length - 1; i >= 0; i--) {
    if (end[i]! < 0xff) {
      end[i] = end[i]! + 1;
      return end.subarray(0, i + 1);
    }
  }
  return Buffer.from([0]);
}

export const range = (key: string): IRequestOp => ({ request_range: { key: bytes(key) } });
export const rangePrefix = (prefix: string): IRequestOp => ({ request_range: { key: bytes(prefix), range_end: prefixEnd(prefix) } });
export const put = (key: string, value: string, lease?: string): IRequestOp => ({
  request_put: { key: bytes(key), value: bytes(value), ...(lease !== undefined ? { lease } : {}) },
});
export const remove = (key: string): IRequestOp => ({ request_delete_range: { key: bytes(key) } });
export const removePrefix = (prefix: string): IRequestOp => ({ request_delete_range: { key: bytes(prefix), range_end: prefixEnd(prefix) } });

/** `key`'s mod revision is `revision` (0: the key does not exist). */
export const modIs = (key: string, revision: number | string): ICompare => ({
  key: bytes(key),
  target: 'Mod',
  result: 'Equal',
  mod_revision: String(revision),
});
export const createIs = (key: string, revision: number | string): ICompare => ({
  key: bytes(key),
  target: 'Create',
  result: 'Equal',
  create_revision: String(revision),
});
/** Every key under `prefix` was created before `revision` (none appeared since). */
export const noneCreatedSince = (prefix: string, revision: number): ICompare => ({
  key: bytes(prefix),
  range_end: prefixEnd(prefix),
  target: 'Create',
  result: 'Less',
  create_revision: String(revision + 1),
});

export function txn(client: Etcd3, compare: ICompare[], success: IRequestOp[], failure: IRequestOp[] = []): Promise<ITxnResponse> {
  return client.kv.txn({ compare, success, failure });
}

/** The key-values of the i-th response of a transaction (a range op). */
export function kvsOf(response: ITxnResponse, i: number): IKeyValue[] {
  return response.responses[i]?.response_range?.kvs ?? [];
}

export const revisionOf = (response: ITxnResponse): number => Number(response.header.revision);
export const keyText = (kv: IKeyValue): string => kv.key.toString('utf8');
