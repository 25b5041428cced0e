/**
 * Role instances: one per global role, one per host for host-scoped roles.
 * A shared role has one global instance plus a per-host part per host.
 * @module
 */
import type { AnyRole } from '../roles/role.js';
import type { OwnedRoleContext } from '../roles/context/role-context.js';
import type { RoleStatus, StatusOptions, StatusType } from '../roles/context/types.js';

/**
 * The key of a role instance. It is structural, so that no role name and host
 * can spell another instance's key: `name@host` made the global role
 * `auth@x.com` and the host role `auth` on `x.com` one instance. A global key
 * starts with `g`, a host key with `h` and the name's length, so both parts
 * are read back unambiguously (and it costs a concatenation, not a
 * JSON.stringify, on the apply path). Role and host names stay free-form, as
 * in Cartridge and Prosody.
 */
export function instanceId(name: string, host: string | undefined): string {
  return host === undefined ? `g ${name}` : `h ${name.length} ${name} ${host}`;
}

export interface RoleInstance {
  readonly id: string;
  readonly name: string;
  readonly host: string | undefined;
  /** The role version this instance runs (or last tried to start). */
  role: AnyRole;
  running: boolean;
  /** What init returned. */
  service: unknown;
  context: OwnedRoleContext | undefined;
  /** The parsed section last handed to applyConfig. */
  section: unknown;
  /** What status() shows: the runtime's error while there is one, else the role's own status. */
  status: RoleStatus;
  /** The status the role (or a tolerated failure) set last, by Prosody's rule (docs/operations.md). */
  own: RoleStatus;
  /** An error the runtime set (a callback failed, a dependency is not running); cleared by the next success. */
  systemError: RoleStatus | undefined;
  /** Shared roles: the per-host parts, by host name. */
  hostParts: Map<string, OwnedRoleContext>;
}

export function newInstance(role: AnyRole, host: string | undefined): RoleInstance {
  const clean = stamp('ok', undefined);
  return {
    id: instanceId(role.name, host),
    name: role.name,
    host,
    role,
    running: false,
    service: undefined,
    context: undefined,
    section: undefined,
    status: clean,
    own: clean,
    systemError: undefined,
    hostParts: new Map(),
  };
}

/** Prosody's priorities (`core` is rolekit's `ok`). */
const PRIORITY: Readonly<Record<StatusType, number>> = { ok: 0, info: 1, warn: 2, error: 3 };

export function isStatusType(type: unknown): type is StatusType {
  return typeof type === 'string' && Object.hasOwn(PRIORITY, type);
}

function stamp(type: StatusType, message: string | undefined): RoleStatus {
  const time = new Date().toISOString();
  return message === undefined ? { type, time } : { type, message, time };
}

/**
 * The role's own status, by Prosody's `module:set_status` rule: an error is
 * replaced only by another error, unless `override: true`; `override: false`
 * replaces it only by a status of the same or a higher priority. While the
 * runtime's error stands, the role's status is kept and shows once that error
 * clears. Returns whether what status() shows changed.
 */
export function setOwnStatus(instance: RoleInstance, type: StatusType, message: string | undefined, options?: StatusOptions): boolean {
  const override = options?.override;
  const current = PRIORITY[instance.own.type];
  const next = PRIORITY[type];
  if ((current === PRIORITY.error && next < current && override !== true) || (override === false && next < current)) return false;
  instance.own = stamp(type, message);
  if (instance.systemError) return false;
  instance.status = instance.own;
  return true;
}

/** The runtime's error for an instance: shows over the role's own status until cleared. */
export function setSystemError(instance: RoleInstance, message: string): void {
  instance.systemError = stamp('error', message);
  instance.status = instance.systemError;
}

/** After a success: the runtime's error goes, the role's own status shows again. Returns whether there was one. */
export function clearSystemError(instance: RoleInstance): boolean {
  if (!instance.systemError) return false;
  instance.systemError = undefined;
  // Stamped now: `time` is when what status() shows last changed.
  instance.status = { ...instance.own, time: new Date().toISOString() };
  return true;
}
