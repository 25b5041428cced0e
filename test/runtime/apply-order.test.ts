import { describe, expect, it } from 'vitest';
import { createRuntime } from '../../src/index.js';
import { recorder, silent } from '../helpers.js';

describe('two-phase apply', () => {
  it('validates every role first, then inits and applies dependencies first, and stops in reverse', async () => {
    const { calls, role } = recorder();
    // Registered in an order that is not the dependency order on purpose.
    const roles = [
      role('d', { dependencies: ['c'] }),
      role('b', { dependencies: ['a'] }),
      role('c', { dependencies: ['b'] }),
      role('a'),
    ];
    const rt = await createRuntime({ roles, logger: silent });
    expect(rt.getAllRoles()).toEqual(['a', 'b', 'c', 'd']);
    await rt.applyConfig({ roles: ['d'] });
    expect(rt.state).toBe('RolesConfigured');
    expect(calls).toEqual([
      'validate:a', 'validate:b', 'validate:c', 'validate:d',
      'init:a', 'apply:a', 'init:b', 'apply:b', 'init:c', 'apply:c', 'init:d', 'apply:d',
    ]);
    calls.length = 0;
    await rt.applyConfig({ roles: ['d'] });
    expect(calls).toEqual([
      'validate:a', 'validate:b', 'validate:c', 'validate:d',
      'apply:a', 'apply:b', 'apply:c', 'apply:d',
    ]);
    calls.length = 0;
    await rt.applyConfig({ roles: ['b'] });
    expect(calls).toEqual(['validate:a', 'validate:b', 'stop:d', 'stop:c', 'apply:a', 'apply:b']);
    calls.length = 0;
    await rt.stop();
    expect(calls).toEqual(['stop:b', 'stop:a']);
    expect(rt.state).toBe('Stopped');
  });

  it('stops what a new document drops (dependents first) before starting what it adds; shared dependencies keep running', async () => {
    const { calls, role } = recorder();
    const rt = await createRuntime({
      roles: [
        role('a'),
        role('b', { dependencies: ['a'] }),
        role('c', { dependencies: ['b'] }),
        role('d', { dependencies: ['c'] }),
        role('e', { dependencies: ['a'] }),
        role('x'),
      ],
      logger: silent,
    });
    await rt.applyConfig({ roles: ['d'] });
    calls.length = 0;
    // Swap the chain's top for a sibling that shares only `a`.
    await rt.applyConfig({ roles: ['e', 'x'] });
    expect(calls).toEqual([
      'validate:a', 'validate:e', 'validate:x',
      'stop:d', 'stop:c', 'stop:b',
      'apply:a', 'init:e', 'apply:e', 'init:x', 'apply:x',
    ]);
    calls.length = 0;
    // Back again: the stopped roles start anew (init), the dropped ones stop.
    await rt.applyConfig({ roles: { d: true, e: false } });
    expect(calls).toEqual([
      'validate:a', 'validate:b', 'validate:c', 'validate:d',
      'stop:x', 'stop:e',
      'apply:a', 'init:b', 'apply:b', 'init:c', 'apply:c', 'init:d', 'apply:d',
    ]);
    calls.length = 0;
    await rt.stop();
    expect(calls).toEqual(['stop:d', 'stop:c', 'stop:b', 'stop:a']);
  });

  it('a validateConfig failure anywhere in the chain runs no init, even for the roles validated before it', async () => {
    const { calls, role } = recorder();
    const rt = await createRuntime({
      roles: [
        role('a'),
        role('b', { dependencies: ['a'] }),
        role('c', { dependencies: ['b'], validateConfig: () => { calls.push('validate:c'); throw new Error('no'); } }),
        role('d', { dependencies: ['c'] }),
      ],
      logger: silent,
    });
    await expect(rt.applyConfig({ roles: ['d'] })).rejects.toMatchObject({ name: 'ValidateConfigError' });
    expect(calls).toEqual(['validate:a', 'validate:b', 'validate:c', 'validate:d']);
    expect(rt.state).toBe('Unconfigured');
    await rt.stop();
  });

  it('lists every enabled role in status, running or not', async () => {
    const { role } = recorder();
    const rt = await createRuntime({
      roles: [role('a', { init: () => { throw new Error('boom'); } }), role('b', { dependencies: ['a'] })],
      logger: silent,
    });
    await expect(rt.applyConfig({ roles: ['b'] })).rejects.toMatchObject({ name: 'ApplyConfigError' });
    const status = rt.status();
    expect(status.state).toBe('OperationError');
    expect(status.error?.name).toBe('ApplyConfigError');
    expect(status.roles.map((r) => [r.name, r.enabled, r.running, r.status.type])).toEqual([
      ['a', true, false, 'error'],
      ['b', true, false, 'error'],
    ]);
    await rt.stop();
  });
});
