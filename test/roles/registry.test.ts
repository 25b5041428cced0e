import { describe, expect, it } from 'vitest';
import { RegisterRoleError, RoleRegistry, createRuntime, defineRole } from '../../src/index.js';
import { toRole } from '../../src/roles/role.js';
import { recorder, silent } from '../helpers.js';

const r = (name: string, extra: { dependencies?: string[]; hidden?: boolean; permanent?: boolean } = {}) =>
  defineRole({ name, ...extra });

function registerError(fn: () => unknown): RegisterRoleError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(RegisterRoleError);
    expect((err as Error).name).toBe('RegisterRoleError');
    return err as RegisterRoleError;
  }
  throw new Error('expected a RegisterRoleError');
}

describe('registration errors', () => {
  it('refuses two roles with one name', () => {
    const err = registerError(() => new RoleRegistry([r('a'), r('b'), r('a')]));
    expect(err.message).toBe('Role "a" name clash');
  });

  it('refuses a dependency on a role that is not registered', () => {
    const err = registerError(() => new RoleRegistry([r('a'), r('b', { dependencies: ['a', 'x'] })]));
    expect(err.message).toBe('Role "b" depends on unknown role "x"');
  });

  it('refuses a dependency cycle and names the roles on it', () => {
    const err = registerError(() =>
      new RoleRegistry([r('a', { dependencies: ['b'] }), r('b', { dependencies: ['c'] }), r('c', { dependencies: ['a'] }), r('d')]),
    );
    expect(err.message).toMatch(/^Role "a" circular dependency prohibited/);
    expect(err.message).toContain('a -> b -> c -> a');
  });

  it('refuses a role that depends on itself', () => {
    const err = registerError(() => new RoleRegistry([r('a', { dependencies: ['a'] })]));
    expect(err.message).toMatch(/^Role "a" circular dependency prohibited/);
  });

  it('refuses a module that exports no role, naming the type it got', () => {
    expect(registerError(() => toRole(42, 'm')).message).toBe('Module "m" must export a role, got number');
    expect(registerError(() => toRole(undefined, './roles/x.js')).message).toBe(
      'Module "./roles/x.js" must export a role, got undefined',
    );
    expect(registerError(() => toRole(null, 'm')).message).toBe('Module "m" must export a role, got null');
    expect(registerError(() => toRole([], 'm')).message).toBe('Module "m" must export a role, got array');
    expect(registerError(() => toRole(() => {}, 'm')).message).toBe('Module "m" must export a role, got function');
    expect(registerError(() => toRole({ init() {}, port: 1 }, 'm')).message).toBe(
      'Module "m" must export a role, got object (without a string "name"; keys: init, port)',
    );
    expect(registerError(() => toRole({}, 'm')).message).toBe('Module "m" must export a role, got object (without a string "name"; no keys)');
  });

  it('names a role object given to createRuntime by its index, not as a module', () => {
    expect(registerError(() => toRole(42, { index: 2 })).message).toBe('roles[2] must be a role, got number');
  });

  it('accepts a plain object of role shape as a module export', () => {
    const role = toRole({ name: 'plain', dependencies: ['x'] }, 'm');
    expect(role.name).toBe('plain');
    expect(role.dependencies).toEqual(['x']);
    expect(role.scope).toBe('global');
  });

  it('createRuntime rejects with the same RegisterRoleError', async () => {
    await expect(createRuntime({ roles: [r('a'), r('a')], logger: silent })).rejects.toMatchObject({
      name: 'RegisterRoleError',
      message: 'Role "a" name clash',
    });
    await expect(createRuntime({ roles: [r('a', { dependencies: ['nope'] })], logger: silent })).rejects.toMatchObject({
      name: 'RegisterRoleError',
      message: 'Role "a" depends on unknown role "nope"',
    });
    await expect(
      createRuntime({ roles: [r('a', { dependencies: ['b'] }), r('b', { dependencies: ['a'] })], logger: silent }),
    ).rejects.toThrow(/^Role "a" circular dependency prohibited/);
  });
});

describe('role queries (Cartridge semantics)', () => {
  // Registered out of dependency order on purpose; `hidden` is a helper, `audit` is permanent.
  const roles = () => [
    r('api', { dependencies: ['auth', 'storage'] }),
    r('storage'),
    r('auth', { dependencies: ['crypto'] }),
    r('crypto', { hidden: true }),
    r('audit', { permanent: true, dependencies: ['storage'] }),
    r('jobs', { dependencies: ['storage'] }),
    r('metrics'),
  ];

  it('permanent implies hidden', () => {
    const audit = r('audit', { permanent: true });
    expect(audit.hidden).toBe(true);
    expect(audit.permanent).toBe(true);
  });

  it('getAllRoles lists every role, each after its dependencies (taken in the order they are listed), registration order otherwise', () => {
    const reg = new RoleRegistry(roles());
    expect(reg.getAllRoles()).toEqual(['crypto', 'auth', 'storage', 'api', 'audit', 'jobs', 'metrics']);
  });

  it('getKnownRoles leaves out hidden and permanent roles', () => {
    expect(new RoleRegistry(roles()).getKnownRoles()).toEqual(['auth', 'storage', 'api', 'jobs', 'metrics']);
  });

  it('getEnabledRoles adds dependencies (hidden ones too) and permanent roles, in dependency order', () => {
    const reg = new RoleRegistry(roles());
    expect(reg.getEnabledRoles(['api'])).toEqual(['crypto', 'auth', 'storage', 'api', 'audit']);
    expect(reg.getEnabledRoles(['metrics'])).toEqual(['storage', 'audit', 'metrics']);
    expect(reg.getEnabledRoles([])).toEqual(['storage', 'audit']);
    expect(reg.getEnabledRoles()).toEqual(['storage', 'audit']);
  });

  it('a selection may be a list or a {name: boolean} map', () => {
    const reg = new RoleRegistry(roles());
    expect(reg.getEnabledRoles({ api: true, jobs: false, metrics: true })).toEqual(
      reg.getEnabledRoles(['api', 'metrics']),
    );
    expect(reg.getEnabledRoles({ api: false })).toEqual(['storage', 'audit']);
    expect(reg.getEnabledRolesWithoutDeps({ jobs: true, storage: true, auth: false })).toEqual(['jobs']);
  });

  it('a hidden role can still be enabled by name', () => {
    expect(new RoleRegistry(roles()).getEnabledRoles(['crypto'])).toEqual(['crypto', 'storage', 'audit']);
  });

  it('getEnabledRolesWithoutDeps keeps only the roles nothing else enabled depends on, not hidden or permanent', () => {
    const reg = new RoleRegistry(roles());
    // storage is a dependency of api and audit; crypto is hidden and a dependency; audit is permanent.
    expect(reg.getEnabledRolesWithoutDeps(['api', 'storage', 'metrics'])).toEqual(['api', 'metrics']);
    expect(reg.getEnabledRolesWithoutDeps(['crypto'])).toEqual([]);
    // Nothing enabled depends on auth once api is not enabled.
    expect(reg.getEnabledRolesWithoutDeps(['auth'])).toEqual(['auth']);
  });

  it('getRoleDependencies lists transitive dependencies in dependency order, without the role itself', () => {
    const reg = new RoleRegistry(roles());
    expect(reg.getRoleDependencies('api')).toEqual(['crypto', 'auth', 'storage']);
    expect(reg.getRoleDependencies('audit')).toEqual(['storage']);
    expect(reg.getRoleDependencies('storage')).toEqual([]);
    expect(reg.getRoleDependencies('unknown')).toEqual([]);
  });

  it('the runtime answers the same queries, defaulting to the applied document', async () => {
    const rt = await createRuntime({ roles: roles(), logger: silent });
    expect(rt.getAllRoles()).toEqual(['crypto', 'auth', 'storage', 'api', 'audit', 'jobs', 'metrics']);
    expect(rt.getKnownRoles()).toEqual(['auth', 'storage', 'api', 'jobs', 'metrics']);
    // Nothing applied yet: only the permanent role and its dependency.
    expect(rt.getEnabledRoles()).toEqual(['storage', 'audit']);
    expect(rt.getEnabledRolesWithoutDeps()).toEqual([]);
    expect(rt.getEnabledRoles(['jobs'])).toEqual(['storage', 'audit', 'jobs']);

    await rt.applyConfig({ roles: { api: true, metrics: true, jobs: false } });
    expect(rt.getEnabledRoles()).toEqual(['crypto', 'auth', 'storage', 'api', 'audit', 'metrics']);
    expect(rt.getEnabledRolesWithoutDeps()).toEqual(['api', 'metrics']);
    expect(rt.getEnabledRoles(['jobs'])).toEqual(['storage', 'audit', 'jobs']);
    expect(rt.getRoleDependencies('api')).toEqual(['crypto', 'auth', 'storage']);
    await rt.stop();
  });

  it('permanent roles run even when the document enables nothing', async () => {
    const { calls, role } = recorder();
    const rt = await createRuntime({
      roles: [role('base'), role('always', { permanent: true, dependencies: ['base'] }), role('optional')],
      logger: silent,
    });
    await rt.applyConfig({});
    expect(calls).toEqual(['validate:base', 'validate:always', 'init:base', 'apply:base', 'init:always', 'apply:always']);
    expect(rt.status().roles.map((x) => [x.name, x.running])).toEqual([
      ['base', true],
      ['always', true],
    ]);
    await rt.stop();
  });
});
