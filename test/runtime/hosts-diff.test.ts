/**
 * The apply rule for hosts (docs/hosts.md), through rt.applyConfig: global
 * roles get every callback on every apply; a host instance or per-host part
 * whose host ran and whose effective section did not change gets none.
 * Callbacks are counted per (role, host) off the `callback` events, which
 * the one gate into role code emits for each call.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createRuntime, defineRole, type RoleDefinition, type Runtime } from '../../src/index.js';
import { silent } from '../helpers.js';
import { ROOT } from '../reload/harness.js';

const runtimes: Runtime[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const rt of runtimes.splice(0)) await rt.stop();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const noop = () => {};
const role = (name: string, extra: Partial<RoleDefinition> = {}) =>
  defineRole({ name, validateConfig: noop, init: noop, applyConfig: noop, stop: noop, onApplyConfig: noop, ...extra } as RoleDefinition);

/** `callback: role@host` for every callback of the next apply, sorted, and the apply event's lists. */
function counter(rt: Runtime) {
  let calls: string[] = [];
  let applied: string[] = [];
  rt.on('callback', (e) => void calls.push(`${e.callback}:${e.role}${e.host === undefined ? '' : `@${e.host}`}`));
  rt.on('apply', (e) => void (applied = e.applied.map((r) => (r.host === undefined ? r.role : `${r.role}@${r.host}`))));
  return {
    /** The callbacks made since the last take, sorted. */
    take() {
      const out = calls.sort();
      calls = [];
      return out;
    },
    applied: () => applied,
  };
}

type Hosts = Record<string, { roles: string[]; config?: Record<string, unknown> }>;

function hosts(n: number, extra: Hosts = {}): Hosts {
  const out: Hosts = {};
  for (let i = 0; i < n; i++) out[`h${i}.example.com`] = { roles: ['site', 'muc'], config: { site: { title: `site ${i}` } } };
  return { ...out, ...extra };
}

async function runtime(roles: ReturnType<typeof role>[]) {
  const rt = await createRuntime({ roles, logger: silent });
  runtimes.push(rt);
  return { rt, calls: counter(rt) };
}

const ROLES = () => [
  role('db'),
  role('auth', { scope: 'host' }),
  role('site', { scope: 'host', dependencies: ['auth', 'db'] }),
  role('muc', { scope: 'shared', addHost: noop }),
];

describe('re-applying a document with hosts', () => {
  it('adding one host to three runs that host\'s callbacks and the global roles\', nothing on the other hosts', async () => {
    const { rt, calls } = await runtime(ROLES());
    await rt.applyConfig({ hosts: hosts(3) });
    calls.take();

    await rt.applyConfig({ hosts: hosts(3, { 'new.example.com': { roles: ['site', 'muc'] } }) });
    expect(calls.take()).toEqual([
      'addHost:muc@new.example.com',
      'applyConfig:auth@new.example.com', 'applyConfig:db', 'applyConfig:muc', 'applyConfig:site@new.example.com',
      'init:auth@new.example.com', 'init:site@new.example.com',
      'onApplyConfig:auth@new.example.com', 'onApplyConfig:db', 'onApplyConfig:muc', 'onApplyConfig:site@new.example.com',
      'validateConfig:auth@new.example.com', 'validateConfig:db', 'validateConfig:muc', 'validateConfig:muc@new.example.com',
      'validateConfig:site@new.example.com',
    ]);
    // The apply event lists what got applyConfig: the unchanged hosts are not in it.
    expect(calls.applied()).toEqual(['db', 'auth@new.example.com', 'site@new.example.com', 'muc']);
    expect(rt.status().roles.filter((r) => !r.running)).toEqual([]);
  });

  it('the same document again: only the global roles run (Cartridge), every host instance and per-host part is left alone', async () => {
    const { rt, calls } = await runtime(ROLES());
    const doc = { hosts: hosts(3) };
    await rt.applyConfig(doc);
    calls.take();
    await rt.applyConfig(structuredClone(doc));
    expect(calls.take()).toEqual([
      'applyConfig:db', 'applyConfig:muc', 'onApplyConfig:db', 'onApplyConfig:muc', 'validateConfig:db', 'validateConfig:muc',
    ]);
    expect(calls.applied()).toEqual(['db', 'muc']);
    expect(rt.state).toBe('RolesConfigured');
  });

  it('a host whose section changed is re-applied alone; a removed host stops alone', async () => {
    const { rt, calls } = await runtime(ROLES());
    const doc = { hosts: hosts(3) };
    await rt.applyConfig(doc);
    calls.take();
    const next = structuredClone(doc);
    next.hosts['h1.example.com']!.config = { site: { title: 'renamed' } };
    delete next.hosts['h2.example.com'];
    await rt.applyConfig(next);
    expect(calls.take()).toEqual([
      'applyConfig:db', 'applyConfig:muc', 'applyConfig:site@h1.example.com',
      'onApplyConfig:db', 'onApplyConfig:muc', 'onApplyConfig:site@h1.example.com',
      'stop:auth@h2.example.com', 'stop:site@h2.example.com',
      'validateConfig:db', 'validateConfig:muc', 'validateConfig:site@h1.example.com',
    ]);
    expect(rt.service('site', 'h1.example.com')).toBeUndefined();
  });

  it('a changed top-level section re-applies the host instances that inherit it, and the per-host parts that do', async () => {
    const { rt, calls } = await runtime(ROLES());
    const doc = {
      config: { auth: { mode: 'a' }, muc: { rooms: 1 } },
      hosts: hosts(2, { 'own.example.com': { roles: ['site', 'muc'], config: { auth: { mode: 'own' }, muc: { rooms: 9 } } } }),
    };
    await rt.applyConfig(doc);
    calls.take();
    await rt.applyConfig({ ...doc, config: { auth: { mode: 'b' }, muc: { rooms: 2 } } });
    expect(calls.take().filter((c) => c.includes('@'))).toEqual([
      'applyConfig:auth@h0.example.com', 'applyConfig:auth@h1.example.com',
      'onApplyConfig:auth@h0.example.com', 'onApplyConfig:auth@h1.example.com',
      'validateConfig:auth@h0.example.com', 'validateConfig:auth@h1.example.com',
      'validateConfig:muc@h0.example.com', 'validateConfig:muc@h1.example.com',
    ]);
  });

  it('sees a change the caller made to its own document object in place', async () => {
    const { rt, calls } = await runtime(ROLES());
    const doc = { hosts: hosts(2) };
    await rt.applyConfig(doc);
    calls.take();
    (doc.hosts['h0.example.com']!.config!.site as { title: string }).title = 'changed in place';
    await rt.applyConfig(doc);
    expect(calls.take().filter((c) => c.includes('@'))).toEqual([
      'applyConfig:site@h0.example.com', 'onApplyConfig:site@h0.example.com', 'validateConfig:site@h0.example.com',
    ]);
  });

  it('sees an inherited top-level section changed in place, on every host that inherits it', async () => {
    const { rt, calls } = await runtime(ROLES());
    const doc = { config: { auth: { realm: 'a' } }, hosts: hosts(3) };
    await rt.applyConfig(doc);
    await rt.applyConfig(doc); // compares each host's copy with the caller's object once: equal
    calls.take();
    // The hosts share one copy of what they inherited; a change to the caller's object must still show on each.
    doc.config.auth.realm = 'b';
    await rt.applyConfig(doc);
    expect(calls.take().filter((c) => c.startsWith('applyConfig:auth@'))).toEqual([
      'applyConfig:auth@h0.example.com', 'applyConfig:auth@h1.example.com', 'applyConfig:auth@h2.example.com',
    ]);
    await rt.applyConfig(doc);
    expect(calls.take().filter((c) => c.startsWith('applyConfig:auth@'))).toEqual([]);
  });

  it('keeps the parsed section and ctx.config of an instance it leaves alone', async () => {
    const seen: unknown[] = [];
    const { rt } = await runtime([
      role('site', {
        scope: 'host',
        init: (ctx: { config: unknown }) => ({ ctx }),
        applyConfig: (conf: unknown) => void seen.push(conf),
      }),
    ]);
    await rt.applyConfig({ hosts: { a: { roles: ['site'], config: { site: { x: 1 } } } } });
    await rt.applyConfig({ hosts: { a: { roles: ['site'], config: { site: { x: 1 } } }, b: { roles: ['site'] } } });
    expect(seen).toEqual([{ x: 1 }, undefined]);
    expect(rt.service<{ ctx: { config: unknown } }>('site', 'a').ctx.config).toEqual({ x: 1 });
  });
});

describe('what is retried although its section did not change', () => {
  it('an instance whose init failed starts again on the next apply; the hosts that ran are left alone', async () => {
    let failing = true;
    const { rt, calls } = await runtime([
      role('site', {
        scope: 'host',
        init: (ctx: { host?: string }) => {
          if (failing && ctx.host === 'b') throw new Error('no');
        },
      }),
    ]);
    const doc = { hosts: { a: { roles: ['site'] }, b: { roles: ['site'] } } };
    await expect(rt.applyConfig(doc)).rejects.toThrow('init: no');
    calls.take();
    failing = false;
    await rt.applyConfig(doc);
    expect(calls.take()).toEqual(['applyConfig:site@b', 'init:site@b', 'onApplyConfig:site@b', 'validateConfig:site@b']);
    expect(rt.state).toBe('RolesConfigured');
  });

  it('an instance whose applyConfig failed is re-applied on the next apply', async () => {
    let failing = true;
    const { rt, calls } = await runtime([
      role('site', {
        scope: 'host',
        applyConfig: (_conf: unknown, ctx: { host?: string }) => {
          if (failing && ctx.host === 'b') throw new Error('no');
        },
      }),
    ]);
    const doc = { hosts: { a: { roles: ['site'] }, b: { roles: ['site'] } } };
    await expect(rt.applyConfig(doc)).rejects.toThrow('applyConfig: no');
    calls.take();
    failing = false;
    await rt.applyConfig(doc);
    expect(calls.take()).toEqual(['applyConfig:site@b', 'onApplyConfig:site@b', 'validateConfig:site@b']);
    expect(rt.status().roles.map((r) => [r.host, r.status.type])).toEqual([['a', 'ok'], ['b', 'ok']]);
  });

  it('an instance skipped because a dependency did not start is brought up once the dependency runs', async () => {
    let failing = true;
    const { rt, calls } = await runtime([
      role('auth', {
        scope: 'host',
        init: (ctx: { host?: string }) => {
          if (failing && ctx.host === 'b') throw new Error('no');
        },
      }),
      role('site', { scope: 'host', dependencies: ['auth'] }),
    ]);
    const doc = { hosts: { a: { roles: ['site'] }, b: { roles: ['site'] } } };
    await expect(rt.applyConfig(doc)).rejects.toThrow('init: no');
    calls.take();
    failing = false;
    await rt.applyConfig(doc);
    expect(calls.take()).toEqual([
      'applyConfig:auth@b', 'applyConfig:site@b', 'init:auth@b', 'init:site@b',
      'onApplyConfig:auth@b', 'onApplyConfig:site@b', 'validateConfig:auth@b', 'validateConfig:site@b',
    ]);
  });

  it('a shared role whose addHost failed for a host gets addHost for it again, not for the others', async () => {
    let failing = true;
    const { rt, calls } = await runtime([
      role('muc', {
        scope: 'shared',
        addHost: (hostCtx: { host?: string }) => {
          if (failing && hostCtx.host === 'b') throw new Error('no');
        },
      }),
    ]);
    const doc = { hosts: { a: { roles: ['muc'] }, b: { roles: ['muc'] } } };
    await expect(rt.applyConfig(doc)).rejects.toThrow('addHost');
    calls.take();
    failing = false;
    await rt.applyConfig(doc);
    expect(calls.take()).toEqual(['addHost:muc@b', 'applyConfig:muc', 'onApplyConfig:muc', 'validateConfig:muc', 'validateConfig:muc@b']);
  });
});

describe('after a code reload', () => {
  it('the reloaded role restarts on every host; the next plain apply of the same document leaves every host alone', async () => {
    mkdirSync(join(ROOT, '.tmp'), { recursive: true });
    const dir = mkdtempSync(join(ROOT, '.tmp', 'hosts-diff-'));
    dirs.push(dir);
    const file = join(dir, 'site.mjs');
    const source = (v: number) =>
      `export default { name: 'site', scope: 'host', validateConfig() {}, init() { return ${v}; }, applyConfig() {}, stop() {} };\n`;
    writeFileSync(file, source(1));
    const rt = await createRuntime({ roles: [file, role('auth', { scope: 'host' })], reloadAllowed: true, logger: silent });
    runtimes.push(rt);
    const calls = counter(rt);
    const doc = { hosts: { a: { roles: ['site', 'auth'] }, b: { roles: ['site', 'auth'] } } };
    await rt.applyConfig(doc);
    calls.take();

    writeFileSync(file, source(2));
    await rt.reload();
    expect(calls.take().filter((c) => c.includes('site'))).toEqual([
      'applyConfig:site@a', 'applyConfig:site@b', 'init:site@a', 'init:site@b',
      'stop:site@a', 'stop:site@b', 'validateConfig:site@a', 'validateConfig:site@b',
    ]);
    expect(rt.service('site', 'b')).toBe(2);

    await rt.applyConfig(doc);
    expect(calls.take()).toEqual([]);
  });
});
