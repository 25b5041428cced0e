/**
 * The pure part of the validate phase: resolving a document into instances,
 * and diffing two resolutions (or a resolution against a running state).
 * Every role here counts its callbacks and its schema counts its parses, to
 * prove that none of them runs.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { RoleRegistry, ValidateConfigError, createRuntime, defineRole, type RoleDefinition } from '../../src/index.js';
import { resolveDocument } from '../../src/engine/resolve.js';
import { appliedOf, diffDocuments, diffResolution, type AppliedInstance, type AppliedState } from '../../src/engine/diff.js';
import { silent } from '../helpers.js';

function counted() {
  let calls = 0;
  const count = () => void calls++;
  const schema = z.unknown().refine(() => (calls++, true));
  const role = (name: string, extra: Partial<RoleDefinition> = {}) =>
    defineRole({
      name,
      config: schema,
      validateConfig: count,
      init: count,
      applyConfig: count,
      addHost: extra.scope === 'shared' ? count : undefined,
      stop: count,
      onApplyConfig: count,
      ...extra,
    } as RoleDefinition);
  const registry = new RoleRegistry([
    role('db'),
    role('auth', { scope: 'host' }),
    role('site', { scope: 'host', dependencies: ['auth', 'db'] }),
    role('muc', { scope: 'shared' }),
    role('api', { dependencies: ['db'] }),
  ]);
  return { registry, calls: () => calls, role };
}

const refs = (list: { role: string; host?: string }[]) => list.map((r) => (r.host === undefined ? r.role : `${r.role}@${r.host}`));

describe('resolveDocument', () => {
  it('lists instances in dependency order with their effective section and its document path, running nothing', () => {
    const { registry, calls } = counted();
    const r = resolveDocument(
      {
        roles: ['api'],
        config: { auth: { mode: 'top' }, muc: { rooms: 1 } },
        hosts: {
          'a.example.com': { roles: ['site', 'muc'], config: { auth: { mode: 'a' } } },
          'b.example.com': { roles: ['site'] },
        },
      },
      registry,
    );
    expect(r.instances.map((i) => [i.role.name, i.host, i.section.path, i.section.raw])).toEqual([
      ['db', undefined, 'config.db', undefined],
      ['auth', 'a.example.com', 'hosts.a.example.com.config.auth', { mode: 'a' }],
      ['auth', 'b.example.com', 'config.auth', { mode: 'top' }],
      ['site', 'a.example.com', 'config.site', undefined],
      ['site', 'b.example.com', 'config.site', undefined],
      ['muc', undefined, 'config.muc', { rooms: 1 }],
      ['api', undefined, 'config.api', undefined],
    ]);
    const muc = r.instances.find((i) => i.role.name === 'muc')!;
    expect([...muc.parts].map(([h, s]) => [h, s.path, s.raw])).toEqual([['a.example.com', 'config.muc', { rooms: 1 }]]);
    expect(calls()).toBe(0);
  });

  it('reports the structural issues, with the paths applyConfig gives, and no other', async () => {
    const { registry, calls } = counted();
    const doc = {
      roles: ['nope', 'auth'],
      config: { db: 'not checked here' },
      hosts: { 'a.example.com': { roles: ['db', 'ghost'] } },
    };
    const err = (() => {
      try {
        resolveDocument(doc, registry);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ValidateConfigError);
    const issues = (err as ValidateConfigError).issues;
    expect(issues.map((i) => i.path)).toEqual(['roles.0', 'roles.1', 'hosts.a.example.com.roles.0', 'hosts.a.example.com.roles.1']);
    expect(calls()).toBe(0);

    const rt = await createRuntime({ roles: [...registry.roles], logger: silent });
    await expect(rt.applyConfig(doc)).rejects.toMatchObject({ issues });
    await rt.stop();
  });

  it('refuses what is not a document the way applyConfig does', () => {
    const { registry } = counted();
    for (const bad of [null, undefined, 'x', [], new Map()]) {
      expect(() => resolveDocument(bad, registry)).toThrow(ValidateConfigError);
    }
  });
});

interface Doc {
  roles?: string[];
  config: Record<string, unknown>;
  hosts: Record<string, { roles: string[]; config?: Record<string, unknown> }>;
}

describe('diffDocuments', () => {
  const base: Doc = {
    roles: ['api'],
    config: { auth: { mode: 'top' } },
    hosts: {
      'a.example.com': { roles: ['site'], config: { site: { title: 'A', tags: [1, 2] } } },
      'b.example.com': { roles: ['site'] },
    },
  };

  it('an identical document: every global instance re-applied, every host instance unchanged', () => {
    const { registry, calls } = counted();
    const d = diffDocuments(structuredClone(base), base, registry);
    expect(refs(d.start)).toEqual([]);
    expect(refs(d.stop)).toEqual([]);
    expect(refs(d.reapply)).toEqual(['db', 'api']);
    expect(refs(d.unchanged)).toEqual(['auth@a.example.com', 'auth@b.example.com', 'site@a.example.com', 'site@b.example.com']);
    expect(calls()).toBe(0);
  });

  it('a host added and a host removed: that host starts, the other stops dependents first, the rest is left alone', () => {
    const { registry, calls } = counted();
    const next: Doc = { ...base, hosts: { 'a.example.com': base.hosts['a.example.com']!, 'c.example.com': { roles: ['site'] } } };
    const d = diffDocuments(next, base, registry);
    expect(refs(d.start)).toEqual(['auth@c.example.com', 'site@c.example.com']);
    expect(refs(d.stop)).toEqual(['site@b.example.com', 'auth@b.example.com']);
    expect(refs(d.reapply)).toEqual(['db', 'api']);
    expect(refs(d.unchanged)).toEqual(['auth@a.example.com', 'site@a.example.com']);
    expect(calls()).toBe(0);
  });

  it('a changed host section re-applies that instance; key order does not count as a change', () => {
    const { registry } = counted();
    const next = structuredClone(base);
    next.hosts['a.example.com']!.config = { site: { tags: [1, 2], title: 'A' } };
    expect(refs(diffDocuments(next, base, registry).reapply)).toEqual(['db', 'api']);
    next.hosts['a.example.com']!.config = { site: { tags: [2, 1], title: 'A' } };
    expect(refs(diffDocuments(next, base, registry).reapply)).toEqual(['db', 'site@a.example.com', 'api']);
  });

  it('a changed top-level section re-applies the hosts that inherit it, not those with their own', () => {
    const { registry } = counted();
    const withOwn = structuredClone(base);
    withOwn.hosts['a.example.com']!.config = { ...withOwn.hosts['a.example.com']!.config, auth: { mode: 'own' } };
    const next = structuredClone(withOwn);
    next.config.auth = { mode: 'changed' };
    const d = diffDocuments(next, withOwn, registry);
    expect(refs(d.reapply)).toEqual(['db', 'auth@b.example.com', 'api']);
    expect(refs(d.unchanged)).toEqual(['auth@a.example.com', 'site@a.example.com', 'site@b.example.com']);
  });

  it('a host section that moves from inherited to its own, equal value, is unchanged: the effective section counts', () => {
    const { registry } = counted();
    const next = structuredClone(base);
    next.hosts['b.example.com']!.config = { auth: { mode: 'top' } };
    expect(refs(diffDocuments(next, base, registry).unchanged)).toContain('auth@b.example.com');
  });

  it('a shared role: the global instance is re-applied, each per-host part started, left alone, re-applied or stopped', () => {
    const { registry, calls } = counted();
    const before = {
      config: { muc: { rooms: 1 } },
      hosts: {
        'a.example.com': { roles: ['muc'] },
        'b.example.com': { roles: ['muc'], config: { muc: { rooms: 2 } } },
        'c.example.com': { roles: ['muc'] },
      },
    };
    const next = {
      config: { muc: { rooms: 1 } },
      hosts: {
        'a.example.com': { roles: ['muc'] },
        'b.example.com': { roles: ['muc'], config: { muc: { rooms: 3 } } },
        'd.example.com': { roles: ['muc'] },
      },
    };
    const d = diffDocuments(next, before, registry);
    expect(refs(d.start)).toEqual(['muc@d.example.com']);
    expect(refs(d.stop)).toEqual(['muc@c.example.com']);
    expect(refs(d.reapply)).toEqual(['muc', 'muc@b.example.com']);
    expect(refs(d.unchanged)).toEqual(['muc@a.example.com']);
    expect(calls()).toBe(0);
  });

  it('from nothing everything starts; to nothing everything stops', () => {
    const { registry } = counted();
    expect(refs(diffDocuments(base, {}, registry).start)).toEqual([
      'db', 'auth@a.example.com', 'auth@b.example.com', 'site@a.example.com', 'site@b.example.com', 'api',
    ]);
    expect(refs(diffDocuments({}, base, registry).stop)).toEqual([
      'api', 'site@b.example.com', 'site@a.example.com', 'auth@b.example.com', 'auth@a.example.com', 'db',
    ]);
  });

  it('an unreadable section counts as changed, and throws nothing', () => {
    const { registry } = counted();
    const hostile = () => Object.defineProperty({}, 'x', { enumerable: true, get: () => { throw new Error('getter'); } });
    const withHostile = () => {
      const doc = structuredClone(base);
      doc.hosts['b.example.com']!.config = { site: hostile() };
      return doc;
    };
    expect(refs(diffDocuments(withHostile(), withHostile(), registry).reapply)).toEqual(['db', 'site@b.example.com', 'api']);
  });
});

describe('diffResolution against a running state', () => {
  /** A running state: `base` applied, then `edit` on it (an init that failed, an apply that did not complete). */
  function state(doc: unknown, registry: RoleRegistry, edit: (byId: Map<string, AppliedInstance>) => void): AppliedState {
    const applied = appliedOf(resolveDocument(doc, registry));
    const byId = new Map<string, AppliedInstance>([...applied.stopOrder()].reverse().map((i) => [i.id, i]));
    edit(byId);
    return { get: (id) => byId.get(id), stopOrder: () => [...byId.values()].reverse() };
  }
  const doc = { roles: ['api'], hosts: { 'a.example.com': { roles: ['site'] }, 'b.example.com': { roles: ['site'] } } };

  it('an instance that is enabled but not running (its init failed) starts again', () => {
    const { registry } = counted();
    const running = state(doc, registry, (byId) => byId.delete('h 4 site a.example.com'));
    const d = diffResolution(resolveDocument(doc, registry), running);
    expect(refs(d.start)).toEqual(['site@a.example.com']);
    expect(refs(d.unchanged)).toEqual(['auth@a.example.com', 'auth@b.example.com', 'site@b.example.com']);
  });

  it('a host instance whose last apply did not complete is re-applied', () => {
    const { registry } = counted();
    const running = state(doc, registry, (byId) => {
      byId.set('h 4 auth b.example.com', { ...byId.get('h 4 auth b.example.com')!, applied: undefined });
    });
    const d = diffResolution(resolveDocument(doc, registry), running);
    expect(refs(d.reapply)).toEqual(['db', 'auth@b.example.com', 'api']);
  });

  it('a host instance whose dependency starts is re-applied, on its own host only (host dependency) or everywhere (global one)', () => {
    const { registry } = counted();
    const noAuthA = state(doc, registry, (byId) => byId.delete('h 4 auth a.example.com'));
    let d = diffResolution(resolveDocument(doc, registry), noAuthA);
    expect(refs(d.start)).toEqual(['auth@a.example.com']);
    expect(refs(d.reapply)).toEqual(['db', 'site@a.example.com', 'api']);
    expect(refs(d.unchanged)).toEqual(['auth@b.example.com', 'site@b.example.com']);

    const noDb = state(doc, registry, (byId) => byId.delete('g db'));
    d = diffResolution(resolveDocument(doc, registry), noDb);
    expect(refs(d.start)).toEqual(['db']);
    expect(refs(d.reapply)).toEqual(['site@a.example.com', 'site@b.example.com', 'api']);
    expect(refs(d.unchanged)).toEqual(['auth@a.example.com', 'auth@b.example.com']);
  });

  it('an instance running another version of its role (after a code reload) stops and starts', () => {
    const { registry, role } = counted();
    const reloaded = new RoleRegistry(registry.roles.map((r) => (r.name === 'auth' ? role('auth', { scope: 'host' }) : r)));
    const running = state(doc, registry, () => {});
    const d = diffResolution(resolveDocument(doc, reloaded), running);
    expect(refs(d.start)).toEqual(['auth@a.example.com', 'auth@b.example.com']);
    expect(refs(d.stop)).toEqual(['auth@b.example.com', 'auth@a.example.com']);
    // Their dependents see a new dependency start: re-applied.
    expect(refs(d.reapply)).toEqual(['db', 'site@a.example.com', 'site@b.example.com', 'api']);
  });
});
