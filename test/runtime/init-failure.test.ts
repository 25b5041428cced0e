import { describe, expect, it } from 'vitest';
import {
  ApplyConfigError,
  RoleUnavailableError,
  TimeoutError,
  createRuntime,
  type Runtime,
} from '../../src/index.js';
import { recorder, silent, sleep } from '../helpers.js';

async function applyError(rt: Runtime, doc: unknown): Promise<ApplyConfigError> {
  const err = await rt.applyConfig(doc).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApplyConfigError);
  expect(rt.state).toBe('OperationError');
  expect(rt.error).toBe(err);
  return err as ApplyConfigError;
}

/** storage <- cache <- api, plus an unrelated `web`; `cache`'s init is given. */
function roles(init: () => unknown) {
  const { calls, role } = recorder();
  let attempts = 0;
  const list = [
    role('storage'),
    role('cache', {
      dependencies: ['storage'],
      init: () => {
        calls.push('init:cache');
        attempts++;
        return attempts === 1 ? init() : { get: () => 'v' };
      },
    }),
    role('api', { dependencies: ['cache'] }),
    role('web'),
  ];
  return { calls, list };
}

function running(rt: Runtime): Record<string, boolean> {
  return Object.fromEntries(rt.status().roles.map((r) => [r.name, r.running]));
}

describe('a role whose init fails', () => {
  it('(throws) is not running, its dependents are skipped, the others run; the next apply retries init', async () => {
    const { calls, list } = roles(() => {
      throw new Error('no connection');
    });
    const rt = await createRuntime({ roles: list, logger: silent });
    const err = await applyError(rt, { roles: ['api', 'web'] });
    expect(err.failures.map((f) => [f.role, f.phase, (f.error as Error).message])).toEqual([
      ['cache', 'init', 'no connection'],
    ]);
    expect(err.message).toContain('role "cache" init: no connection');
    expect(calls).toEqual([
      'validate:storage', 'validate:cache', 'validate:api', 'validate:web',
      'init:storage', 'apply:storage', 'init:cache', 'init:web', 'apply:web',
    ]);
    expect(running(rt)).toEqual({ storage: true, cache: false, api: false, web: true });
    const api = rt.status().roles.find((r) => r.name === 'api')!;
    expect(api.status.type).toBe('error');
    expect(api.status.message).toContain('"cache"');
    expect(() => rt.service('cache')).toThrow(RoleUnavailableError);

    calls.length = 0;
    await rt.applyConfig({ roles: ['api', 'web'] });
    expect(rt.state).toBe('RolesConfigured');
    expect(calls).toEqual([
      'validate:storage', 'validate:cache', 'validate:api', 'validate:web',
      'apply:storage', 'init:cache', 'apply:cache', 'init:api', 'apply:api', 'apply:web',
    ]);
    expect(running(rt)).toEqual({ storage: true, cache: true, api: true, web: true });
    expect(rt.service<{ get(): string }>('cache').get()).toBe('v');

    // Stopping covers the roles that ended up running, dependents first.
    calls.length = 0;
    await rt.stop();
    expect(calls).toEqual(['stop:web', 'stop:api', 'stop:cache', 'stop:storage']);
  });

  it('(never settles) fails with a TimeoutError naming the role and the callback, with the same effects', async () => {
    const { calls, list } = roles(() => new Promise(() => {}));
    const rt = await createRuntime({ roles: list, logger: silent, timeouts: { init: 50 } });
    const started = Date.now();
    const err = await applyError(rt, { roles: ['api', 'web'] });
    expect(Date.now() - started).toBeLessThan(2_000);
    const failure = err.failures[0];
    expect([failure.role, failure.phase]).toEqual(['cache', 'init']);
    expect(failure.error).toBeInstanceOf(TimeoutError);
    expect((failure.error as Error).name).toBe('TimeoutError');
    expect((failure.error as Error).message).toBe('Role "cache" init timed out after 50 ms');
    expect(err.message).toContain('Role "cache" init timed out');
    expect(calls).not.toContain('init:api');
    expect(calls).not.toContain('apply:api');
    expect(calls).not.toContain('apply:cache');
    expect(running(rt)).toEqual({ storage: true, cache: false, api: false, web: true });

    calls.length = 0;
    await rt.applyConfig({ roles: ['api', 'web'] });
    expect(rt.state).toBe('RolesConfigured');
    expect(calls.filter((c) => c.startsWith('init:'))).toEqual(['init:cache', 'init:api']);
    await rt.stop();
  });

  it('that times out loses what it acquired, even what it acquires after the time limit', async () => {
    let ticks = 0;
    let finishInit!: () => void;
    const { role } = recorder();
    const rt = await createRuntime({
      roles: [
        role('slow', {
          init: async (ctx: import('../../src/index.js').RoleContext) => {
            ctx.setInterval(() => ticks++, 2);
            await new Promise<void>((resolve) => (finishInit = resolve));
            // Runs after the runtime gave up on this init.
            ctx.setInterval(() => ticks++, 2);
          },
        }),
      ],
      logger: silent,
      timeouts: { init: 30 },
    });
    await applyError(rt, { roles: ['slow'] });
    const after = ticks;
    finishInit();
    await sleep(30);
    expect(ticks).toBe(after);
    await rt.stop();
  });

  it('a role whose dependency is not running is not started, and the next apply starts both', async () => {
    const { calls, role } = recorder();
    let ok = false;
    const rt = await createRuntime({
      roles: [
        role('a', {
          init: () => {
            calls.push('init:a');
            if (!ok) throw new Error('a fails');
          },
        }),
        role('b', { dependencies: ['a'] }),
        role('c', { dependencies: ['b'] }),
      ],
      logger: silent,
    });
    const err = await applyError(rt, { roles: ['c'] });
    // Only the role that failed is a failure; the skipped ones show in status.
    expect(err.failures.map((f) => f.role)).toEqual(['a']);
    expect(calls.filter((c) => !c.startsWith('validate:'))).toEqual(['init:a']);
    expect(rt.status().roles.map((r) => [r.name, r.running, r.status.type])).toEqual([
      ['a', false, 'error'],
      ['b', false, 'error'],
      ['c', false, 'error'],
    ]);
    ok = true;
    calls.length = 0;
    await rt.applyConfig({ roles: ['c'] });
    expect(calls.filter((c) => !c.startsWith('validate:'))).toEqual(['init:a', 'apply:a', 'init:b', 'apply:b', 'init:c', 'apply:c']);
    expect(rt.status().roles.map((r) => r.status.type)).toEqual(['ok', 'ok', 'ok']);
    await rt.stop();
  });

  it('a role whose init failed and that is then disabled is not stopped (it never ran)', async () => {
    const { calls, role } = recorder();
    const rt = await createRuntime({
      roles: [role('a', { init: () => { throw new Error('x'); } }), role('b')],
      logger: silent,
    });
    await applyError(rt, { roles: ['a', 'b'] });
    calls.length = 0;
    await rt.applyConfig({ roles: ['b'] });
    expect(rt.state).toBe('RolesConfigured');
    expect(calls).toEqual(['validate:b', 'apply:b']);
    expect(rt.status().roles.map((r) => r.name)).toEqual(['b']);
    await rt.stop();
    expect(calls).toEqual(['validate:b', 'apply:b', 'stop:b']);
  });
});
