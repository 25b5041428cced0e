/**
 * rolekit/cluster: several rolekit instances, one configuration, through etcd
 * (API.md section 7, docs/cluster.md). A member joins with `joinCluster`; any
 * member, or `applyToCluster` from outside, applies a document to all of them
 * in two phases.
 * @module
 */
import { connectEtcd } from './etcd-client.js';
import { clusterKeys } from './keys.js';
import { DEFAULT_LEASE, checkEtcdOptions, checkTimeouts, type ClusterTimeouts, type EtcdOptions } from './options.js';
import { rollReload, type RollingReloadOptions, type RollingReloadReport } from './rolling-reload.js';
import { readClusterStatus, type ClusterStatus } from './status.js';
import { applyTwoPhase, type ApplyResult } from './two-phase.js';

export { joinCluster, ClusterMember, type LocalMemberStatus } from './member.js';
export { EtcdUnavailableError, ClusterDataError } from './errors.js';
export { DEFAULT_TIMEOUTS, DEFAULT_LEASE, type ClusterTimeouts, type EtcdOptions, type JoinOptions } from './options.js';
export type { ClusterStatus, MemberStatus } from './status.js';
export type { ApplyResult, ClusterIssue } from './two-phase.js';
export type { RollingReloadOptions, RollingReloadReport, MemberReload } from './rolling-reload.js';
export type { ErrorInfo } from './records.js';

/** Run `fn` over a client of its own, closed afterwards. */
async function withEtcd<T>(options: EtcdOptions, fn: (c: ReturnType<typeof connectEtcd>) => Promise<T>): Promise<T> {
  const connection = connectEtcd(options);
  try {
    return await fn(connection);
  } finally {
    connection.close();
  }
}

export interface ApplyToClusterOptions extends EtcdOptions {
  document: unknown;
  timeouts?: Partial<ClusterTimeouts>;
  /** The prepare's lease in ms (default 10 000): if this process dies mid-apply, the cluster is free again within it. */
  lease?: number;
  /** Who applies, written into the prepare (default `rolekit apply (pid N)`). */
  coordinator?: string;
}

/**
 * Apply a document to the cluster without being a member (`rolekit apply --cluster`).
 * Resolves with the committed revision once committed.
 *
 * @example
 * const { revision } = await applyToCluster({ etcd: ['http://127.0.0.1:2379'], name: 'shop', document });
 */
export function applyToCluster(options: ApplyToClusterOptions): Promise<ApplyResult> {
  checkEtcdOptions(options, 'applyToCluster');
  const timeouts = checkTimeouts(options.timeouts, 'applyToCluster');
  return withEtcd(options, (connection) =>
    applyTwoPhase(connection, clusterKeys(options.name), {
      document: options.document,
      timeouts,
      coordinator: options.coordinator ?? `rolekit apply (pid ${process.pid})`,
      lease: options.lease ?? DEFAULT_LEASE,
    }),
  );
}

/** The cluster's status from etcd: `{ name, revision, members: { <instance>: { state, revision, generation, error? } } }`. */
export function clusterStatus(options: EtcdOptions): Promise<ClusterStatus> {
  checkEtcdOptions(options, 'clusterStatus');
  return withEtcd(options, (connection) => readClusterStatus(connection, clusterKeys(options.name), options.name));
}

/** Reload code member by member (in instance-name order), stopping at the first failure. */
export function rollingReload(options: EtcdOptions & RollingReloadOptions & { lease?: number; coordinator?: string }): Promise<RollingReloadReport> {
  checkEtcdOptions(options, 'rollingReload');
  return withEtcd(options, (connection) =>
    rollReload(connection, clusterKeys(options.name), {
      ...(options.roles ? { roles: options.roles } : {}),
      ...(options.memberTimeout !== undefined ? { memberTimeout: options.memberTimeout } : {}),
      coordinator: options.coordinator ?? `rolekit reload (pid ${process.pid})`,
      lease: options.lease ?? DEFAULT_LEASE,
      clusterName: options.name,
    }),
  );
}
