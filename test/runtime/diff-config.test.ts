/**
 * rt.diffConfig(next, against?): what an apply would start, stop, re-apply
 * and leave alone, computed without any role code (no callback, no schema).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ValidateConfigError, createRuntime, defineRole, type ConfigDiff, type InstanceRef, type RoleDefinition, type Runtime } from '../../src/index.js';
import { silent } from '../helpers.js';
import { allTrapsThrow } from '../hostile.js';

const runtimes: Runtime[] = [];
afterEach(async () => {
  for (const rt of runtimes.splice(0)) await rt.stop();
});

let roleCode = 0;
const count = () => void roleCode++;
const role = (name: string, extra: Partial<RoleDefinition> = {}) =>
  defineRole({
    name,
    config: z.unknown().refine(() => (roleCode++, true)),
    validateConfig: count,
    init: count,
    applyConfig: count,
    stop: count,
    onApplyConfig: count,
    ...extra,
  } as RoleDefinition);

async function runtime() {
  const rt = await createRuntime({
    roles: [role('db'), role('site', { scope: 'host', dependencies: ['db'] }), role('muc', { scope: 'shared', addHost: count })],
    logger: silent,
  });
  runtimes.push(rt);
  return rt;
}

const refs = (d: ConfigDiff) =>
  Object.fromEntries(Object.entries(d).map(([k, list]: [string, InstanceRef[]]) => [k, list.map((r) => (r.host === undefined ? r.role : `${r.role}@${r.host}`))]));

const doc = (...names: string[]) => ({
  hosts: Object.fromEntries(names.map((h) => [h, { roles: ['site', 'muc'], config: { site: { title: h } } }])),
});

describe('rt.diffConfig', () => {
  it('with nothing applied: everything in next starts', async () => {
    const rt = await runtime();
    roleCode = 0;
    expect(refs(rt.diffConfig(doc('a', 'b')))).toEqual({
      start: ['db', 'site@a', 'site@b', 'muc', 'muc@a', 'muc@b'],
      stop: [],
      reapply: [],
      unchanged: [],
    });
    expect(roleCode).toBe(0);
  });

  it('against what runs: says what the next applyConfig starts, stops and applies, and runs no role code', async () => {
    const rt = await runtime();
    await rt.applyConfig(doc('a', 'b', 'c'));
    const next = doc('a', 'c', 'd');
    next.hosts.c!.config.site = { title: 'changed' };
    roleCode = 0;
    const predicted = refs(rt.diffConfig(next));
    expect(roleCode).toBe(0);
    expect(predicted).toEqual({
      start: ['site@d', 'muc@d'],
      stop: ['muc@b', 'site@b'],
      reapply: ['db', 'site@c', 'muc'],
      unchanged: ['site@a', 'muc@a', 'muc@c'],
    });

    let event: { started: string[]; stopped: string[]; applied: string[] } | undefined;
    const label = (r: { role: string; host?: string }) => (r.host === undefined ? r.role : `${r.role}@${r.host}`);
    rt.on('apply', (e) => void (event = { started: e.started.map(label), stopped: e.stopped.map(label), applied: e.applied.map(label) }));
    await rt.applyConfig(next);
    // The apply event names instances (a per-host part is part of its global instance there).
    expect(event).toEqual({ started: ['site@d'], stopped: ['site@b'], applied: ['db', 'site@c', 'site@d', 'muc'] });
  });

  it('against what runs: an instance whose init failed is in start again', async () => {
    let failing = true;
    const rt = await createRuntime({
      roles: [role('site', { scope: 'host', init: (ctx: { host?: string }) => void (failing && ctx.host === 'b' && (() => { throw new Error('no'); })()) })],
      logger: silent,
    });
    runtimes.push(rt);
    const d = { hosts: { a: { roles: ['site'] }, b: { roles: ['site'] } } };
    await expect(rt.applyConfig(d)).rejects.toThrow('init: no');
    expect(refs(rt.diffConfig(d))).toEqual({ start: ['site@b'], stop: [], reapply: [], unchanged: ['site@a'] });
    failing = false;
    await rt.applyConfig(d);
    expect(refs(rt.diffConfig(d))).toEqual({ start: [], stop: [], reapply: [], unchanged: ['site@a', 'site@b'] });
  });

  it('against a document: compares the two documents, whatever runs', async () => {
    const rt = await runtime();
    await rt.applyConfig(doc('x'));
    roleCode = 0;
    expect(refs(rt.diffConfig(doc('a', 'b'), doc('a')))).toEqual({
      start: ['site@b', 'muc@b'],
      stop: [],
      reapply: ['db', 'muc'],
      unchanged: ['site@a', 'muc@a'],
    });
    expect(roleCode).toBe(0);
  });

  it('throws the structural issues applyConfig gives, with the same paths, and runs no role code', async () => {
    const rt = await runtime();
    const bad = { roles: ['site', 'ghost'], hosts: { a: { roles: ['db'] } } };
    roleCode = 0;
    let thrown: unknown;
    try {
      rt.diffConfig(bad);
    } catch (err) {
      thrown = err;
    }
    expect(roleCode).toBe(0);
    expect(thrown).toBeInstanceOf(ValidateConfigError);
    const applied = await rt.applyConfig(bad).catch((e: unknown) => e);
    expect((thrown as ValidateConfigError).issues).toEqual((applied as ValidateConfigError).issues);
    expect((thrown as ValidateConfigError).issues.map((i) => i.path)).toEqual(['roles.0', 'roles.1', 'hosts.a.roles.0']);
  });

  it('throws the issues of `against` when next is valid and against is not', async () => {
    const rt = await runtime();
    expect(() => rt.diffConfig(doc('a'), { hosts: { a: { roles: ['nope'] } } })).toThrow(
      expect.objectContaining({ issues: [{ path: 'hosts.a.roles.0', message: 'can not enable unknown role "nope"' }] }),
    );
  });

  it('turns what is not a document, or can not be read, into a ValidateConfigError', async () => {
    const rt = await runtime();
    for (const bad of [null, 'x', [], allTrapsThrow(), { hosts: allTrapsThrow() }]) {
      expect(() => rt.diffConfig(bad)).toThrow(ValidateConfigError);
      expect(() => rt.diffConfig(doc('a'), bad)).toThrow(ValidateConfigError);
    }
  });
});
