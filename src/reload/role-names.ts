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

/** `opts.roles` of `reload(opts)`: the names, or undefined for every module role. */
export function reloadRolesArgument(opts: unknown): string[] | undefined {
  return guarded('reload', () => {
    if (opts === undefined) return undefined;
    if (typeof opts !== 'object' || opts === null || Array.isArray(opts)) {
      throw new HotReloadError(`reload: options must be an object like { roles: ['name'] }, got ${kindOf(opts)}`);
    }
    return names('reload', Object.hasOwn(opts, 'roles') ? (opts as { roles?: unknown }).roles : undefined);
  });
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
