/**
 * The one operation in progress in a cluster (an apply or a rolling reload)
 * holds the prepare key under its coordinator's lease: what a second one is
 * told, and how the lease is let go.
 * @module
 */
import type { Lease } from 'etcd3';
import { BusyError } from '../index.js';
import type { ClusterKeys } from './keys.js';
import { decode, prepareRecord } from './records.js';

/** The BusyError for `verb` ("apply", "reload") while the prepare key holds `value`. */
export function busyWith(verb: string, value: Buffer | undefined, keys: ClusterKeys): BusyError {
  try {
    const p = decode(prepareRecord, value ?? '', keys.prepare, 'a prepare');
    const what = p.kind === 'apply' ? `an apply of revision ${p.revision}` : 'a rolling reload';
    return new BusyError(`Can not ${verb}: ${what} by "${p.coordinator}" is in progress since ${new Date(p.at).toISOString()}`);
  } catch {
    return new BusyError(`Can not ${verb}: ${keys.prepare} is held (by a value rolekit did not write)`);
  }
}

/** Revoke `lease` (its keys go with it), waiting at most `limitMs`: etcd may be gone. */
export async function revokeWithin(lease: Lease, limitMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([lease.revoke().catch(() => {}), new Promise((r) => (timer = setTimeout(r, limitMs)))]);
  } finally {
    clearTimeout(timer);
  }
}
