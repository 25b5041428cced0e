/**
 * The set of registered roles and Cartridge's queries over it. A registry is
 * immutable: registering (or reloading) builds a new one in scratch and the
 * runtime swaps it in only when it is complete and consistent.
 * @module
 */
import { RegisterRoleError } from '../errors.js';
import type { AnyRole } from './role.js';
import { selectedNames, type RoleSelection } from '../config/selection.js';

export type { RoleSelection };
import { closure, orderByDependencies } from './dependency-graph.js';

export class RoleRegistry {
  /** Roles in dependency order (dependencies first), registration order otherwise. */
  readonly roles: readonly AnyRole[];
  #byName: Map<string, AnyRole>;
  #dependents: Map<string, string[]> | undefined;

  /** Register `roles`; throws RegisterRoleError on a clash, an unknown dependency or a cycle. */
  constructor(roles: readonly AnyRole[]) {
    const byName = new Map<string, AnyRole>();
    for (const role of roles) {
      if (byName.has(role.name)) throw new RegisterRoleError(`Role "${role.name}" name clash`);
      byName.set(role.name, role);
    }
    for (const role of roles) {
      for (const dep of role.dependencies) {
        if (!byName.has(dep)) throw new RegisterRoleError(`Role "${role.name}" depends on unknown role "${dep}"`);
      }
    }
    const result = orderByDependencies({
      names: roles.map((r) => r.name),
      dependenciesOf: (name) => byName.get(name)!.dependencies,
    });
    if ('cycle' in result) {
      throw new RegisterRoleError(
        `Role "${result.cycle[0]}" circular dependency prohibited: ${result.cycle.join(' -> ')}`,
      );
    }
    this.roles = Object.freeze(result.order.map((name) => byName.get(name)!));
    this.#byName = byName;
  }

  has(name: string): boolean {
    return this.#byName.has(name);
  }

  get(name: string): AnyRole | undefined {
    return this.#byName.get(name);
  }

  /** Every registered role, hidden and permanent ones too. */
  getAllRoles(): string[] {
    return this.roles.map((r) => r.name);
  }

  /** Roles a user may enable: hidden and permanent ones are left out. */
  getKnownRoles(): string[] {
    return this.roles.filter((r) => !r.hidden && !r.permanent).map((r) => r.name);
  }

  /**
   * Selected roles, their dependencies (transitively) and permanent roles, in
   * dependency order. Unknown names are ignored here; validation reports them.
   */
  getEnabledRoles(sel?: RoleSelection): string[] {
    const roots = selectedNames(sel).filter((n) => this.#byName.has(n));
    for (const role of this.roles) if (role.permanent) roots.push(role.name);
    const enabled = closure(roots, (n) => this.#byName.get(n)!.dependencies);
    return this.roles.filter((r) => enabled.has(r.name)).map((r) => r.name);
  }

  /** Enabled roles that no other enabled role depends on, without hidden and permanent ones. */
  getEnabledRolesWithoutDeps(sel?: RoleSelection): string[] {
    const enabled = this.getEnabledRoles(sel);
    const dependedOn = new Set<string>();
    for (const name of enabled) for (const dep of this.#byName.get(name)!.dependencies) dependedOn.add(dep);
    return enabled.filter((name) => {
      const role = this.#byName.get(name)!;
      return !role.hidden && !role.permanent && !dependedOn.has(name);
    });
  }

  /** Every role `name` depends on, transitively, in dependency order. */
  getRoleDependencies(name: string): string[] {
    const role = this.#byName.get(name);
    if (!role) return [];
    const deps = closure(role.dependencies, (n) => this.#byName.get(n)!.dependencies);
    return this.roles.filter((r) => deps.has(r.name)).map((r) => r.name);
  }

  /** Every role that depends on one of `names`, transitively (the names themselves included), in dependency order. */
  getDependents(names: Iterable<string>): string[] {
    const reverse = (this.#dependents ??= this.#buildDependents());
    const set = closure(names, (n) => reverse.get(n) ?? []);
    return this.roles.filter((r) => set.has(r.name)).map((r) => r.name);
  }

  #buildDependents(): Map<string, string[]> {
    const reverse = new Map<string, string[]>();
    for (const role of this.roles) {
      for (const dep of role.dependencies) {
        const list = reverse.get(dep);
        if (list) list.push(role.name);
        else reverse.set(dep, [role.name]);
      }
    }
    return reverse;
  }
}
