/**
 * The error classes are part of the contract (API.md section 5): pin the
 * list, the names, the codes, and that the docs describe every one.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as rolekit from '../../src/index.js';
import { ERROR_CLASSES, RolekitError } from '../../src/errors.js';

const CONTRACT = [
  'RegisterRoleError',
  'ValidateConfigError',
  'ApplyConfigError',
  'StopRoleError',
  'HotReloadError',
  'StateError',
  'BusyError',
  'TimeoutError',
  'RoleUnavailableError',
  'ConfigFileError',
];

function instantiate(cls: (typeof ERROR_CLASSES)[number]): RolekitError {
  if (cls === rolekit.ValidateConfigError) return new cls([{ path: 'a.b', message: 'bad' }]);
  if (cls === rolekit.ConfigFileError) return new cls('f.yaml', 1, 2, [{ path: 'a', message: 'bad' }]);
  if (cls === rolekit.ApplyConfigError) return new cls('failed', []);
  return new (cls as new (m: string) => RolekitError)('message');
}

describe('error classes', () => {
  it('are exactly the contract classes, exported, extending RolekitError, named after their class', () => {
    expect(ERROR_CLASSES.map((c) => c.name)).toEqual(CONTRACT);
    for (const cls of ERROR_CLASSES) {
      const err = instantiate(cls);
      expect(rolekit[cls.name as keyof typeof rolekit]).toBe(cls);
      expect(err).toBeInstanceOf(RolekitError);
      expect(err).toBeInstanceOf(Error);
      expect(err.name).toBe(cls.name);
      expect(err.code).toMatch(/^RK_ERR_[A-Z_]+$/);
    }
  });

  it('have distinct codes and an admin API status each', () => {
    const errs = ERROR_CLASSES.map(instantiate);
    expect(new Set(errs.map((e) => e.code)).size).toBe(errs.length);
    expect(errs.map((e) => [e.name, e.status])).toEqual([
      ['RegisterRoleError', 500],
      ['ValidateConfigError', 422],
      ['ApplyConfigError', 500],
      ['StopRoleError', 500],
      ['HotReloadError', 409],
      ['StateError', 409],
      ['BusyError', 409],
      ['TimeoutError', 500],
      ['RoleUnavailableError', 500],
      ['ConfigFileError', 400],
    ]);
  });

  it('are each documented with their code in docs/concepts.md', () => {
    const docs = readFileSync(new URL('../../docs/concepts.md', import.meta.url), 'utf8');
    for (const err of ERROR_CLASSES.map(instantiate)) {
      expect(docs).toMatch(new RegExp(`\\| \`${err.name}\` \\|.*\\| \`${err.code}\` \\|`));
    }
  });

  it('carry issues for configuration errors, and file positions for files', () => {
    const v = new rolekit.ValidateConfigError([{ path: 'cache.ttl', message: 'Too small' }]);
    expect(v.issues).toEqual([{ path: 'cache.ttl', message: 'Too small' }]);
    expect(v.message).toContain('cache.ttl');
    const f = new rolekit.ConfigFileError('/etc/rolekit.yaml', 3, 7, [{ path: 'config.cache.ttl', message: 'Too small' }]);
    expect([f.file, f.line, f.column]).toEqual(['/etc/rolekit.yaml', 3, 7]);
    expect(f.message).toBe('/etc/rolekit.yaml:3:7: config.cache.ttl: Too small');
  });
});
