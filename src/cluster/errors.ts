/**
 * The cluster's own errors. Refusals reuse rolekit's classes (`BusyError` for a
 * second apply, `ValidateConfigError` whose issues name the member); these two
 * are what only a cluster can meet.
 * @module
 */
import { RolekitError } from '../index.js';

/** etcd could not be reached (refused, timed out, every endpoint down). The CLI exits 3 on it. */
export class EtcdUnavailableError extends RolekitError {
  override readonly code = 'RK_ERR_ETCD_UNAVAILABLE';
  override readonly status = 503;
}

/** A value read from etcd is not what rolekit wrote there (malformed or hostile); reported, never fatal. */
export class ClusterDataError extends RolekitError {
  override readonly code = 'RK_ERR_CLUSTER_DATA';
  override readonly status = 500;
}
