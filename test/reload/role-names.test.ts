/**
 * reload(opts) and update(roles) refuse arguments that are not a list of role
 * names with a HotReloadError, before anything stops; BusyError still comes first.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { BusyError, HotReloadError, createRuntime } from '../../src/index.js';
import { recorder, silent, sleep } from '../helpers.js';
import { allTrapsThrow, revokedProxy } from '../hostile.js';

async function started() {
  const { calls, role } = recorder();
  let openGate: () => void = () => {};
  let slow = false;
  const rt = await createRuntime({
    roles: [
      role('a', {
        init: async () => {
          calls.push('init:a');
          if (slow) await new Promise<void>((r) => (openGate = r));
        },
      }),
      role('b'),
    ],
    reloadAllowed: true,
    logger: silent,
  });
  await rt.applyConfig({ roles: ['a', 'b'] });
  calls.length = 0;
  return { rt, calls, slowInit: () => (slow = true), open: () => openGate() };
}

const badOptions: [string, () => unknown][] = [
  ['null', () => null],
  ['a string', () => 'ab'],
  ['an array', () => ['a', 'b']],
  ['{ roles: "ab" }', () => ({ roles: 'ab' })],
  ['{ roles: null }', () => ({ roles: null })],
  ['{ roles: { 0: "a" } }', () => ({ roles: { 0: 'a', length: 1 } })],
  ['{ roles: [1] }', () => ({ roles: [1] })],
  ['{ roles: a revoked Proxy }', () => ({ roles: revokedProxy() })],
  ['a Proxy whose every trap throws', () => allTrapsThrow()],
  ['a throwing roles getter', () => Object.defineProperty({}, 'roles', { get: () => { throw new Error('no'); } })],
];

const badRoles: [string, () => unknown][] = [
  ['null', () => null],
  ['a string', () => 'ab'],
  ['an object', () => ({ 0: 'a', length: 1 })],
  ['[1]', () => [1]],
  ['a revoked Proxy', revokedProxy],
  ['a Proxy of an array whose every trap throws', () => allTrapsThrow(['a'])],
];

describe('reload(opts)', () => {
  afterEach(() => {
    delete (Object.prototype as Record<string, unknown>).roles;
  });

  it.each(badOptions)('refuses %s: HotReloadError, nothing restarted, the state unchanged', async (_kind, make) => {
    const { rt, calls } = await started();
    await expect(rt.reload(make() as never)).rejects.toBeInstanceOf(HotReloadError);
    expect(calls).toEqual([]);
    expect(rt.state).toBe('RolesConfigured');
    await rt.stop();
  });

  it('reads roles as an own property: a polluted Object.prototype.roles does not pick what reload() restarts', async () => {
    const { rt, calls } = await started();
    (Object.prototype as Record<string, unknown>).roles = ['a'];
    await rt.reload();
    // Both are role objects, which reload() does not restart.
    expect(calls.filter((c) => /^(stop|init):/.test(c))).toEqual([]);
    await rt.stop();
  });

  it('still answers BusyError first while another call runs', async () => {
    const { rt, slowInit, open } = await started();
    slowInit();
    const apply = rt.applyConfig({ roles: ['b'] }).then(() => rt.applyConfig({ roles: ['a'] }));
    await sleep(10);
    await expect(rt.reload({ roles: 'ab' } as never)).rejects.toBeInstanceOf(BusyError);
    await expect(rt.update('ab' as never)).rejects.toBeInstanceOf(BusyError);
    open();
    await apply;
    await rt.stop();
  });
});

describe('update(roles)', () => {
  it.each(badRoles)('refuses %s: HotReloadError, nothing restarted, the state unchanged', async (_kind, make) => {
    const { rt, calls } = await started();
    await expect(rt.update(make() as never)).rejects.toBeInstanceOf(HotReloadError);
    expect(calls).toEqual([]);
    expect(rt.state).toBe('RolesConfigured');
    await rt.stop();
  });

  it('takes a list of names', async () => {
    const { rt, calls } = await started();
    expect(await rt.update(['b'])).toEqual({ roles: ['b'] });
    expect(calls).toEqual(['validate:a', 'validate:b', 'stop:b', 'apply:a', 'init:b', 'apply:b']);
    await rt.stop();
  });
});
