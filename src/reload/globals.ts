/**
 * The safety net for globals (docs/reload.md, Globals): globals a role module
 * defines while loading or in its callbacks are removed when its code is
 * reloaded, unless the replaced version whitelists them or the new version
 * defines them again. Resources are tracked when acquired (the context); this
 * diff of globalThis covers only what cannot be tracked any other way.
 *
 * A reload is a transaction here too: code that is rejected (it threw while
 * loading, failed validation, or failed to start and was rolled back) leaves
 * globalThis as it was before the reload began, including globals of the old
 * version that the new one had overwritten or that were removed with it.
 * @module
 */
import type { AnyRole } from '../roles/role.js';

type Snapshot = Map<string, PropertyDescriptor | undefined>;

function snapshot(): Snapshot {
  const map: Snapshot = new Map();
  for (const key of Object.getOwnPropertyNames(globalThis)) map.set(key, Object.getOwnPropertyDescriptor(globalThis, key));
  return map;
}

/** Compare by value, or by accessor identity: reading a getter could run code. */
function sameSlot(a: PropertyDescriptor | undefined, b: PropertyDescriptor | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return 'value' in a ? 'value' in b && a.value === b.value : a.get === b.get && a.set === b.set;
}

/** Put a global back as `before` had it (absent: delete it). */
function restore(key: string, before: Snapshot): void {
  const descriptor = before.get(key);
  if (descriptor === undefined) Reflect.deleteProperty(globalThis, key);
  else Reflect.defineProperty(globalThis, key, descriptor);
}

/** What a reload in progress changed, so that `abort` can undo it. */
export interface GlobalsTransaction {
  readonly before: Snapshot;
  /** Keys removed with replaced versions, by the version that owned them. */
  readonly removed: Map<AnyRole, Set<string>>;
}

export class GlobalsTracker {
  /** Globals defined by each role version. */
  #owned = new WeakMap<AnyRole, Set<string>>();
  /** Every key ever attributed to a role. */
  #roleKeys = new Set<string>();
  /** Roles that came out of a load seen here: only their callbacks are diffed (role objects are never reloaded). */
  #tracked = new WeakSet<AnyRole>();
  #tx: GlobalsTransaction | undefined;

  /**
   * Keys that appeared since `before`, plus keys of role globals that got a
   * new value (a new version defining its global again). Other pre-existing
   * globals that change are not a role's: Node itself turns lazy getters such
   * as `Request` and `fetch` into values on first use, and removing those
   * would break the process.
   */
  #changedSince(before: Snapshot): string[] {
    const keys: string[] = [];
    for (const [key, descriptor] of snapshot()) {
      if (!before.has(key) || (this.#roleKeys.has(key) && !sameSlot(before.get(key), descriptor))) keys.push(key);
    }
    return keys;
  }

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

  /**
   * Run a module load; what it defined belongs to every role the load
   * produced. A load that throws leaves globalThis as it found it.
   */
  async load<T>(fn: () => Promise<T>, rolesOf: (result: T) => readonly AnyRole[]): Promise<T> {
    const before = snapshot();
    let result: T;
    try {
      result = await fn();
    } catch (err) {
      for (const key of this.#changedSince(before)) restore(key, before);
      throw err;
    }
    const roles = rolesOf(result);
    for (const role of roles) this.#tracked.add(role);
    this.#attribute(roles, this.#changedSince(before));
    return result;
  }

  /** Run one callback of `role`; what it defined belongs to the role (a role object's callbacks run as they are). */
  async scope<T>(role: AnyRole, fn: () => Promise<T>): Promise<T> {
    if (!this.#tracked.has(role)) return fn();
    const before = snapshot();
    try {
      return await fn();
    } finally {
      const keys = this.#changedSince(before);
      if (keys.length > 0) this.#attribute([role], keys);
    }
  }

  /** A reload begins: from now on, `abort` can put globalThis back as it is now. */
  begin(): GlobalsTransaction {
    this.#tx = { before: snapshot(), removed: new Map() };
    return this.#tx;
  }

  /** The reload went through: its changes stay. */
  commit(tx: GlobalsTransaction): void {
    if (this.#tx === tx) this.#tx = undefined;
  }

  /**
   * The reload's new code is rejected: remove what `rejected` versions
   * defined, give the replaced versions their removed globals back (with the
   * values they had before the reload), and forget the rejected versions.
   */
  abort(tx: GlobalsTransaction, rejected: readonly AnyRole[]): void {
    for (const role of rejected) {
      for (const key of this.#owned.get(role) ?? []) restore(key, tx.before);
      this.#owned.delete(role);
    }
    for (const [old, keys] of tx.removed) {
      for (const key of keys) restore(key, tx.before);
      this.#attribute([old], [...keys]);
    }
    if (this.#tx === tx) this.#tx = undefined;
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
    // Inside a reload, remember what went with whom: a rollback gives it back.
    if (this.#tx) this.#tx.removed.set(old, new Set(owned));
    return removed;
  }
}
