/**
 * The validate phase: from a document and a registry, the list of role
 * instances to run and their parsed sections. Nothing here starts, applies or
 * stops anything; a plan either comes out whole or a ValidateConfigError does.
 * @module
 */
import type { Logger } from '../logging/logger.js';
import { ValidateConfigError, type ConfigIssue } from '../errors.js';
import { normalizeDocument, type NormalizedDocument } from '../config/document.js';
import type { RoleRegistry } from '../roles/registry.js';
import type { AnyRole } from '../roles/role.js';
import { closure } from '../roles/dependency-graph.js';
import { callRole } from './callbacks.js';
import { instanceId } from './instances.js';

export interface InstancePlan {
  id: string;
  role: AnyRole;
  host: string | undefined;
  /** Parsed section (schema defaults applied). */
  section: unknown;
  /** Shared roles: hosts that enable the role, with each host's parsed section. */
  hostParts: Map<string, unknown>;
}

export interface ApplyPlan {
  doc: NormalizedDocument;
  registry: RoleRegistry;
  /** Instances in dependency order: dependencies first, global before host instances of one role. */
  instances: InstancePlan[];
}

export interface PlanOptions {
  registry: RoleRegistry;
  /** Sections currently applied, by instance id (the `prev` of validateConfig). */
  previous: (id: string) => unknown;
  timeoutMs: number;
  log: Logger;
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
      const section = await parseSection(role, doc.config[role.name], role.name, undefined, options, issues);
      const hostParts = new Map<string, unknown>();
      if (role.scope === 'shared') {
        for (const [host, names] of perHost) {
          if (!names.has(role.name)) continue;
          const raw = doc.hosts[host].config[role.name] ?? doc.config[role.name];
          hostParts.set(host, await parseSection(role, raw, `hosts.${host}.${role.name}`, host, options, issues));
        }
      }
      instances.push({ id: role.name, role, host: undefined, section, hostParts });
    }
    if (role.scope !== 'host') continue;
    for (const [host, names] of perHost) {
      if (!names.has(role.name)) continue;
      const raw = doc.hosts[host].config[role.name] ?? doc.config[role.name];
      const section = await parseSection(role, raw, `hosts.${host}.${role.name}`, host, options, issues);
      instances.push({ id: instanceId(role.name, host), role, host, section, hostParts: new Map() });
    }
  }
  if (issues.length > 0) throw new ValidateConfigError(issues);
  return { doc, registry, instances };
}

function enabledGlobal(doc: NormalizedDocument, registry: RoleRegistry, issues: ConfigIssue[]): Set<string> {
  for (const name of doc.roles) {
    const role = registry.get(name);
    if (!role) issues.push({ path: 'roles', message: `can not enable unknown role "${name}"` });
    else if (role.scope === 'host') {
      issues.push({ path: 'roles', message: `role "${name}" is host-scoped: enable it under hosts` });
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
  for (const [host, part] of Object.entries(doc.hosts)) {
    const listed: string[] = [];
    for (const name of part.roles) {
      const role = registry.get(name);
      if (!role) issues.push({ path: `hosts.${host}.roles`, message: `can not enable unknown role "${name}"` });
      else if (role.scope === 'global') {
        issues.push({ path: `hosts.${host}.roles`, message: `role "${name}" is global: it can not be enabled on host "${host}"` });
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
  raw: unknown,
  path: string,
  host: string | undefined,
  options: PlanOptions,
  issues: ConfigIssue[],
): Promise<unknown> {
  let section = raw;
  if (role.config) {
    let parsed = await role.config.safeParseAsync(raw);
    if (!parsed.success && raw === undefined) {
      // No section at all: an object schema whose keys all have defaults still gives its defaults.
      const empty = await role.config.safeParseAsync({});
      if (empty.success) parsed = empty;
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
    const prev = options.previous(instanceId(role.name, host));
    try {
      await callRole({ role: role.name, host, phase: 'validate', timeoutMs: options.timeoutMs, log: options.log }, () =>
        role.validateConfig!(section, prev),
      );
    } catch (err) {
      issues.push(...issuesOf(err, path));
    }
  }
  return section;
}

/**
 * What a throwing validateConfig reported. An error that carries `issues` (a
 * ZodError from `schema.parse`, a ValidateConfigError) keeps each issue's key
 * below the role's section; anything else is one issue for the whole section.
 */
function issuesOf(err: unknown, path: string): ConfigIssue[] {
  const nested = (err as { issues?: unknown } | null)?.issues;
  if (Array.isArray(nested) && nested.length > 0 && nested.every(isIssueLike)) {
    return nested.map((i) => {
      const sub = Array.isArray(i.path) ? i.path.map(String).join('.') : (i.path ?? '');
      return { path: sub ? `${path}.${sub}` : path, message: i.message };
    });
  }
  return [{ path, message: err instanceof Error ? err.message : String(err) }];
}

function isIssueLike(i: unknown): i is { path?: string | PropertyKey[]; message: string } {
  if (typeof i !== 'object' || i === null || typeof (i as { message?: unknown }).message !== 'string') return false;
  const p = (i as { path?: unknown }).path;
  return p === undefined || typeof p === 'string' || Array.isArray(p);
}
