/**
 * Role instances: one per global role, one per host for host-scoped roles.
 * A shared role has one global instance plus a per-host part per host.
 * @module
 */
import type { AnyRole } from '../roles/role.js';
import type { OwnedRoleContext } from '../roles/context/role-context.js';
import type { RoleStatus, StatusOptions, StatusType } from '../roles/context/types.js';
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

/**
 * Interned instance ids: the same (name, host) gives the same string. A Map
 * hashes a string once and keeps the hash in it, but a freshly concatenated
 * id is hashed again at every lookup: with thousands of host instances per
 * apply those lookups were a tenth of an unchanged re-apply. Names and hosts
 * are document keys and role names, whose hashes are already kept.
 */
export class InstanceIds {
  readonly #byName = new Map<string, Map<string | undefined, string>>();
  #size = 0;

  readonly of = (name: string, host: string | undefined): string => {
    let byHost = this.#byName.get(name);
    if (byHost === undefined) this.#byName.set(name, (byHost = new Map()));
    let id = byHost.get(host);
    if (id === undefined) {
      byHost.set(host, (id = instanceId(name, host)));
      this.#size++;
    }
    return id;
  };

  get size(): number {
    return this.#size;
  }

  /** Forget the ids `keep` says no to (those of instances gone, of documents never applied). */
  prune(keep: (id: string) => boolean): void {
    this.#size = 0;
    for (const [name, byHost] of this.#byName) {
      for (const [host, id] of byHost) if (!keep(id)) byHost.delete(host);
      if (byHost.size === 0) this.#byName.delete(name);
      this.#size += byHost.size;
    }
  }
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
    applied: undefined,
    partSections: new Map(),
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

