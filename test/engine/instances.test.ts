import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRuntime, defineRole } from '../../src/index.js';
import { instanceId } from '../../src/engine/instances.js';
import { recorder, silent } from '../helpers.js';

describe('instanceId', () => {
  it('is structural: two (role, host) pairs share an id only when they are the same pair', () => {
    const name = fc.oneof(fc.string(), fc.constantFrom('auth', 'auth@x.com', 'x.com', '@', '', '["auth","x.com"]'));
    const host = fc.option(name, { nil: undefined });
    fc.assert(
      fc.property(name, host, name, host, (n1, h1, n2, h2) => (instanceId(n1, h1) === instanceId(n2, h2)) === (n1 === n2 && h1 === h2)),
      { examples: [['auth@x.com', undefined, 'auth', 'x.com'], ['a', 'b@c', 'a@b', 'c']] },
    );
  });
});

describe('a global role "auth@x.com" and a host role "auth" on "x.com"', () => {
  it('are two instances: both start, both are reported running, each stops on its own', async () => {
    const { calls, role } = recorder();
    const rt = await createRuntime({
      roles: [
        role('auth@x.com', { init: () => (calls.push('init:auth@x.com'), { who: 'global' }) }),
        role('auth', { scope: 'host', init: (ctx: { host?: string }) => (calls.push(`init:auth on ${ctx.host}`), { who: 'host' }) }),
      ],
      logger: silent,
    });
    await rt.applyConfig({ roles: ['auth@x.com'], hosts: { 'x.com': { roles: ['auth'] } } });
    expect(calls.filter((c) => c.startsWith('init'))).toEqual(['init:auth@x.com', 'init:auth on x.com']);
    expect(rt.status().roles.map((r) => [r.name, r.host, r.running])).toEqual([
      ['auth@x.com', undefined, true],
      ['auth', 'x.com', true],
    ]);
    expect(rt.service('auth@x.com')).toEqual({ who: 'global' });
    expect(rt.service('auth', 'x.com')).toEqual({ who: 'host' });

    calls.length = 0;
    await rt.applyConfig({ hosts: { 'x.com': { roles: ['auth'] } } });
    expect(calls.filter((c) => c.startsWith('stop'))).toEqual(['stop:auth@x.com']);
    expect(rt.service('auth', 'x.com')).toEqual({ who: 'host' });
    await rt.stop();
  });

  it('keep their own sections as validateConfig prev', async () => {
    const prevs: [string, unknown][] = [];
    const rt = await createRuntime({
      roles: [
        defineRole({ name: 'auth@x.com', validateConfig: (_c, prev) => void prevs.push(['global', prev]) }),
        defineRole({ name: 'auth', scope: 'host', validateConfig: (_c, prev) => void prevs.push(['host', prev]) }),
      ],
      logger: silent,
    });
    const doc = (g: number, h: number) => ({
      roles: ['auth@x.com'],
      config: { 'auth@x.com': { g } },
      hosts: { 'x.com': { roles: ['auth'], config: { auth: { h } } } },
    });
    await rt.applyConfig(doc(1, 1));
    prevs.length = 0;
    await rt.validateConfig(doc(2, 2));
    expect(prevs).toEqual([
      ['global', { g: 1 }],
      ['host', { h: 1 }],
    ]);
    await rt.stop();
  });

  it("do not stand in for each other as a dependency: the host's dependent is skipped when its own auth failed", async () => {
    const { role } = recorder();
    const rt = await createRuntime({
      roles: [
        role('auth@x.com'),
        role('auth', {
          scope: 'host',
          init: () => {
            throw new Error('no backend');
          },
        }),
        role('web', { scope: 'host', dependencies: ['auth'] }),
      ],
      logger: silent,
    });
    await expect(rt.applyConfig({ roles: ['auth@x.com'], hosts: { 'x.com': { roles: ['web'] } } })).rejects.toThrow('no backend');
    expect(rt.status().roles.map((r) => [r.name, r.host, r.running])).toEqual([
      ['auth@x.com', undefined, true],
      ['auth', 'x.com', false],
      ['web', 'x.com', false],
    ]);
    await rt.stop();
  });
});
