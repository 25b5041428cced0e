/**
 * The diff of an apply (docs/hosts.md, "The apply rule for hosts"): given
 * what a document resolves to and what runs, which instances start, stop,
 * are re-applied or are left alone. Pure: it reads sections and role
 * identities, and calls no role code.
 * @module
 */
import { instanceRef, type InstanceRef } from '../events.js';
import type { AnyRole } from '../roles/role.js';
import { deepEqual } from '../utils/deep-equal.js';
import { instanceId, partId } from './instances.js';
import { resolveDocument, type Resolution, type ResolvedInstance } from './resolve.js';
import type { RoleRegistry } from '../roles/registry.js';

/** What an apply would do, instance by instance (a shared role's per-host part is `{ role, host }` too). */
export interface ConfigDiff {
  /** Instances and per-host parts that start: `init` + `applyConfig`, or `addHost`. */
  start: InstanceRef[];
  /** Instances and per-host parts that stop (or are released), dependents first. */
  stop: InstanceRef[];
  /** Instances that keep running and get `validateConfig` + `applyConfig` (per-host parts: `validateConfig` and their new `hostCtx.config`). */
  reapply: InstanceRef[];
  /** Host instances and per-host parts left alone: no callback at all. */
  unchanged: InstanceRef[];
}

/** The effective section of an instance's last apply that completed. */
export interface AppliedSection {
  readonly raw: unknown;
}

/** A running instance, as the diff sees it. */
export interface AppliedInstance {
  readonly id: string;
  readonly name: string;
  readonly host: string | undefined;
  /** The role version it runs. */
  readonly role: AnyRole;
  /** Undefined when its last apply did not complete (applyConfig failed, or was skipped for a dependency). */
  readonly applied: AppliedSection | undefined;
  /** Shared roles: the effective section of each per-host part, by host. */
  readonly partSections: ReadonlyMap<string, unknown>;
}

/** What runs: the engine's instances, or what a document resolved to (`appliedOf`). */
export interface AppliedState {
  /** The running instance with this id. */
  get(id: string): AppliedInstance | undefined;
  /** Every running instance, dependents first. */
  stopOrder(): Iterable<AppliedInstance>;
}

export interface DiffResult {
  diff: ConfigDiff;
  /** Ids of the unchanged host instances (instanceId) and per-host parts (partId). */
  unchanged: Set<string>;
}

/**
 * Diff `next` against `applied`. Global instances that keep running are
 * always re-applied (Cartridge). A host instance is unchanged when it runs the
 * same role version, its last apply completed, no dependency of it starts in
 * this apply, and its effective section is deep-equal to the applied one. A
 * per-host part is unchanged when its global instance keeps running and its
 * section is deep-equal.
 */
export function diffResolution(next: Resolution, applied: AppliedState): DiffResult {
  const diff: ConfigDiff = { start: [], stop: [], reapply: [], unchanged: [] };
  const unchanged = new Set<string>();
  const starting = new Set<string>();
  const wanted = new Map<string, ResolvedInstance>();
  for (const inst of next.instances) {
    wanted.set(inst.id, inst);
    const name = inst.role.name;
    const ref = instanceRef(name, inst.host);
    const now = applied.get(inst.id);
    if (now === undefined || now.role !== inst.role) {
      diff.start.push(ref);
      starting.add(inst.id);
    } else if (inst.host !== undefined && isUnchanged(inst, now, starting)) {
      diff.unchanged.push(ref);
      unchanged.add(inst.id);
    } else diff.reapply.push(ref);
    if (inst.parts.size === 0) continue;
    const restarts = starting.has(inst.id);
    for (const [host, section] of inst.parts) {
      const part = instanceRef(name, host);
      if (restarts || !now!.partSections.has(host)) diff.start.push(part);
      else if (deepEqual(now!.partSections.get(host), section.raw)) {
        diff.unchanged.push(part);
        unchanged.add(partId(name, host));
      } else diff.reapply.push(part);
    }
  }
  for (const now of applied.stopOrder()) {
    const want = wanted.get(now.id);
    const gone = want === undefined || want.role !== now.role;
    for (const host of now.partSections.keys()) {
      if (gone || !want.parts.has(host)) diff.stop.push(instanceRef(now.name, host));
    }
    if (gone) diff.stop.push(instanceRef(now.name, now.host));
  }
  return { diff, unchanged };
}

function isUnchanged(inst: ResolvedInstance, now: AppliedInstance, starting: Set<string>): boolean {
  if (now.applied === undefined) return false;
  // A dependency that starts is a new service object: its dependents get applyConfig to pick it up.
  for (const dep of inst.role.dependencies) {
    if (starting.has(instanceId(dep, inst.host)) || starting.has(instanceId(dep, undefined))) return false;
  }
  return deepEqual(now.applied.raw, inst.section.raw);
}

/** A resolution as if it were applied and running, every apply complete: the `against` of a document-to-document diff. */
export function appliedOf(resolution: Resolution): AppliedState {
  const byId = new Map<string, AppliedInstance>();
  for (const inst of resolution.instances) {
    const partSections = new Map<string, unknown>();
    for (const [host, section] of inst.parts) partSections.set(host, section.raw);
    byId.set(inst.id, { id: inst.id, name: inst.role.name, host: inst.host, role: inst.role, applied: { raw: inst.section.raw }, partSections });
  }
  return {
    get: (id) => byId.get(id),
    stopOrder: () => [...byId.values()].reverse(),
  };
}

/** Diff two documents resolved against one registry; throws ValidateConfigError for `next`'s issues, then `against`'s. */
export function diffDocuments(next: unknown, against: unknown, registry: RoleRegistry): ConfigDiff {
  const resolved = resolveDocument(next, registry);
  return diffResolution(resolved, appliedOf(resolveDocument(against, registry))).diff;
}
