/**
 * Property: whatever the dependency graph and registration order, roles start
 * (init) in a topological order of the graph and stop in exactly the reverse.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRuntime, defineRole } from '../../src/index.js';
import { silent } from '../helpers.js';

interface Dag {
  /** deps[i]: indexes (all lower than i) that role i depends on. */
  deps: number[][];
  /** Registration order: a permutation of the indexes. */
  order: number[];
  /** Indexes listed in the document. */
  roots: number[];
}

/** A random DAG on n roles: edges only from a higher index to a lower one. */
function dag(n: number, maxDeps: number): fc.Arbitrary<Dag> {
  const indexes = Array.from({ length: n }, (_, i) => i);
  return fc
    .record({
      raw: fc.array(fc.array(fc.nat(), { maxLength: maxDeps }), { minLength: n, maxLength: n }),
      order: fc.shuffledSubarray(indexes, { minLength: n, maxLength: n }),
      roots: fc.uniqueArray(fc.nat({ max: n - 1 }), { minLength: 1, maxLength: Math.max(1, Math.ceil(n / 4)) }),
    })
    .map(({ raw, order, roots }) => ({
      deps: raw.map((ds, i) => (i === 0 ? [] : [...new Set(ds.map((d) => d % i))])),
      order,
      roots,
    }));
}

const name = (i: number) => `r${i}`;

/** Every role reachable from the roots through dependencies. */
function enabledSet(g: Dag): Set<number> {
  const seen = new Set<number>();
  const stack = [...g.roots];
  while (stack.length > 0) {
    const i = stack.pop()!;
    if (seen.has(i)) continue;
    seen.add(i);
    stack.push(...g.deps[i]);
  }
  return seen;
}

async function checkStartStopOrder(g: Dag): Promise<void> {
  const validated: string[] = [];
  const inits: string[] = [];
  const stops: string[] = [];
  const applied: string[] = [];
  const roles = g.order.map((i) =>
    defineRole({
      name: name(i),
      dependencies: g.deps[i].map(name),
      validateConfig: () => void validated.push(name(i)),
      init: () => void inits.push(name(i)),
      applyConfig: () => void applied.push(name(i)),
      stop: () => void stops.push(name(i)),
    }),
  );
  const rt = await createRuntime({ roles, logger: silent });
  await rt.applyConfig({ roles: g.roots.map(name) });
  expect(rt.state).toBe('RolesConfigured');

  const enabled = [...enabledSet(g)].map(name).sort();
  expect([...validated].sort()).toEqual(enabled);
  expect([...inits].sort()).toEqual(enabled);
  // init then applyConfig per role, so both follow the same order.
  expect(applied).toEqual(inits);

  const pos = new Map(inits.map((n, k) => [n, k]));
  for (const i of enabledSet(g)) {
    for (const d of g.deps[i]) {
      if (pos.get(name(d))! >= pos.get(name(i))!) {
        throw new Error(`${name(i)} started before its dependency ${name(d)}`);
      }
    }
  }

  await rt.stop();
  expect(rt.state).toBe('Stopped');
  expect(stops).toEqual([...inits].reverse());
}

describe('start and stop order over random dependency graphs', () => {
  it('small graphs: init in a topological order, stop in its reverse', async () => {
    await fc.assert(fc.asyncProperty(dag(12, 3), checkStartStopOrder), { numRuns: 200 });
  });

  it('1000 roles: init in a topological order, stop in its reverse', async () => {
    await fc.assert(fc.asyncProperty(dag(1000, 4), checkStartStopOrder), { numRuns: 20 });
  });

  it('a 1000-role chain registered in reverse starts from its end', async () => {
    const n = 1000;
    const g: Dag = {
      deps: Array.from({ length: n }, (_, i) => (i === 0 ? [] : [i - 1])),
      order: Array.from({ length: n }, (_, i) => n - 1 - i),
      roots: [n - 1],
    };
    await checkStartStopOrder(g);
  });
});
