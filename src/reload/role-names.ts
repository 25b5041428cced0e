/**
 * The arguments of `reload(opts)` and `update(roles)`, read without trusting
 * them. A string is not a list: `reload({ roles: 'ab' })` iterated it as roles
 * `a` and `b`. `roles` must be an own property (a polluted
 * `Object.prototype.roles` must not pick what `reload()` reloads), and reading
 * the argument must not throw at the caller (a getter, a Proxy trap): every
 * refusal is a HotReloadError, like the other reload refusals.
 * @module
 */
import { HotReloadError } from '../errors.js';
import { isInstance, messageOf } from '../thrown.js';

/** `reload(opts)` as read: each field undefined when not given. */
export interface ReloadArgument {
  /** The roles to reload (and their dependents); undefined: every module role (none when `modules` is given). */
  roles: string[] | undefined;
  /** The new list of role modules (specifiers), replacing every role given as one. */
  modules: (string | URL)[] | undefined;
  /** The document to apply with the new code, when one is given. */
  config: { value: unknown } | undefined;
}

/** `opts` of `reload(opts)`, own properties only. */
export function reloadArgument(opts: unknown): ReloadArgument {
  return guarded('reload', () => {
    if (opts === undefined) return { roles: undefined, modules: undefined, config: undefined };
    if (typeof opts !== 'object' || opts === null || Array.isArray(opts)) {
      throw new HotReloadError(`reload: options must be an object like { roles: ['name'] }, got ${kindOf(opts)}`);
    }
    const own = (key: string): unknown => (Object.hasOwn(opts, key) ? (opts as Record<string, unknown>)[key] : undefined);
    return {
      roles: names('reload', own('roles')),
      modules: specifiers(own('modules')),
      config: Object.hasOwn(opts, 'config') ? { value: own('config') } : undefined,
    };
  });
}

/** `reload({ modules })`: module specifiers (paths, `file:` URLs, package names), as createRuntime takes them. */
function specifiers(value: unknown): (string | URL)[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw new HotReloadError(`reload: modules must be an array of module specifiers, got ${kindOf(value)}`);
  const list: (string | URL)[] = [];
  const length = value.length;
  for (let i = 0; i < length; i++) {
    const entry: unknown = value[i];
    if ((typeof entry !== 'string' || entry.length === 0) && !(entry instanceof URL)) {
      throw new HotReloadError(`reload: modules[${i}] must be a module specifier (a path, file: URL or package name), got ${kindOf(entry)}`);
    }
    list.push(entry);
  }
  return list;
}

/** The `roles` of `update(roles)`: the names, or undefined for the roles whose files changed. */
export function updateRolesArgument(roles: unknown): string[] | undefined {
  return guarded('update', () => names('update', roles));
}

function names(call: string, value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw new HotReloadError(`${call}: roles must be an array of role names, got ${kindOf(value)}`);
  const list: string[] = [];
  const length = value.length;
  for (let i = 0; i < length; i++) {
    const name: unknown = value[i];
    if (typeof name !== 'string') throw new HotReloadError(`${call}: roles[${i}] must be a role name, got ${kindOf(name)}`);
    list.push(name);
  }
  return list;
}

function guarded<T>(call: string, read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (isInstance(err, HotReloadError)) throw err;
    throw new HotReloadError(`${call}: its argument can not be read: ${messageOf(err)}`, { cause: err });
  }
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return typeof value === 'object' ? 'an object' : typeof value;
}
