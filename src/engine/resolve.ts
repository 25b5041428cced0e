/**
 * The pure half of the validate phase: which role instances a document asks
 * for, in dependency order, each with its effective section as written and
 * that section's path in the document. It reports every structural issue
 * (not a document, unknown role, wrong scope); it parses no schema and calls
 * no role code, so that a diff can be computed and printed without running
 * anything (docs/hosts.md).
 * @module
 */
import { ValidateConfigError, type ConfigIssue } from '../errors.js';
import { normalizeDocument, type NormalizedDocument } from '../config/document.js';
import type { RoleRegistry } from '../roles/registry.js';
import type { AnyRole } from '../roles/role.js';
import { closure } from '../roles/dependency-graph.js';
import { instanceId } from './instances.js';

/** A section as written, and (worked out when an issue asks) its key in the document: `config.cache`, `hosts.example.com.config.auth`. */
export class Section {
  constructor(
    readonly raw: unknown,
    readonly name: string,
    /** The host whose own section this is; undefined for a top-level one (inherited or not). */
    readonly host: string | undefined,
  ) {}

  get path(): string {
    return this.host === undefined ? `config.${this.name}` : `hosts.${this.host}.config.${this.name}`;
  }
}

export interface ResolvedInstance {
  id: string;
  role: AnyRole;
  host: string | undefined;
  /** The effective section: the host's own, else the top-level one it inherits. */
  section: Section;
  /** Shared roles: the hosts that enable the role, each with its effective section. */
  parts: ReadonlyMap<string, Section>;
}

export interface Resolution {
  doc: NormalizedDocument;
  /** Dependencies first; a role's global instance before its host instances. */
  instances: ResolvedInstance[];
  /** How the ids were made (the engine's interner): what later lookups by (name, host) use too. */
  idOf: (name: string, host: string | undefined) => string;
}

const NO_PARTS: ReadonlyMap<string, Section> = new Map();

/**
 * Resolve `input` against `registry`; throws ValidateConfigError with every
 * structural issue. `idOf` makes the instance ids (the engine interns them).
 */
export function resolveDocument(input: unknown, registry: RoleRegistry, idOf = instanceId): Resolution {
  const normalized = normalizeDocument(input);
  if (!normalized.ok) throw new ValidateConfigError(normalized.issues);
  const doc = normalized.doc;
  const issues: ConfigIssue[] = [];
  const global = enabledGlobal(doc, registry, issues);
  const perHost = enabledPerHost(doc, registry, global, issues);
  if (issues.length > 0) throw new ValidateConfigError(issues);

  // Hosts per role, in document order, so that the walk below is roles × their hosts, not roles × all hosts.
  const hostsOf = new Map<string, string[]>();
  for (const [host, names] of perHost) {
    for (const name of names) {
      const list = hostsOf.get(name);
      if (list) list.push(host);
      else hostsOf.set(name, [host]);
    }
  }
  const instances: ResolvedInstance[] = [];
  for (const role of registry.roles) {
    const hosts = hostsOf.get(role.name) ?? [];
    if (global.has(role.name)) {
      let parts = NO_PARTS;
      if (role.scope === 'shared' && hosts.length > 0) {
        const map = new Map<string, Section>();
        for (const host of hosts) map.set(host, hostSection(doc, host, role.name));
        parts = map;
      }
      instances.push({ id: idOf(role.name, undefined), role, host: undefined, section: topSection(doc, role.name), parts });
    }
    if (role.scope !== 'host') continue;
    for (const host of hosts) {
      instances.push({ id: idOf(role.name, host), role, host, section: hostSection(doc, host, role.name), parts: NO_PARTS });
    }
  }
  return { doc, instances, idOf };
}

function topSection(doc: NormalizedDocument, name: string): Section {
  return new Section(doc.config.get(name), name, undefined);
}

/** A host's own section, else the top-level one it inherits (the path names where the value is written). */
function hostSection(doc: NormalizedDocument, host: string, name: string): Section {
  const own = doc.hosts.get(host)?.config.get(name);
  return own !== undefined ? new Section(own, name, host) : topSection(doc, name);
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

/** What a host's valid role list enables: on the host, and globally. */
interface HostRoles {
  listed: string[];
  names: Set<string>;
  global: string[];
}

/** Host roles per host; global and shared dependencies of host roles join the global set. */
function enabledPerHost(
  doc: NormalizedDocument,
  registry: RoleRegistry,
  global: Set<string>,
  issues: ConfigIssue[],
): Map<string, Set<string>> {
  const perHost = new Map<string, Set<string>>();
  // Hosts mostly list the same roles: resolve each distinct list once.
  const known = new Map<string, HostRoles>();
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
    // Role names may hold any character, NUL too: a key that clashes only costs a recomputation.
    const key = listed.join('\0');
    let roles = known.get(key);
    if (!roles || !sameList(roles.listed, listed)) {
      roles = hostRoles(listed, registry);
      known.set(key, roles);
    }
    for (const g of roles.global) global.add(g);
    perHost.set(host, roles.names);
  }
  return perHost;
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((n, i) => n === b[i]);
}

function hostRoles(listed: string[], registry: RoleRegistry): HostRoles {
  // Host-scoped dependencies run on the same host; global and shared ones globally.
  const onHost = closure(listed, (n) => registry.get(n)!.dependencies.filter((d) => registry.get(d)!.scope === 'host'));
  const names = new Set<string>(onHost);
  const global = new Set<string>();
  for (const name of listed) if (registry.get(name)!.scope === 'shared') names.add(name);
  for (const name of closure(onHost, (n) => registry.get(n)!.dependencies)) {
    if (registry.get(name)!.scope !== 'host') for (const g of registry.getEnabledRoles([name])) global.add(g);
  }
  for (const name of names) if (registry.get(name)!.scope === 'shared') global.add(name);
  return { listed, names, global: [...global] };
}
