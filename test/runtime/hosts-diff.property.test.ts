/**
 * The apply diff as a property: for random documents A and B over one
 * registry of global, host-scoped and shared roles (with dependencies across
 * scopes), applying B after A runs the same (role, host) instances as
 * applying B in a fresh runtime; the A→B apply starts exactly B∖A and stops
 * exactly A∖B; and an instance in both whose effective section is the same
 * gets no callback at all.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRuntime, defineRole, type RoleDefinition } from '../../src/index.js';
import { silent } from '../helpers.js';

const GLOBAL = ['g1', 'g2'];
const HOST = ['h1', 'h2'];
const SHARED = ['s1', 's2'];
const HOSTS = ['a.example.com', 'b.example.com', 'c.example.com', 'd.example.com'];

interface Doc {
  roles: string[];
  config: Record<string, unknown>;
  hosts: Record<string, { roles: string[]; config: Record<string, unknown> }>;
}

/** Few distinct values, so that sections are often equal and often not; fresh objects each time. */
const section = fc.oneof(fc.constant(undefined), fc.constantFrom(1, 2), fc.constantFrom('x', 'y').map((v) => ({ v, list: [v] })));
const sections = (names: string[]) =>
  fc.record(Object.fromEntries(names.map((n) => [n, section])) as Record<string, typeof section>).map((r) =>
    Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)),
  );
const doc: fc.Arbitrary<Doc> = fc.record({
  roles: fc.subarray([...GLOBAL, ...SHARED]),
  config: sections([...GLOBAL, ...HOST, ...SHARED]),
  hosts: fc
    .subarray(HOSTS)
    .chain((hosts) =>
      fc.tuple(...hosts.map(() => fc.record({ roles: fc.subarray([...HOST, ...SHARED]), config: sections([...HOST, ...SHARED]) })))
        .map((parts) => Object.fromEntries(hosts.map((h, i) => [h, parts[i]!]))),
    ),
});

/** A runtime whose roles record every callback as `callback role@host`, and the set of what runs. */
async function recordingRuntime() {
  const calls: string[] = [];
  const running = new Set<string>();
  const at = (name: string, host: string | undefined) => (host === undefined ? name : `${name}@${host}`);
  const role = (name: string, extra: Partial<RoleDefinition>) =>
    defineRole({
      name,
      validateConfig: () => void calls.push(`validateConfig ${name}`),
      init: (ctx) => {
        calls.push(`init ${at(name, ctx.host)}`);
        running.add(at(name, ctx.host));
      },
      applyConfig: (_conf, ctx) => void calls.push(`applyConfig ${at(name, ctx.host)}`),
      stop: (ctx) => {
        calls.push(`stop ${at(name, ctx.host)}`);
        running.delete(at(name, ctx.host));
      },
      ...extra,
    } as RoleDefinition);
  const shared = (name: string, dependencies: string[]) =>
    role(name, {
      scope: 'shared',
      dependencies,
      addHost: (hostCtx) => {
        calls.push(`init ${at(name, hostCtx.host)}`);
        running.add(at(name, hostCtx.host));
        hostCtx.onDispose(() => {
          calls.push(`stop ${at(name, hostCtx.host)}`);
          running.delete(at(name, hostCtx.host));
        });
      },
    });
  const rt = await createRuntime({
    roles: [
      role('g1', {}),
      role('g2', { dependencies: ['g1'] }),
      shared('s1', []),
      shared('s2', ['g2']),
      role('h1', { scope: 'host' }),
      role('h2', { scope: 'host', dependencies: ['h1', 's1'] }),
    ],
    logger: silent,
  });
  return { rt, calls, running };
}

/** Host instances and per-host parts a document runs, with their effective section (JSON, for equality). */
function hostInstances(d: Doc): Map<string, string> {
  const out = new Map<string, string>();
  for (const [host, part] of Object.entries(d.hosts)) {
    const names = new Set(part.roles);
    if (names.has('h2')) names.add('h1');
    for (const name of names) out.set(`${name}@${host}`, JSON.stringify(part.config[name] ?? d.config[name] ?? null));
  }
  return out;
}

const keysOf = (list: string[], prefix: string) => new Set(list.filter((c) => c.startsWith(prefix)).map((c) => c.slice(prefix.length)));
const minus = (a: Set<string>, b: Set<string>) => new Set([...a].filter((x) => !b.has(x)));

describe('applying B after A', () => {
  it('runs what B alone runs, starts B∖A, stops A∖B, and leaves unchanged host instances without any callback', async () => {
    await fc.assert(
      fc.asyncProperty(doc, doc, async (a, b) => {
        const fresh = await recordingRuntime();
        await fresh.rt.applyConfig(structuredClone(b));
        const fromScratch = new Set(fresh.running);
        await fresh.rt.stop();

        const { rt, calls, running } = await recordingRuntime();
        await rt.applyConfig(structuredClone(a));
        const before = new Set(running);
        calls.length = 0;
        await rt.applyConfig(structuredClone(b));
        expect(rt.state).toBe('RolesConfigured');
        const applying = [...calls];
        const after = new Set(running);
        const statusRunning = new Set(rt.status().roles.filter((r) => r.running).map((r) => (r.host === undefined ? r.name : `${r.name}@${r.host}`)));
        await rt.stop();

        expect([...after].sort()).toEqual([...fromScratch].sort());
        expect([...statusRunning].every((k) => after.has(k))).toBe(true);
        expect([...keysOf(applying, 'init ')].sort()).toEqual([...minus(after, before)].sort());
        expect([...keysOf(applying, 'stop ')].sort()).toEqual([...minus(before, after)].sort());

        const inA = hostInstances(a);
        for (const [key, effective] of hostInstances(b)) {
          if (inA.get(key) !== effective) continue;
          expect(applying.filter((c) => c.endsWith(` ${key}`))).toEqual([]);
        }
      }),
      { numRuns: 100 },
    );
  });
});

