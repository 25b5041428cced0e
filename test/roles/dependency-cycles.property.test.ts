/**
 * Property: a dependency graph with a cycle is always refused with
 * `Role "x" circular dependency prohibited`, and the roles the message names
 * really form a cycle of the graph; an acyclic one is always accepted.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RegisterRoleError, RoleRegistry, createRuntime, defineRole } from '../../src/index.js';
import { silent } from '../helpers.js';

/** deps[i]: indexes role i depends on (any direction, so cycles happen). */
type Graph = { deps: number[][]; order: number[] };

const name = (i: number) => `r${i}`;

function randomGraph(n: number, maxDeps: number): fc.Arbitrary<Graph> {
  const indexes = Array.from({ length: n }, (_, i) => i);
  return fc
    .record({
      raw: fc.array(fc.uniqueArray(fc.nat({ max: n - 1 }), { maxLength: maxDeps }), { minLength: n, maxLength: n }),
      order: fc.shuffledSubarray(indexes, { minLength: n, maxLength: n }),
    })
    .map(({ raw, order }) => ({ deps: raw, order }));
}

/** A graph that surely has a cycle: random edges plus a ring through some distinct roles. */
function cyclicGraph(n: number, maxDeps: number): fc.Arbitrary<Graph> {
  return fc
    .tuple(
      randomGraph(n, maxDeps),
      fc.uniqueArray(fc.nat({ max: n - 1 }), { minLength: 1, maxLength: Math.min(n, 8) }),
    )
    .map(([g, ring]) => {
      const deps = g.deps.map((d) => [...d]);
      ring.forEach((from, k) => {
        const to = ring[(k + 1) % ring.length];
        if (!deps[from].includes(to)) deps[from].push(to);
      });
      return { deps, order: g.order };
    });
}

function hasCycle(g: Graph): boolean {
  const state = new Map<number, 1 | 2>();
  const visit = (i: number): boolean => {
    if (state.get(i) === 1) return true;
    if (state.get(i) === 2) return false;
    state.set(i, 1);
    for (const d of g.deps[i]) if (visit(d)) return true;
    state.set(i, 2);
    return false;
  };
  return g.deps.some((_, i) => visit(i));
}

const rolesOf = (g: Graph) => g.order.map((i) => defineRole({ name: name(i), dependencies: g.deps[i].map(name) }));

/** The message names a closed path x -> ... -> x whose every step is a dependency edge. */
function expectRealCycle(err: unknown, g: Graph): void {
  expect(err).toBeInstanceOf(RegisterRoleError);
  const message = (err as Error).message;
  const m = /^Role "([^"]+)" circular dependency prohibited: (.+)$/.exec(message);
  expect(m, message).not.toBeNull();
  const path = m![2].split(' -> ');
  expect(path.length).toBeGreaterThanOrEqual(2);
  expect(path[0]).toBe(m![1]);
  expect(path.at(-1)).toBe(path[0]);
  // No role twice on the cycle, except where it closes.
  expect(new Set(path.slice(0, -1)).size).toBe(path.length - 1);
  const index = (n: string) => Number(n.slice(1));
  const notEdges: string[] = [];
  for (let k = 0; k + 1 < path.length; k++) {
    if (!g.deps[index(path[k])].includes(index(path[k + 1]))) notEdges.push(`${path[k]} -> ${path[k + 1]}`);
  }
  expect(notEdges, 'steps of the reported cycle that are not dependencies').toEqual([]);
}

function registerOutcome(g: Graph): unknown {
  try {
    new RoleRegistry(rolesOf(g));
    return undefined;
  } catch (err) {
    return err;
  }
}

describe('dependency cycles', () => {
  it('graphs with a cycle are refused, naming a real cycle (small graphs)', () => {
    fc.assert(
      fc.property(cyclicGraph(10, 3), (g) => expectRealCycle(registerOutcome(g), g)),
      { numRuns: 200 },
    );
  });

  it('any random graph is refused exactly when it has a cycle', () => {
    fc.assert(
      fc.property(randomGraph(8, 2), (g) => {
        const err = registerOutcome(g);
        if (hasCycle(g)) expectRealCycle(err, g);
        else expect(err).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });

  it('graphs of 1000 roles with a cycle are refused by createRuntime, naming a real cycle', async () => {
    await fc.assert(
      fc.asyncProperty(cyclicGraph(1000, 2), async (g) => {
        const err = await createRuntime({ roles: rolesOf(g), logger: silent }).then(
          () => undefined,
          (e: unknown) => e,
        );
        expectRealCycle(err, g);
      }),
      { numRuns: 20 },
    );
  });

  it('a ring of 100 000 roles is reported without overflowing the stack', () => {
    const n = 100_000;
    const g: Graph = { deps: Array.from({ length: n }, (_, i) => [(i + 1) % n]), order: Array.from({ length: n }, (_, i) => i) };
    expectRealCycle(registerOutcome(g), g);
  });
});
