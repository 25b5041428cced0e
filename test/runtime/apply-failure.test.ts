import { describe, expect, it } from 'vitest';
import { ApplyConfigError, createRuntime, type StateChange } from '../../src/index.js';
import { recorder, silent } from '../helpers.js';

describe('an applyConfig that throws', () => {
  it('ends the apply in OperationError with an ApplyConfigError naming the role; the other roles are applied', async () => {
    const { calls, role } = recorder();
    let fail = true;
    const rt = await createRuntime({
      roles: [
        role('storage'),
        role('cache', {
          dependencies: ['storage'],
          applyConfig: () => {
            calls.push('apply:cache');
            if (fail) throw new Error('disk full');
          },
        }),
        role('web'),
      ],
      logger: silent,
    });
    const changes: StateChange[] = [];
    rt.subscribe((c) => changes.push(c));

    const err = await rt.applyConfig({ roles: ['cache', 'web'] }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ApplyConfigError);
    expect(rt.state).toBe('OperationError');
    expect(rt.error).toBe(err);
    const error = err as ApplyConfigError;
    expect(error.name).toBe('ApplyConfigError');
    expect(error.message).toContain('role "cache" applyConfig: disk full');
    expect(error.failures).toEqual([{ role: 'cache', host: undefined, phase: 'applyConfig', error: expect.any(Error) }]);
    expect((error.cause as Error).message).toBe('disk full');
    expect(changes.map((c) => c.state)).toEqual(['ConfiguringRoles', 'OperationError']);
    expect(changes[1].error).toBe(err);
    // The role that failed to apply is still running (its init succeeded); the others applied.
    expect(calls).toEqual([
      'validate:storage', 'validate:cache', 'validate:web',
      'init:storage', 'apply:storage', 'init:cache', 'apply:cache', 'init:web', 'apply:web',
    ]);
    const status = rt.status();
    expect(status.error).toEqual({ name: 'ApplyConfigError', message: error.message });
    expect(status.roles.map((r) => [r.name, r.running, r.status.type])).toEqual([
      ['storage', true, 'ok'],
      ['cache', true, 'error'],
      ['web', true, 'ok'],
    ]);
    expect(status.roles[1].status.message).toContain('disk full');

    // The next good apply returns to RolesConfigured: applyConfig again, no second init.
    fail = false;
    calls.length = 0;
    await rt.applyConfig({ roles: ['cache', 'web'] });
    expect(rt.state).toBe('RolesConfigured');
    expect(rt.error).toBeUndefined();
    expect(calls).toEqual([
      'validate:storage', 'validate:cache', 'validate:web',
      'apply:storage', 'apply:cache', 'apply:web',
    ]);
    expect(rt.status().error).toBeUndefined();
    expect(rt.status().roles.map((r) => r.status.type)).toEqual(['ok', 'ok', 'ok']);
    expect(changes.map((c) => c.state)).toEqual(['ConfiguringRoles', 'OperationError', 'ConfiguringRoles', 'RolesConfigured']);
    await rt.stop();
  });

  it('reports every failing role of one apply', async () => {
    const { role } = recorder();
    const boom = (m: string) => () => {
      throw new Error(m);
    };
    const rt = await createRuntime({
      roles: [role('a', { applyConfig: boom('a broke') }), role('b', { applyConfig: boom('b broke') })],
      logger: silent,
    });
    const err = (await rt.applyConfig({ roles: ['a', 'b'] }).catch((e: unknown) => e)) as ApplyConfigError;
    expect(err.failures.map((f) => [f.role, f.phase])).toEqual([
      ['a', 'applyConfig'],
      ['b', 'applyConfig'],
    ]);
    expect(err.message).toContain('role "a" applyConfig: a broke');
    expect(err.message).toContain('role "b" applyConfig: b broke');
    await rt.stop();
  });

  it('onApplyConfig sees the state reached, and its own errors are never fatal', async () => {
    const { role } = recorder();
    const seen: string[] = [];
    let fail = true;
    const rt = await createRuntime({
      roles: [
        role('a', {
          applyConfig: () => {
            if (fail) throw new Error('nope');
          },
          onApplyConfig: (_doc: unknown, state: string) => void seen.push(`a:${state}`),
        }),
        role('b', {
          onApplyConfig: (_doc: unknown, state: string) => {
            seen.push(`b:${state}`);
            throw new Error('observer broke');
          },
        }),
      ],
      logger: silent,
    });
    await expect(rt.applyConfig({ roles: ['a', 'b'] })).rejects.toBeInstanceOf(ApplyConfigError);
    fail = false;
    await rt.applyConfig({ roles: ['a', 'b'] });
    expect(rt.state).toBe('RolesConfigured');
    expect(seen).toEqual(['a:OperationError', 'b:OperationError', 'a:RolesConfigured', 'b:RolesConfigured']);
    expect(rt.status().roles.find((r) => r.name === 'b')?.status).toMatchObject({ type: 'warn' });
    await rt.stop();
  });
});
