import { describe, expect, it } from 'vitest';
import { createRuntime, defineRole, type RoleDefinition } from '../../src/index.js';
import { silent } from '../helpers.js';

/** Roles that log `callback:name@host` (or `callback:name` for global instances). */
function hostRecorder() {
  const calls: string[] = [];
  const at = (name: string, host: string | undefined) => (host ? `${name}@${host}` : name);
  const role = (name: string, extra: Partial<RoleDefinition> = {}) =>
    defineRole({
      name,
      init: (ctx) => void calls.push(`init:${at(name, ctx.host)}`),
      applyConfig: (conf, ctx) => void calls.push(`apply:${at(name, ctx.host)}=${JSON.stringify(conf ?? null)}`),
      stop: (ctx) => void calls.push(`stop:${at(name, ctx.host)}`),
      ...extra,
    } as RoleDefinition);
  return { calls, role };
}

describe('applying documents with hosts', () => {
  it('host roles get one instance per host, after their global dependencies; a removed host stops, an added one starts', async () => {
    const { calls, role } = hostRecorder();
    const rt = await createRuntime({
      roles: [
        role('component', { scope: 'host', dependencies: ['auth', 'storage'] }),
        role('auth', { scope: 'host' }),
        role('storage'),
      ],
      logger: silent,
    });
    await rt.applyConfig({
      config: { auth: 'global-auth' },
      hosts: {
        'a.example.com': { roles: ['component'], config: { component: 'a' } },
        'b.example.com': { roles: ['auth'], config: { auth: 'b-auth' } },
      },
    });
    expect(rt.state).toBe('RolesConfigured');
    // Dependency order (auth, storage, component: component lists auth first), one instance per host.
    expect(calls).toEqual([
      'init:auth@a.example.com', 'apply:auth@a.example.com="global-auth"',
      'init:auth@b.example.com', 'apply:auth@b.example.com="b-auth"',
      'init:storage', 'apply:storage=null',
      'init:component@a.example.com', 'apply:component@a.example.com="a"',
    ]);
    expect(rt.status().roles.map((r) => [r.name, r.host ?? '*', r.running])).toEqual([
      ['auth', 'a.example.com', true],
      ['auth', 'b.example.com', true],
      ['storage', '*', true],
      ['component', 'a.example.com', true],
    ]);

    calls.length = 0;
    await rt.applyConfig({
      hosts: {
        'b.example.com': { roles: ['auth'], config: { auth: 'b-auth-2' } },
        'c.example.com': { roles: ['component'] },
      },
    });
    expect(calls).toEqual([
      'stop:component@a.example.com', 'stop:auth@a.example.com',
      'apply:auth@b.example.com="b-auth-2"',
      'init:auth@c.example.com', 'apply:auth@c.example.com=null',
      'apply:storage=null',
      'init:component@c.example.com', 'apply:component@c.example.com=null',
    ]);

    calls.length = 0;
    await rt.stop();
    expect(calls).toEqual([
      'stop:component@c.example.com', 'stop:storage', 'stop:auth@c.example.com', 'stop:auth@b.example.com',
    ]);
  });

  it("a host role's failure on one host does not keep other hosts from running it", async () => {
    const { calls, role } = hostRecorder();
    const rt = await createRuntime({
      roles: [
        role('site', {
          scope: 'host',
          init: (ctx) => {
            calls.push(`init:site@${ctx.host}`);
            if (ctx.host === 'bad.example.com') throw new Error('bad host');
          },
        }),
      ],
      logger: silent,
    });
    const err = await rt
      .applyConfig({ hosts: { 'bad.example.com': { roles: ['site'] }, 'good.example.com': { roles: ['site'] } } })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'ApplyConfigError', failures: [{ role: 'site', host: 'bad.example.com', phase: 'init' }] });
    expect((err as Error).message).toContain('role "site" on "bad.example.com" init: bad host');
    expect(rt.status().roles.map((r) => [r.host, r.running])).toEqual([
      ['bad.example.com', false],
      ['good.example.com', true],
    ]);
    expect(calls).toEqual(['init:site@bad.example.com', 'init:site@good.example.com', 'apply:site@good.example.com=null']);
    await rt.stop();
  });
});
