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
  /** The parsed section it has (what an unchanged instance keeps). */
  readonly section: unknown;
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

/** What an apply does with an instance (or a per-host part) it keeps or starts. */
export type Verdict = 'start' | 'reapply' | 'unchanged';

/** The verdict on each instance of a resolution, by its index in `instances`. */
export interface Verdicts {
  instances: Verdict[];
  /** The running instance each one was compared with, if any. */
  running: (AppliedInstance | undefined)[];
  /** Shared roles with per-host parts: the verdict on each part, by host. */
  parts: Map<number, Map<string, Verdict>>;
}

/**
 * The verdict on every instance `next` asks for, against `applied`. Global
 * instances that keep running are always re-applied (Cartridge). A host
 * instance is unchanged when it runs the same role version, its last apply
 * completed, no dependency of it starts in this apply, and its effective
 * section is deep-equal to the applied one. A per-host part is unchanged when
 * its global instance keeps running and its section is deep-equal.
 */
export function judge(next: Resolution, applied: AppliedState): Verdicts {
  const list = next.instances;
  const verdicts: Verdicts = { instances: new Array<Verdict>(list.length), running: new Array(list.length), parts: new Map() };
  const starting = new Set<string>();
  const compare = new SectionComparer();
  for (let i = 0; i < list.length; i++) {
    const inst = list[i]!;
    const now = applied.get(inst.id);
    verdicts.running[i] = now;
    let verdict: Verdict;
    if (now === undefined || now.role !== inst.role) {
      verdict = 'start';
      starting.add(inst.id);
    } else verdict = inst.host !== undefined && isUnchanged(inst, now, starting, compare, next.idOf) ? 'unchanged' : 'reapply';
    verdicts.instances[i] = verdict;
    if (inst.parts.size === 0) continue;
    const parts = new Map<string, Verdict>();
    for (const [host, section] of inst.parts) {
      if (verdict === 'start' || !now!.partSections.has(host)) parts.set(host, 'start');
      else parts.set(host, deepEqual(now!.partSections.get(host), section.raw) ? 'unchanged' : 'reapply');
    }
    verdicts.parts.set(i, parts);
  }
  return verdicts;
}

function isUnchanged(
  inst: ResolvedInstance,
  now: AppliedInstance,
  starting: Set<string>,
  compare: SectionComparer,
  idOf: Resolution['idOf'],
): boolean {
  if (now.applied === undefined) return false;
  // A dependency that starts is a new service object: its dependents get applyConfig to pick it up.
  if (starting.size > 0) {
    for (const dep of inst.role.dependencies) {
      if (starting.has(idOf(dep, inst.host)) || starting.has(idOf(dep, undefined))) return false;
    }
  }
  return compare.same(now.applied.raw, inst.section.raw);
}

/**
 * deepEqual, remembering the last pair of one judge run: instances come role
 * by role, and the hosts that inherit a top-level section hold one copy of it
 * (the engine shares it), so a thousand hosts ask the same question in a row.
 * Never across runs: a caller may change a section object in place between applies.
 */
class SectionComparer {
  #last: [unknown, unknown, boolean] | undefined;

  same(applied: unknown, written: unknown): boolean {
    const last = this.#last;
    if (last && last[0] === applied && last[1] === written && typeof applied === 'object' && applied !== null) return last[2];
    const equal = deepEqual(applied, written);
    this.#last = [applied, written, equal];
    return equal;
  }
}

/** The diff of `next` against `applied`: the verdicts as lists of `{ role, host? }`, and what stops. */
export function diffResolution(next: Resolution, applied: AppliedState): ConfigDiff {
  const diff: ConfigDiff = { start: [], stop: [], reapply: [], unchanged: [] };
  const verdicts = judge(next, applied);
  const wanted = new Map<string, ResolvedInstance>();
  next.instances.forEach((inst, i) => {
    wanted.set(inst.id, inst);
    diff[verdicts.instances[i]!].push(instanceRef(inst.role.name, inst.host));
    for (const [host, verdict] of verdicts.parts.get(i) ?? []) diff[verdict].push(instanceRef(inst.role.name, host));
  });
  for (const now of applied.stopOrder()) {
    const want = wanted.get(now.id);
    const gone = want === undefined || want.role !== now.role;
    for (const host of now.partSections.keys()) {
      if (gone || !want.parts.has(host)) diff.stop.push(instanceRef(now.name, host));
    }
    if (gone) diff.stop.push(instanceRef(now.name, now.host));
  }
  return diff;
}

/** A resolution as if it were applied and running, every apply complete: the `against` of a document-to-document diff. */
export function appliedOf(resolution: Resolution): AppliedState {
  const byId = new Map<string, AppliedInstance>();
  for (const inst of resolution.instances) {
    const partSections = new Map<string, unknown>();
    for (const [host, section] of inst.parts) partSections.set(host, section.raw);
    byId.set(inst.id, { id: inst.id, name: inst.role.name, host: inst.host, role: inst.role, section: undefined, applied: { raw: inst.section.raw }, partSections });
  }
  return {
    get: (id) => byId.get(id),
    stopOrder: () => [...byId.values()].reverse(),
  };
}

/** Diff two documents resolved against one registry; throws ValidateConfigError for `next`'s issues, then `against`'s. */
export function diffDocuments(next: unknown, against: unknown, registry: RoleRegistry): ConfigDiff {
  const resolved = resolveDocument(next, registry);
  return diffResolution(resolved, appliedOf(resolveDocument(against, registry)));
}
