/**
 * The configuration document (docs/concepts.md) and its normalised form.
 *
 * The document is read exactly once, own properties only, into a copy of its
 * structure: nothing inherited is ever seen (a role named `constructor`, role
 * code that sets `Object.prototype.roles`), `__proto__` is a key like any
 * other (as JSON.parse makes it), and a document that can not be read (a
 * Proxy whose traps throw, a throwing getter) is refused like any invalid one.
 * The shape is checked here rather than with zod: zod's record parsing skips
 * `__proto__` keys, which would let `hosts.__proto__` pass unchecked and unseen.
 * @module
 */
import type { ConfigIssue } from '../errors.js';
import type { RoleSelection } from './selection.js';
import { messageOf } from '../thrown.js';
import { keyPath } from './key-path.js';

export interface HostDocument {
  roles?: RoleSelection;
  config?: Record<string, unknown>;
}

export interface ConfigDocument {
  /** Enabled global roles: a list or a `{ name: boolean }` map. */
  roles?: RoleSelection;
  /** Sections keyed by role name. */
  config?: Record<string, unknown>;
  /** Virtual hosts and components. */
  hosts?: Record<string, HostDocument>;
  [key: string]: unknown;
}

/**
 * Where each listed name stands in the document (`roles.0`, `roles.api` in a
 * map, `hosts.example.com.roles.1`), for issue paths. Worked out when asked:
 * only an issue needs one, and an apply of thousands of hosts has none.
 */
export class RolePaths {
  readonly #path: string;
  readonly #names: readonly string[] | undefined;

  /** `names`: the list as written (a list form); undefined for a `{ name: boolean }` map. */
  constructor(path: string, names: readonly string[] | undefined) {
    this.#path = path;
    this.#names = names;
  }

  get(name: string): string | undefined {
    if (this.#names === undefined) return keyPath(this.#path, name);
    const i = this.#names.indexOf(name);
    return i === -1 ? undefined : keyPath(this.#path, String(i));
  }
}

const NO_ROLE_PATHS = new RolePaths('', []);

export interface HostPart {
  roles: string[];
  /** Where each listed name stands in the document (`hosts.example.com.roles.1`), for issue paths. */
  rolePaths: RolePaths;
  /** Sections by role name. */
  config: ReadonlyMap<string, unknown>;
}

export interface NormalizedDocument {
  /** Names listed as enabled at the top level. */
  roles: string[];
  /** Where each listed name stands in the document (`roles.0`, or `roles.api` in a map), for issue paths. */
  rolePaths: RolePaths;
  /** Sections by role name. */
  config: ReadonlyMap<string, unknown>;
  hosts: ReadonlyMap<string, HostPart>;
  /**
   * The document as read: its own keys, in plain objects (sections are the
   * caller's values). onApplyConfig gets it, and a reload validates it again,
   * so neither depends on the caller's object staying as it was.
   */
  source: ConfigDocument;
}

export type NormalizeResult = { ok: true; doc: NormalizedDocument } | { ok: false; issues: ConfigIssue[] };

export function normalizeDocument(input: unknown): NormalizeResult {
  const reader = new Reader();
  try {
    const doc = readDocument(reader, input);
    return reader.issues.length === 0 && doc ? { ok: true, doc } : { ok: false, issues: reader.issues };
  } catch (err) {
    // Reading threw (a getter, a Proxy trap): the document is refused, whatever was found before.
    return { ok: false, issues: [{ path: reader.at, message: `can not be read: ${messageOf(err)}` }] };
  }
}

/** Collects issues, and knows which key it is reading (for the issue when reading throws). */
class Reader {
  readonly issues: ConfigIssue[] = [];
  /** The object being read and the key in it: joined only when reading throws, not for every key read. */
  #path = '';
  #key: string | undefined;

  get at(): string {
    return this.#key === undefined ? this.#path : keyPath(this.#path, this.#key);
  }

  set at(path: string) {
    this.#path = path;
    this.#key = undefined;
  }

  issue(path: string, message: string): void {
    this.issues.push({ path, message });
  }

  /** Say which key of the object at `path` is being read. */
  reading(path: string, key: string): void {
    this.#path = path;
    this.#key = key;
  }

  /**
   * A plain copy of a plain object's own enumerable keys (values as they
   * are); undefined, with an issue, for anything else. The spread defines
   * own data properties: `__proto__` stays an own key, as JSON.parse makes
   * it, and no setter on Object.prototype is called. When reading throws,
   * the keys are read again one by one, to name the one that throws.
   */
  copy(value: unknown, path: string, expected: string): Record<string, unknown> | undefined {
    this.at = path;
    if (!isPlainObject(value)) {
      this.issue(path, `expected ${expected}, got ${kindOf(value)}`);
      return undefined;
    }
    try {
      return { ...(value as Record<string, unknown>) };
    } catch {
      const copy: Record<string, unknown> = {};
      for (const key of Object.keys(value)) {
        this.#key = key;
        Object.defineProperty(copy, key, { value: (value as Record<string, unknown>)[key], enumerable: true, writable: true, configurable: true });
      }
      this.#key = undefined;
      // It threw once and read fine the second time: take the second reading.
      return copy;
    }
  }
}

function readDocument(reader: Reader, input: unknown): NormalizedDocument | undefined {
  const source = reader.copy(input, '', 'the document to be an object');
  if (!source) return undefined;
  const { names: roles, paths: rolePaths } = readSelection(reader, source, 'roles', 'roles');
  const config = readSections(reader, source, 'config');
  const hosts = new Map<string, HostPart>();
  const rawHosts = ownValue(source, 'hosts');
  if (rawHosts !== undefined) {
    const table = reader.copy(rawHosts, 'hosts', 'an object of hosts');
    if (table) {
      for (const host of Object.keys(table)) {
        const path = keyPath('hosts', host);
        const copy = reader.copy(table[host], path, 'an object with roles and config');
        if (!copy) continue;
        const selection = readSelection(reader, copy, 'roles', keyPath(path, 'roles'));
        hosts.set(host, { roles: selection.names, rolePaths: selection.paths, config: readSections(reader, copy, keyPath(path, 'config')) });
        // An own key (the spread made it one), so `__proto__` is set as data, never as the prototype.
        table[host] = copy;
      }
      source.hosts = table;
    }
  }
  return { roles, rolePaths, config, hosts, source: source as ConfigDocument };
}

/**
 * `parent.roles`: a list of names, or a `{ name: boolean }` map; returns the
 * enabled names (and where they stand) and puts a copy in its place.
 */
function readSelection(reader: Reader, parent: Record<string, unknown>, key: string, path: string): { names: string[]; paths: RolePaths } {
  const value = ownValue(parent, key);
  const names: string[] = [];
  if (value === undefined) return { names, paths: NO_ROLE_PATHS };
  reader.at = path;
  if (Array.isArray(value)) {
    const length = value.length;
    const copy = new Array<unknown>(length);
    for (let i = 0; i < length; i++) {
      reader.reading(path, String(i));
      const name: unknown = value[i];
      copy[i] = name;
      if (typeof name === 'string') names.push(name);
      else reader.issue(keyPath(path, String(i)), `expected a role name, got ${kindOf(name)}`);
    }
    parent[key] = copy;
    // A name's index in the list as written: with a non-name in it the document is refused anyway.
    return { names, paths: new RolePaths(path, names) };
  }
  const copy = reader.copy(value, path, 'a list of role names or a { name: boolean } map');
  if (!copy) return { names, paths: NO_ROLE_PATHS };
  for (const name of Object.keys(copy)) {
    const on = copy[name];
    if (on === true) names.push(name);
    else if (on !== false) reader.issue(keyPath(path, name), `expected true or false, got ${kindOf(on)}`);
  }
  parent[key] = copy;
  return { names, paths: new RolePaths(path, undefined) };
}

/** `parent.config`: sections by role name; puts a copy of the table (not of the sections) in its place. */
function readSections(reader: Reader, parent: Record<string, unknown>, path: string): ReadonlyMap<string, unknown> {
  const value = ownValue(parent, 'config');
  if (value === undefined) return new Map();
  const copy = reader.copy(value, path, 'an object of sections keyed by role name');
  if (!copy) return new Map();
  parent.config = copy;
  const sections = new Map<string, unknown>();
  for (const name of Object.keys(copy)) sections.set(name, copy[name]);
  return sections;
}

/** An own property's value: an inherited one (`constructor`, a polluted `Object.prototype.roles`) is not in the document. */
function ownValue(obj: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}

/** JSON-like objects only: a Map, a Date or a class instance is not a document or a table of sections. */
function isPlainObject(value: unknown): value is object {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value !== 'object') return typeof value;
  return 'an object that is not a plain object';
}
