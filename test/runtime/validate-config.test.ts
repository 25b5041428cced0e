import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ValidateConfigError, createRuntime, defineRole, type StateChange } from '../../src/index.js';
import { recorder, silent } from '../helpers.js';

async function validateError(p: Promise<unknown>): Promise<ValidateConfigError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ValidateConfigError);
  expect((err as Error).name).toBe('ValidateConfigError');
  return err as ValidateConfigError;
}

/** `cache` with a schema, `storage` below it, `web` beside it; every callback recorded. */
function setup(cacheExtra: { validateConfig?: (conf: { ttl: number }, prev: { ttl: number } | undefined) => void } = {}) {
  const { calls, role } = recorder();
  const cache = defineRole({
    name: 'cache',
    dependencies: ['storage'],
    config: z.object({ ttl: z.number().int().positive().default(60) }),
    validateConfig: (conf, prev) => {
      calls.push(`validate:cache`);
      cacheExtra.validateConfig?.(conf, prev);
    },
    init: () => void calls.push('init:cache'),
    applyConfig: () => void calls.push('apply:cache'),
    stop: () => void calls.push('stop:cache'),
  });
  return { calls, roles: [role('storage'), cache, role('web')] };
}

describe('validate phase', () => {
  it('a schema error in one section rejects the whole document, naming the path, and runs nothing', async () => {
    const { calls, roles } = setup();
    const rt = await createRuntime({ roles, logger: silent });
    const err = await validateError(rt.applyConfig({ roles: ['cache', 'web'], config: { cache: { ttl: -1 } } }));
    expect(err.issues.map((i) => i.path)).toEqual(['config.cache.ttl']);
    expect(err.issues[0].message).toMatch(/>0|positive|greater/i);
    expect(err.message).toContain('config.cache.ttl');
    expect(rt.state).toBe('Unconfigured');
    expect(rt.error).toBeUndefined();
    expect(calls.filter((c) => !c.startsWith('validate:'))).toEqual([]);
    await rt.stop();
  });

  it('a rejected document leaves a configured runtime exactly as it was: no init, applyConfig or stop', async () => {
    const { calls, roles } = setup();
    const rt = await createRuntime({ roles, logger: silent });
    await rt.applyConfig({ roles: ['cache', 'web'], config: { cache: { ttl: 5 } } });
    const changes: StateChange[] = [];
    rt.subscribe((c) => changes.push(c));
    calls.length = 0;

    // Drops `web` (would stop it) and breaks `cache`.
    const err = await validateError(rt.applyConfig({ roles: ['cache'], config: { cache: { ttl: 1.5 } } }));
    expect(err.issues.map((i) => i.path)).toEqual(['config.cache.ttl']);
    expect(calls.every((c) => c.startsWith('validate:'))).toBe(true);
    expect(rt.state).toBe('RolesConfigured');
    expect(changes).toEqual([]);
    expect(rt.status().roles.map((r) => [r.name, r.running])).toEqual([
      ['storage', true],
      ['cache', true],
      ['web', true],
    ]);
    await rt.stop();
  });

  it('a validateConfig that throws rejects the document, naming the role section and the message', async () => {
    const { calls, roles } = setup({
      validateConfig: (conf) => {
        if (conf.ttl > 100) throw new Error('ttl must be at most 100');
      },
    });
    const rt = await createRuntime({ roles, logger: silent });
    const err = await validateError(rt.applyConfig({ roles: ['cache'], config: { cache: { ttl: 500 } } }));
    expect(err.issues).toEqual([{ path: 'config.cache', message: 'ttl must be at most 100' }]);
    expect(rt.state).toBe('Unconfigured');
    expect(calls).toEqual(['validate:storage', 'validate:cache']);
    await rt.stop();
  });

  it('a validateConfig that rejects (async) or throws a zod error is reported the same way, down to the key', async () => {
    const strict = z.object({ ttl: z.number().max(100) });
    const rt = await createRuntime({
      roles: [
        defineRole({ name: 'a', validateConfig: async () => Promise.reject(new Error('a says no')) }),
        defineRole({ name: 'cache', validateConfig: (conf) => void strict.parse(conf) }),
      ],
      logger: silent,
    });
    const err = await validateError(rt.applyConfig({ roles: ['a', 'cache'], config: { cache: { ttl: 500 } } }));
    expect(err.issues.map((i) => i.path)).toEqual(['config.a', 'config.cache.ttl']);
    expect(err.issues[0].message).toBe('a says no');
    expect(err.issues[1].message).not.toContain('[');
    expect(rt.state).toBe('Unconfigured');
    await rt.stop();
  });

  it('every validateConfig runs before any init, and every issue of the document is reported at once', async () => {
    const { calls, role } = recorder();
    const rt = await createRuntime({
      roles: [
        role('a', { validateConfig: () => { calls.push('validate:a'); throw new Error('bad a'); } }),
        role('b', { config: z.object({ n: z.number() }) }),
        role('c'),
      ],
      logger: silent,
    });
    const err = await validateError(rt.applyConfig({ roles: ['a', 'b', 'c'], config: { b: { n: 'x' } } }));
    expect(err.issues.map((i) => i.path)).toEqual(['config.a', 'config.b.n']);
    expect(calls).toEqual(['validate:a', 'validate:c']);
    await rt.stop();
  });

  it('enabling an unknown role is a ValidateConfigError', async () => {
    const { calls, roles } = setup();
    const rt = await createRuntime({ roles, logger: silent });
    const err = await validateError(rt.applyConfig({ roles: ['web', 'x'] }));
    // The path is where the name stands in the document: an index in a list, the key in a map.
    expect(err.issues).toEqual([{ path: 'roles.1', message: 'can not enable unknown role "x"' }]);
    const map = await validateError(rt.applyConfig({ roles: { web: true, y: true } }));
    expect(map.issues).toEqual([{ path: 'roles.y', message: 'can not enable unknown role "y"' }]);
    // Disabled in a map, an unknown name is not enabled, so not an error.
    await rt.applyConfig({ roles: { web: true, z: false } });
    expect(rt.state).toBe('RolesConfigured');
    expect(calls).toEqual(['validate:web', 'init:web', 'apply:web']);
    await rt.stop();
  });

  it('roles in the wrong place: a global role under a host, a host role at the top level, an unknown role under a host', async () => {
    const { calls, role } = recorder();
    const rt = await createRuntime({
      roles: [role('web'), role('site', { scope: 'host' }), role('muc', { scope: 'shared' })],
      logger: silent,
    });
    const err = await validateError(
      rt.applyConfig({
        roles: ['site'],
        hosts: { 'a.example.com': { roles: ['web', 'muc', 'x'] } },
      }),
    );
    expect(err.issues).toEqual([
      { path: 'roles.0', message: expect.stringContaining('"site"') },
      { path: 'hosts.a.example.com.roles.0', message: expect.stringContaining('"web"') },
      { path: 'hosts.a.example.com.roles.2', message: 'can not enable unknown role "x"' },
    ]);
    expect(calls).toEqual([]);
    expect(rt.state).toBe('Unconfigured');
    await rt.stop();
  });

  it('a document of the wrong shape is a ValidateConfigError with the offending key', async () => {
    const { calls, roles } = setup();
    const rt = await createRuntime({ roles, logger: silent });
    const err = await validateError(rt.applyConfig({ roles: 'web' }));
    expect(err.issues[0].path).toBe('roles');
    expect(calls).toEqual([]);
    await rt.stop();
  });

  it('rt.validateConfig is a dry run: only validateConfig callbacks run and nothing changes', async () => {
    const { calls, roles } = setup();
    const rt = await createRuntime({ roles, logger: silent });
    const changes: StateChange[] = [];
    rt.subscribe((c) => changes.push(c));
    await rt.validateConfig({ roles: ['cache', 'web'], config: { cache: { ttl: 3 } } });
    expect(calls).toEqual(['validate:storage', 'validate:cache', 'validate:web']);
    expect(rt.state).toBe('Unconfigured');
    expect(changes).toEqual([]);
    expect(rt.status().roles).toEqual([]);

    calls.length = 0;
    const err = await validateError(rt.validateConfig({ roles: ['cache'], config: { cache: { ttl: 0 } } }));
    expect(err.issues.map((i) => i.path)).toEqual(['config.cache.ttl']);
    // A section the schema refuses never reaches the role's validateConfig.
    expect(calls).toEqual(['validate:storage']);

    await rt.applyConfig({ roles: ['web'] });
    calls.length = 0;
    await rt.validateConfig({ roles: ['cache'] });
    expect(calls).toEqual(['validate:storage', 'validate:cache']);
    expect(rt.state).toBe('RolesConfigured');
    expect(rt.getEnabledRoles()).toEqual(['web']);
    await rt.stop();
  });

  it('validateConfig gets the parsed section (defaults applied) and, as prev, the section currently applied', async () => {
    const seen: [unknown, unknown][] = [];
    const { roles } = setup({ validateConfig: (conf, prev) => void seen.push([conf, prev]) });
    const rt = await createRuntime({ roles, logger: silent });

    await rt.applyConfig({ roles: ['cache'] });
    expect(seen).toEqual([[{ ttl: 60 }, undefined]]);

    await rt.applyConfig({ roles: ['cache'], config: { cache: { ttl: 10 } } });
    expect(seen[1]).toEqual([{ ttl: 10 }, { ttl: 60 }]);

    // A rejected document is not applied: prev stays the last applied section.
    await validateError(rt.applyConfig({ roles: ['cache', 'nope'], config: { cache: { ttl: 20 } } }));
    await rt.validateConfig({ roles: ['cache'], config: { cache: { ttl: 30 } } });
    expect(seen.at(-1)).toEqual([{ ttl: 30 }, { ttl: 10 }]);
    await rt.stop();
  });

  it('a missing section gets the schema defaults; a schema that needs keys still refuses it', async () => {
    const seen: unknown[] = [];
    const rt = await createRuntime({
      roles: [
        defineRole({ name: 'cache', config: z.object({ ttl: z.number().default(60) }), applyConfig: (c) => void seen.push(c) }),
        defineRole({ name: 'opt', config: z.string().optional(), applyConfig: (c) => void seen.push(c) }),
        defineRole({ name: 'auth', config: z.object({ secret: z.string() }) }),
      ],
      logger: silent,
    });
    await rt.applyConfig({ roles: ['cache', 'opt'] });
    expect(seen).toEqual([{ ttl: 60 }, undefined]);
    const err = await validateError(rt.applyConfig({ roles: ['auth'] }));
    expect(err.issues.map((i) => i.path)).toEqual(['config.auth']);
    await rt.stop();
  });

  it('init, applyConfig and ctx.config see the parsed section', async () => {
    const seen: unknown[] = [];
    const rt = await createRuntime({
      roles: [
        defineRole({
          name: 'cache',
          config: z.object({ ttl: z.number().default(60), name: z.string().default('c') }),
          init: (ctx) => void seen.push(['init', ctx.config]),
          applyConfig: (conf, ctx) => void seen.push(['apply', conf, ctx.config]),
        }),
      ],
      logger: silent,
    });
    await rt.applyConfig({ roles: ['cache'], config: { cache: { ttl: 1 } } });
    await rt.applyConfig({ roles: ['cache'], config: { cache: { ttl: 2 } } });
    expect(seen).toEqual([
      ['init', { ttl: 1, name: 'c' }],
      ['apply', { ttl: 1, name: 'c' }, { ttl: 1, name: 'c' }],
      ['apply', { ttl: 2, name: 'c' }, { ttl: 2, name: 'c' }],
    ]);
    await rt.stop();
  });
});
