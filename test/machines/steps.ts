/**
 * Driving the pure lifecycle machine in tests: the events a test sends, a
 * pure `run` of a list of them, and one way into each state.
 */
import { initialTransition, transition, type SnapshotFrom } from 'xstate';
import { lifecycleMachine, type LifecycleEvent, type LifecycleStateName } from '../../src/machines/lifecycle.js';

export type Snap = SnapshotFrom<typeof lifecycleMachine>;
export type Step = LifecycleEvent | { type: string; [k: string]: unknown };

export const APPLY = { type: 'APPLY', request: 'doc' } as const;
export const RELOAD = { type: 'RELOAD', request: 'code' } as const;
export const STOP = { type: 'STOP' } as const;
export const FORBID = { type: 'FORBID_RELOAD' } as const;
export const ALLOW = { type: 'ALLOW_RELOAD' } as const;
export const done = (id: string, output?: unknown) => ({ type: `xstate.done.actor.${id}`, output });
export const fail = (id: string, error: unknown) => ({ type: `xstate.error.actor.${id}`, error });

/** The snapshot `steps` lead to, computed with `transition()`: nothing runs. */
export function run(steps: Step[], reloadAllowed = true): Snap {
  let [s] = initialTransition(lifecycleMachine, { reloadAllowed });
  for (const e of steps) [s] = transition(lifecycleMachine, s, e as LifecycleEvent);
  return s;
}

/** One way into each state (reload allowed). */
export const INTO: Record<LifecycleStateName, Step[]> = {
  Unconfigured: [],
  ConfiguringRoles: [APPLY],
  RolesConfigured: [APPLY, done('configure')],
  OperationError: [APPLY, fail('configure', new Error('apply failed'))],
  ReloadingRoles: [APPLY, done('configure'), RELOAD],
  ReloadError: [APPLY, done('configure'), RELOAD, fail('reload', new Error('import failed'))],
  ShuttingDown: [STOP],
  Stopped: [STOP, done('shutdown')],
};
