/**
 * `rolekit.config-file`: a permanent role that `rolekit start` adds, so that
 * the state of the configuration file shows where operators already look —
 * `rt.status()`, the admin API's `/status`, the `rolekit_role_status` metric
 * — built on the public role API alone. When the file on disk is invalid (or
 * half-written and never finished), the running configuration stays and this
 * role's status says `error` with `file:line:col key: message`; the next good
 * read sets it back to `ok`.
 * @module
 */
import { defineRole, type StatusType } from '../../index.js';

const CONFIG_FILE_ROLE = 'rolekit.config-file';

export interface ConfigFileStatus {
  report(type: StatusType, message: string): void;
}

/** The role, and a way to report through it whether or not it is running yet (the last report is kept for its init). */
export function configFileRole() {
  let report: ConfigFileStatus['report'] | undefined;
  let pending: [StatusType, string] | undefined;
  const role = defineRole({
    name: CONFIG_FILE_ROLE,
    permanent: true,
    init(ctx) {
      report = (type, message) => ctx.setStatus(type, message);
      if (pending) report(...pending);
    },
    stop() {
      report = undefined;
    },
  });
  const status: ConfigFileStatus = {
    report(type, message) {
      pending = [type, message];
      report?.(type, message);
    },
  };
  return { role, status };
}
