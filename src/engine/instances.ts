/**
 * Role instances: one per global role, one per host for host-scoped roles.
 * A shared role has one global instance plus a per-host part per host.
 * @module
 */
import type { AnyRole } from '../roles/role.js';
import type { OwnedRoleContext } from '../roles/context/role-context.js';
import type { RoleStatus, StatusType } from '../roles/context/types.js';
import type { AppliedSection } from './diff.js';

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
  status: RoleStatus;
  /** True while `status` is an error the runtime set (cleared by the next success). */
  statusBySystem: boolean;
  /** Shared roles: the per-host parts, by host name. */
  hostParts: Map<string, OwnedRoleContext>;
  /**
   * A copy of the effective section (as written) of its last apply that
   * completed; undefined until one completes, and from the start of each
   * apply of it until it completes. The next apply compares with it.
   */
  applied: AppliedSection | undefined;
  /** Shared roles: a copy of each per-host part's effective section, by host name. */
  partSections: Map<string, unknown>;
}

export function newInstance(role: AnyRole, host: string | undefined): RoleInstance {
  return {
    id: instanceId(role.name, host),
    name: role.name,
    host,
    role,
    running: false,
    service: undefined,
    context: undefined,
    section: undefined,
    status: { type: 'ok', time: new Date().toISOString() },
    statusBySystem: false,
    hostParts: new Map(),
    applied: undefined,
    partSections: new Map(),
  };
}

export function setStatus(instance: RoleInstance, type: StatusType, message: string | undefined, bySystem: boolean): void {
  instance.status = message === undefined ? { type, time: new Date().toISOString() } : { type, message, time: new Date().toISOString() };
  instance.statusBySystem = bySystem && type === 'error';
}

/** The key of a shared role's per-host part (never equal to an instance key: it starts with `p`). */
export function partId(name: string, host: string): string {
  return `p ${name.length} ${name} ${host}`;
}
