/**
 * The validate phase: from a document and a registry, the list of role
 * instances to run and their parsed sections. Nothing here starts, applies or
 * stops anything; a plan either comes out whole or a ValidateConfigError does.
 * @module
 */
import { ValidateConfigError, type ConfigIssue } from '../errors.js';
import { normalizeDocument, type NormalizedDocument } from '../config/document.js';
import type { RoleRegistry } from '../roles/registry.js';
import type { AnyRole } from '../roles/role.js';
import { closure } from '../roles/dependency-graph.js';
import { instanceId } from './instances.js';
import { messageOf, readSafely } from '../thrown.js';

export interface InstancePlan {
  id: string;
  role: AnyRole;
  host: string | undefined;
  /** Parsed section (schema defaults applied). */
  section: unknown;
  /** Shared roles: hosts that enable the role, with each host's parsed section. */
  hostSections: Map<string, unknown>;
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
}

/** Validate `input` completely: shape, role names, schemas, every validateConfig. */
export async function planApply(input: unknown, options: PlanOptions): Promise<ApplyPlan> {
  const normalized = normalizeDocument(input);
  if (!normalized.ok) throw new ValidateConfigError(normalized.issues);
  const doc = normalized.doc;
  const { registry } = options;
  const issues: ConfigIssue[] = [];

  const global = enabledGlobal(doc, registry, issues);
  const perHost = enabledPerHost(doc, registry, global, issues);
  if (issues.length > 0) throw new ValidateConfigError(issues);

  const instances: InstancePlan[] = [];
  for (const role of registry.roles) {
    if (global.has(role.name)) {
      const section = await parseSection(role, topSection(doc, role.name), undefined, options, issues);
      const hostSections = new Map<string, unknown>();
      if (role.scope === 'shared') {
        for (const [host, names] of perHost) {
          if (!names.has(role.name)) continue;
          hostSections.set(host, await parseSection(role, hostSection(doc, host, role.name), host, options, issues));
        }
      }
      instances.push({ id: instanceId(role.name, undefined), role, host: undefined, section, hostSections });
    }
    if (role.scope !== 'host') continue;
    for (const [host, names] of perHost) {
      if (!names.has(role.name)) continue;
      const section = await parseSection(role, hostSection(doc, host, role.name), host, options, issues);
      instances.push({ id: instanceId(role.name, host), role, host, section, hostSections: new Map() });
    }
  }
  if (issues.length > 0) throw new ValidateConfigError(issues);
  return { doc, instances };
}

/** A host's own section for a role, else the top-level one (Prosody's per-host options over the global ones). */
/** A section and its key in the document as written, for issue paths (`config.cache.ttl`). */
interface Section {
  raw: unknown;
  path: string;
}

function topSection(doc: NormalizedDocument, name: string): Section {
  return { raw: doc.config.get(name), path: `config.${name}` };
}

/** A host's own section, else the top-level one it inherits (the issue names where the value is written). */
function hostSection(doc: NormalizedDocument, host: string, name: string): Section {
  const own = doc.hosts.get(host)?.config.get(name);
  return own !== undefined ? { raw: own, path: `hosts.${host}.config.${name}` } : topSection(doc, name);
}

function enabledGlobal(doc: NormalizedDocument, registry: RoleRegistry, issues: ConfigIssue[]): Set<string> {
  for (const name of doc.roles) {
    const role = registry.get(name);
    const at = doc.rolePaths.get(name) ?? 'roles';
    if (!role) issues.push({ path: at, message: `can not enable unknown role "${name}"` });
    else if (role.scope === 'host') {
      issues.push({ path: at, message: `role "${name}" is host-scoped: enable it under hosts` });
    }
  }
  const listed = new Set(doc.roles);
  const enabled = new Set(registry.getEnabledRoles(doc.roles));
  for (const name of enabled) {
    if (registry.get(name)!.scope === 'host' && !listed.has(name)) {
      issues.push({ path: 'roles', message: `role "${name}" is host-scoped and can not be a dependency of a global role` });
    }
  }
  return enabled;
}

/** Host roles per host; global and shared dependencies of host roles join the global set. */
function enabledPerHost(
  doc: NormalizedDocument,
  registry: RoleRegistry,
  global: Set<string>,
  issues: ConfigIssue[],
): Map<string, Set<string>> {
  const perHost = new Map<string, Set<string>>();
  for (const [host, part] of doc.hosts) {
    const listed: string[] = [];
    for (const name of part.roles) {
      const role = registry.get(name);
      const at = part.rolePaths.get(name) ?? `hosts.${host}.roles`;
      if (!role) issues.push({ path: at, message: `can not enable unknown role "${name}"` });
      else if (role.scope === 'global') {
        issues.push({ path: at, message: `role "${name}" is global: it can not be enabled on host "${host}"` });
      } else listed.push(name);
    }
    // Host-scoped dependencies run on the same host; global and shared ones globally.
    const onHost = closure(listed, (n) => registry.get(n)!.dependencies.filter((d) => registry.get(d)!.scope === 'host'));
    const names = new Set<string>(onHost);
    for (const name of listed) if (registry.get(name)!.scope === 'shared') names.add(name);
    for (const name of closure(onHost, (n) => registry.get(n)!.dependencies)) {
      const role = registry.get(name)!;
      if (role.scope !== 'host') for (const g of registry.getEnabledRoles([name])) global.add(g);
    }
    for (const name of names) if (registry.get(name)!.scope === 'shared') global.add(name);
    perHost.set(host, names);
  }
  return perHost;
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
