/**
 * Ordering and cycle finding over role dependencies, linear in roles plus
 * edges, iterative so that a 100 000-role chain cannot overflow the stack.
 * @module
 */

export interface DependencyGraph {
  /** Names in registration order. */
  names: readonly string[];
  dependenciesOf(name: string): readonly string[];
}

/**
 * Depth-first post-order from each name in registration order: every role
 * comes after its dependencies, and otherwise registration order is kept.
 * Returns the order, or the first cycle found as a closed path (`a, b, a`).
 */
export function orderByDependencies(graph: DependencyGraph): { order: string[] } | { cycle: string[] } {
  const state = new Map<string, 1 | 2>(); // 1: on the current path, 2: done
  const order: string[] = [];
  for (const root of graph.names) {
    if (state.has(root)) continue;
    // Explicit stack of [name, index of next dependency to visit].
    const stack: [string, number][] = [[root, 0]];
    state.set(root, 1);
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const deps = graph.dependenciesOf(top[0]);
      if (top[1] < deps.length) {
        const dep = deps[top[1]++];
        const seen = state.get(dep);
        if (seen === 1) {
          const from = stack.findIndex(([n]) => n === dep);
          return { cycle: [...stack.slice(from).map(([n]) => n), dep] };
        }
        if (seen === undefined) {
          state.set(dep, 1);
          stack.push([dep, 0]);
        }
      } else {
        state.set(top[0], 2);
        order.push(top[0]);
        stack.pop();
      }
    }
  }
  return { order };
}

/** Every name reachable from `roots` through dependencies (roots included). */
export function closure(roots: Iterable<string>, next: (name: string) => readonly string[]): Set<string> {
  const seen = new Set<string>();
  const stack = [...roots];
  while (stack.length > 0) {
    const name = stack.pop()!;
    if (seen.has(name)) continue;
    seen.add(name);
    for (const n of next(name)) if (!seen.has(n)) stack.push(n);
  }
  return seen;
}
