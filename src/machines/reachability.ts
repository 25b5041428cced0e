/**
 * Which states can still be reached from a state, read off the machine
 * definition itself (so it cannot drift from it): `waitForState` answers at
 * once when the state it waits for became unreachable (Cartridge `wish_state`).
 * @module
 */
import { lifecycleMachine, type LifecycleStateName } from './lifecycle.js';

type AnyStateNode = (typeof lifecycleMachine)['root'];

function targetsOf(node: AnyStateNode, reloadAllowed: boolean): string[] {
  const keys: string[] = [];
  for (const [event, transitions] of node.transitions) {
    // With reload not allowed, the RELOAD edges are guarded shut for good.
    if (event === 'RELOAD' && !reloadAllowed) continue;
    for (const t of transitions) for (const target of t.target ?? []) keys.push(target.key);
  }
  return keys;
}

/** Every state reachable from `from` (itself included). */
export function reachableStates(from: LifecycleStateName, reloadAllowed: boolean): Set<LifecycleStateName> {
  const states = lifecycleMachine.states as unknown as Record<string, AnyStateNode>;
  const root = lifecycleMachine.root as AnyStateNode;
  const seen = new Set<string>([from]);
  const stack: string[] = [from];
  while (stack.length > 0) {
    const key = stack.pop()!;
    const node = states[key];
    const next = targetsOf(node, reloadAllowed);
    // Root transitions (STOP) apply in every state whose own handlers do not take the event.
    if (node.type !== 'final' && !node.transitions.has('STOP')) next.push(...targetsOf(root, reloadAllowed));
    for (const n of next) if (!seen.has(n)) seen.add(n), stack.push(n);
  }
  return seen as Set<LifecycleStateName>;
}
