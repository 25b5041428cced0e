/**
 * The safety net for globals (API.md section 1): globals a role module
 * defines while loading or in its callbacks are removed when its code is
 * reloaded, unless the replaced version whitelists them or the new version
 * defines them again. Resources are tracked when acquired (the context); this
 * diff of globalThis covers only what cannot be tracked any other way.
 * @module
 */
import type { AnyRole } from '../roles/role.js';

type Snapshot = Map<string, unknown>;

function snapshot(): Snapshot {
  const map: Snapshot = new Map();
  for (const key of Object.getOwnPropertyNames(globalThis)) {
    const d = Object.getOwnPropertyDescriptor(globalThis, key);
    // Compare by value, or by accessor identity: reading a getter could run code.
    map.set(key, d && ('value' in d ? d.value : d.get));
  }
  return map;
}

/**
 * Keys that appeared, plus keys of role globals that got a new value (a new
 * version defining its global again). Other pre-existing globals that change
 * are not a role's: Node itself turns lazy getters such as `Request` and
 * `fetch` into values on first use, and removing those would break the process.
 */
function changedKeys(before: Snapshot, roleKeys: ReadonlySet<string>): string[] {
  const after = snapshot();
  const keys: string[] = [];
  for (const [key, value] of after) {
    if (!before.has(key) || (roleKeys.has(key) && before.get(key) !== value)) keys.push(key);
  }
  return keys;
}

export class GlobalsTracker {
  /** Globals defined by each role version. */
  #owned = new WeakMap<AnyRole, Set<string>>();
  /** Every key ever attributed to a role. */
  #roleKeys = new Set<string>();

  #attribute(roles: readonly AnyRole[], keys: string[]): void {
    for (const role of roles) {
      let set = this.#owned.get(role);
      if (!set) this.#owned.set(role, (set = new Set()));
      for (const key of keys) {
        set.add(key);
        this.#roleKeys.add(key);
      }
    }
  }

  /** Run a module load; what it defined belongs to every role the load produced. */
  async load<T>(fn: () => Promise<T>, rolesOf: (result: T) => readonly AnyRole[]): Promise<T> {
    const before = snapshot();
    const result = await fn();
    this.#attribute(rolesOf(result), changedKeys(before, this.#roleKeys));
    return result;
  }

  /** Run one callback of `role`; what it defined belongs to the role. */
  async scope<T>(role: AnyRole, fn: () => Promise<T>): Promise<T> {
    const before = snapshot();
    try {
      return await fn();
    } finally {
      const keys = changedKeys(before, this.#roleKeys);
      if (keys.length > 0) this.#attribute([role], keys);
    }
  }

  /**
   * Remove the globals of a replaced version, except those it whitelists and
   * those its successor defined too. Returns the names removed.
   */
  removeReplaced(old: AnyRole, successor: AnyRole | undefined): string[] {
    const owned = this.#owned.get(old);
    if (!owned) return [];
    const keep = new Set(old.whitelistGlobals);
    const redefined = successor ? this.#owned.get(successor) : undefined;
    const removed: string[] = [];
    for (const key of owned) {
      if (keep.has(key) || redefined?.has(key)) continue;
      if (Reflect.deleteProperty(globalThis, key)) removed.push(key);
    }
    this.#owned.delete(old);
    return removed;
  }
}
