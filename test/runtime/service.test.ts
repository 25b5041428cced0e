import { describe, expect, it } from 'vitest';
import { RoleUnavailableError, createRuntime, defineRole, type RoleContext } from '../../src/index.js';
import { silent } from '../helpers.js';

interface Store {
  get(k: string): string | undefined;
  set(k: string, v: string): void;
}

function storage() {
  return defineRole({
    name: 'storage',
    init(): Store {
      const data = new Map<string, string>();
      return { get: (k) => data.get(k), set: (k, v) => void data.set(k, v) };
    },
  });
}

describe('services between roles', () => {
  it("a role reaches a running role's service API through ctx.service, and the runtime through rt.service", async () => {
    const rt = await createRuntime({
      roles: [
        storage(),
        defineRole({
          name: 'cache',
          dependencies: ['storage'],
          init(ctx) {
            const store = ctx.service<Store>('storage');
            store.set('warm', 'yes');
            return { lookup: (k: string) => store.get(k) };
          },
        }),
      ],
      logger: silent,
    });
    await rt.applyConfig({ roles: ['cache'] });
    expect(rt.service<{ lookup(k: string): string | undefined }>('cache').lookup('warm')).toBe('yes');
    rt.service<Store>('storage').set('k', 'v');
    expect(rt.service<{ lookup(k: string): string | undefined }>('cache').lookup('k')).toBe('v');
    await rt.stop();
  });

  it('throws RoleUnavailableError for a role that is not enabled, not registered, failed to start, or stopped', async () => {
    let saved: RoleContext | undefined;
    const seen: unknown[] = [];
    const rt = await createRuntime({
      roles: [
        storage(),
        defineRole({ name: 'broken', init: () => { throw new Error('x'); } }),
        defineRole({
          name: 'user',
          init(ctx) {
            saved = ctx;
            for (const name of ['storage', 'nope', 'broken']) {
              try {
                ctx.service(name);
                seen.push([name, 'ok']);
              } catch (err) {
                seen.push([name, (err as Error).name, (err as Error).message]);
              }
            }
          },
        }),
      ],
      logger: silent,
    });
    await rt.applyConfig({ roles: ['user', 'broken'] }).catch(() => {});
    expect(seen).toEqual([
      ['storage', 'RoleUnavailableError', 'Role "storage" is not running'],
      ['nope', 'RoleUnavailableError', 'Role "nope" is not running'],
      ['broken', 'RoleUnavailableError', 'Role "broken" is not running'],
    ]);
    expect(() => rt.service('broken')).toThrow(RoleUnavailableError);

    await rt.applyConfig({ roles: ['user', 'storage'] });
    expect(saved!.service<Store>('storage')).toBeDefined();
    await rt.applyConfig({ roles: ['user'] });
    expect(() => saved!.service('storage')).toThrow(RoleUnavailableError);
    expect(() => rt.service('storage')).toThrow(RoleUnavailableError);
    await rt.stop();
    expect(() => rt.service('user')).toThrow(RoleUnavailableError);
  });

  it("a host's role gets the service of the same host's instance, and global services from any host", async () => {
    const seen: unknown[] = [];
    const rt = await createRuntime({
      roles: [
        storage(),
        defineRole({ name: 'auth', scope: 'host', init: (ctx) => ({ host: ctx.host }) }),
        defineRole({
          name: 'component',
          scope: 'host',
          dependencies: ['auth', 'storage'],
          init(ctx) {
            seen.push([ctx.host, ctx.service<{ host: string }>('auth').host, typeof ctx.service<Store>('storage').get]);
          },
        }),
      ],
      logger: silent,
    });
    await rt.applyConfig({
      hosts: { 'a.example.com': { roles: ['component'] }, 'b.example.com': { roles: ['component'] } },
    });
    expect(rt.state).toBe('RolesConfigured');
    expect(seen).toEqual([
      ['a.example.com', 'a.example.com', 'function'],
      ['b.example.com', 'b.example.com', 'function'],
    ]);
    await rt.stop();
  });
});

describe('rt.service with a host', () => {
  it("returns that host's instance of a host-scoped role", async () => {
    const muc = defineRole({ name: 'muc', scope: 'host', init: (ctx) => ({ host: ctx.host }) });
    const rt = await createRuntime({ roles: [muc], logger: silent });
    await rt.applyConfig({ hosts: { 'a.example.com': { roles: ['muc'] }, 'b.example.com': { roles: ['muc'] } } });
    expect(rt.service<{ host: string }>('muc', 'b.example.com').host).toBe('b.example.com');
    expect(() => rt.service('muc')).toThrow(RoleUnavailableError);
    await rt.stop();
  });

  it('refuses watch mode without reloadAllowed', async () => {
    await expect(createRuntime({ roles: [], watch: true, logger: silent })).rejects.toThrow('watch: true needs reloadAllowed: true');
  });
});
