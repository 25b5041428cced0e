import { describe, expect, it } from 'vitest';
import {
  ApplyConfigError,
  StopRoleError,
  TimeoutError,
  ValidateConfigError,
  createRuntime,
  defineRole,
} from '../../src/index.js';
import { resolveTimeouts } from '../../src/engine/timeouts.js';
import { recorder, silent, sleep } from '../helpers.js';

const never = () => new Promise<never>(() => {});
const timeouts = { validate: 40, init: 40, apply: 40, stop: 40 };

describe('callback time limits', () => {
  it('default to 10 000 ms each, and can be set one by one', () => {
    expect(resolveTimeouts(undefined)).toEqual({ validate: 10_000, init: 10_000, apply: 10_000, stop: 10_000, drain: 10_000 });
    expect(resolveTimeouts({ init: 50 })).toEqual({ validate: 10_000, init: 50, apply: 10_000, stop: 10_000, drain: 10_000 });
  });

  it('a validateConfig that does not settle rejects the document with a ValidateConfigError', async () => {
    const { calls, role } = recorder();
    const rt = await createRuntime({ roles: [role('v', { validateConfig: never })], logger: silent, timeouts });
    const err = await rt.applyConfig({ roles: ['v'] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidateConfigError);
    expect((err as ValidateConfigError).issues).toEqual([
      { path: 'config.v', message: 'Role "v" validateConfig timed out after 40 ms' },
    ]);
    expect(rt.state).toBe('Unconfigured');
    expect(calls).toEqual([]);
    await rt.stop();
  });

  it('an applyConfig that does not settle fails the apply with a TimeoutError naming role and callback', async () => {
    const { role } = recorder();
    const rt = await createRuntime({ roles: [role('a', { applyConfig: never }), role('b')], logger: silent, timeouts });
    const err = (await rt.applyConfig({ roles: ['a', 'b'] }).catch((e: unknown) => e)) as ApplyConfigError;
    expect(err).toBeInstanceOf(ApplyConfigError);
    expect(rt.state).toBe('OperationError');
    expect(err.failures).toHaveLength(1);
    expect(err.failures[0]).toMatchObject({ role: 'a', phase: 'applyConfig' });
    expect(err.failures[0].error).toBeInstanceOf(TimeoutError);
    expect((err.failures[0].error as Error).message).toBe('Role "a" applyConfig timed out after 40 ms');
    expect(rt.status().roles.map((r) => [r.name, r.running])).toEqual([
      ['a', true],
      ['b', true],
    ]);
    await rt.stop();
  });

  it("a shared role's addHost that does not settle fails the apply with a TimeoutError naming role, host and callback", async () => {
    const rt = await createRuntime({
      roles: [defineRole({ name: 'muc', scope: 'shared', addHost: never })],
      logger: silent,
      timeouts,
    });
    const err = (await rt.applyConfig({ hosts: { 'a.example.com': { roles: ['muc'] } } }).catch((e: unknown) => e)) as ApplyConfigError;
    expect(err).toBeInstanceOf(ApplyConfigError);
    expect(err.failures).toHaveLength(1);
    expect(err.failures[0]).toMatchObject({ role: 'muc', host: 'a.example.com', phase: 'addHost' });
    expect(err.failures[0].error).toBeInstanceOf(TimeoutError);
    expect((err.failures[0].error as Error).message).toBe('Role "muc" on host "a.example.com" addHost timed out after 40 ms');
    await rt.stop();
  });

  it('a stop that does not settle still counts as stopped, reported as a StopRoleError caused by a TimeoutError', async () => {
    const { calls, role } = recorder();
    const rt = await createRuntime({ roles: [role('a', { stop: never }), role('b')], logger: silent, timeouts });
    await rt.applyConfig({ roles: ['a', 'b'] });
    const err = (await rt.applyConfig({ roles: ['b'] }).catch((e: unknown) => e)) as ApplyConfigError;
    expect(err).toBeInstanceOf(ApplyConfigError);
    expect(rt.state).toBe('OperationError');
    const stopError = err.failures[0].error as StopRoleError;
    expect(err.failures[0]).toMatchObject({ role: 'a', phase: 'stop' });
    expect(stopError).toBeInstanceOf(StopRoleError);
    expect(stopError.message).toBe('Role "a" stop failed: Role "a" stop timed out after 40 ms');
    expect(stopError.cause).toBeInstanceOf(TimeoutError);
    expect(rt.status().roles.map((r) => r.name)).toEqual(['b']);
    // The role is gone: applying again does not try to stop it a second time.
    calls.length = 0;
    await rt.applyConfig({ roles: ['b'] });
    expect(rt.state).toBe('RolesConfigured');
    expect(calls).toEqual(['validate:b', 'apply:b']);
    await rt.stop();
  });

  it('rt.stop() ends in Stopped even when a stop hangs', async () => {
    const { calls, role } = recorder();
    const rt = await createRuntime({ roles: [role('a'), role('b', { dependencies: ['a'], stop: never })], logger: silent, timeouts });
    await rt.applyConfig({ roles: ['b'] });
    calls.length = 0;
    const started = Date.now();
    await rt.stop();
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(rt.state).toBe('Stopped');
    expect(calls).toEqual(['stop:a']);
    // A failed shutdown is a StopRoleError listing every role whose stop failed.
    expect(rt.error).toBeInstanceOf(StopRoleError);
    const failure = (rt.error as StopRoleError).failures[0];
    expect(failure).toMatchObject({ role: 'b', phase: 'stop' });
    expect(failure.error).toBeInstanceOf(StopRoleError);
  });

  it('a callback that settles within its limit is not failed', async () => {
    const { role } = recorder();
    const slow = async () => void (await sleep(15));
    const rt = await createRuntime({
      roles: [role('a', { validateConfig: slow, init: slow, applyConfig: slow, stop: slow })],
      logger: silent,
      timeouts: { validate: 500, init: 500, apply: 500, stop: 500 },
    });
    await rt.applyConfig({ roles: ['a'] });
    expect(rt.state).toBe('RolesConfigured');
    await rt.stop();
    expect(rt.error).toBeUndefined();
  });
});
