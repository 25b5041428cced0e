/**
 * The validate phase: from a document and a registry, the list of role
 * instances to run and their parsed sections. Which instances the document
 * asks for, and which of them changed, is the pure part (resolve.ts, diff.ts);
 * this file adds what calls role code: schema parse and validateConfig, for
 * every instance that is not left alone. Nothing here starts, applies or
 * stops anything; a plan either comes out whole or a ValidateConfigError does.
 * @module
 */
import { ValidateConfigError, type ConfigIssue } from '../errors.js';
import type { NormalizedDocument } from '../config/document.js';
import type { RoleRegistry } from '../roles/registry.js';
import type { AnyRole } from '../roles/role.js';
import { messageOf, readSafely } from '../thrown.js';
import { resolveDocument, type Section } from './resolve.js';
import { judge, type AppliedState } from './diff.js';

export interface InstancePlan {
  id: string;
  role: AnyRole;
  host: string | undefined;
  /** Parsed section (schema defaults applied); an unchanged instance keeps the one it has. */
  section: unknown;
  /** The effective section as written, which the next apply is compared with. */
  raw: unknown;
  /** Left alone by this apply (docs/hosts.md): no validateConfig, applyConfig or onApplyConfig. */
  unchanged: boolean;
  /** Shared roles: hosts that enable the role, with each host's part. */
  hostSections: ReadonlyMap<string, PartPlan>;
}

/** A shared role's per-host part. */
export interface PartPlan {
  section: unknown;
  raw: unknown;
  unchanged: boolean;
}

export interface ApplyPlan {
  doc: NormalizedDocument;
  /** Instances in dependency order: dependencies first, global before host instances of one role. */
  instances: InstancePlan[];
}

export interface PlanOptions {
  registry: RoleRegistry;
  /** Section currently applied for a role (on a host): the `prev` of validateConfig. */
  previous: (name: string, host: string | undefined) => unknown;
  /** How role code is called (the engine's gate: time limit, globals scope, `callback` event). */
  call: (role: AnyRole, host: string | undefined, fn: () => unknown) => Promise<unknown>;
  /**
   * What runs now: host instances and per-host parts it finds unchanged are
   * not validated again. Left out, everything is (a reload restarts what it replaces).
   */
  applied?: AppliedState;
  /** Makes instance ids (resolveDocument's `idOf`). */
  idOf?: (name: string, host: string | undefined) => string;
}

const NO_PARTS: ReadonlyMap<string, PartPlan> = new Map();

/** Validate `input` completely: shape, role names, schemas, every validateConfig of what is not left alone. */
export async function planApply(input: unknown, options: PlanOptions): Promise<ApplyPlan> {
  const resolution = resolveDocument(input, options.registry, options.idOf);
  const verdicts = options.applied ? judge(resolution, options.applied) : undefined;
  const issues: ConfigIssue[] = [];
  const list = resolution.instances;
  const instances = new Array<InstancePlan>(list.length);
  for (let i = 0; i < list.length; i++) {
    const { id, role, host, section: written, parts } = list[i]!;
    const same = verdicts?.instances[i] === 'unchanged';
    // An unchanged instance keeps the parsed section it has: no schema, no validateConfig.
    const section = same ? verdicts!.running[i]!.section : await parseSection(role, written, host, options, issues);
    let hostSections = NO_PARTS;
    if (parts.size > 0) {
      const partVerdicts = verdicts?.parts.get(i);
      const map = new Map<string, PartPlan>();
      for (const [partHost, part] of parts) {
        const kept = partVerdicts?.get(partHost) === 'unchanged';
        const parsed = kept ? options.previous(role.name, partHost) : await parseSection(role, part, partHost, options, issues);
        map.set(partHost, { section: parsed, raw: part.raw, unchanged: kept });
      }
      hostSections = map;
    }
    instances[i] = { id, role, host, section, raw: written.raw, unchanged: same, hostSections };
  }
  if (issues.length > 0) throw new ValidateConfigError(issues);
  return { doc: resolution.doc, instances };
}

async function parseSection(
  role: AnyRole,
  { raw, path }: Section,
  host: string | undefined,
  options: PlanOptions,
  issues: ConfigIssue[],
): Promise<unknown> {
  let section = raw;
  if (role.config) {
    let parsed;
    try {
      parsed = await role.config.safeParseAsync(raw);
      if (!parsed.success && raw === undefined) {
        // No section at all: an object schema whose keys all have defaults still gives its defaults.
        const empty = await role.config.safeParseAsync({});
        if (empty.success) parsed = empty;
      }
    } catch (err) {
      // safeParse throws what the section throws at it (a Proxy's trap, a getter) and what a refinement throws.
      issues.push({ path, message: `can not be parsed: ${messageOf(err)}` });
      return undefined;
    }
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        issues.push({ path: [path, ...issue.path.map(String)].join('.'), message: issue.message });
      }
      return undefined;
    }
    section = parsed.data;
  }
  if (role.validateConfig) {
    const prev = options.previous(role.name, host);
    try {
      await options.call(role, host, () => role.validateConfig!(section, prev));
    } catch (err) {
      issues.push(...issuesOf(err, path));
    }
  }
  return section;
}

/**
 * What a throwing validateConfig reported. An error that carries `issues` (a
 * ZodError from `schema.parse`, a ValidateConfigError) keeps each issue's key
 * below the role's section; anything else (whatever was thrown: null, a
 * Symbol, a hostile Proxy) is one issue for the whole section.
 */
function issuesOf(err: unknown, path: string): ConfigIssue[] {
  try {
    const nested = nestedIssues(err, path);
    if (nested) return nested;
  } catch {
    // `issues` that can not be read (a getter or Proxy trap throws): describe the error itself.
  }
  return [{ path, message: messageOf(err) }];
}

function nestedIssues(err: unknown, path: string): ConfigIssue[] | undefined {
  const nested = readSafely(err, 'issues');
  if (!Array.isArray(nested) || nested.length === 0 || !nested.every(isIssueLike)) return undefined;
  return nested.map((i) => {
    const sub = Array.isArray(i.path) ? i.path.map(String).join('.') : (i.path ?? '');
    return { path: sub ? `${path}.${sub}` : path, message: i.message };
  });
}

function isIssueLike(i: unknown): i is { path?: string | PropertyKey[]; message: string } {
  if (typeof i !== 'object' || i === null || typeof (i as { message?: unknown }).message !== 'string') return false;
  const p = (i as { path?: unknown }).path;
  return p === undefined || typeof p === 'string' || Array.isArray(p);
}
