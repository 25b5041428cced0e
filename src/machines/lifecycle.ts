/**
 * The lifecycle of a rolekit runtime as a pure xstate v5 definition
 * (docs/concepts.md, Lifecycle). Side effects are actors supplied from outside with
 * `lifecycleMachine.provide({ actors })`: the definition runs no role, so it
 * can be drawn, inspected and tested on its own.
 *
 * | state            | what is true inside it                                         | exits                                   |
 * |------------------|----------------------------------------------------------------|-----------------------------------------|
 * | Unconfigured     | no configuration applied yet, no role running                  | APPLY → ConfiguringRoles                |
 * | ConfiguringRoles | the `configure` actor starts/applies/stops roles for one doc   | done → RolesConfigured; error → OperationError, or ReloadError inside a reload |
 * | RolesConfigured  | every enabled role runs with the applied document              | APPLY, RELOAD                           |
 * | OperationError   | the last apply failed for some role; the others run            | APPLY (retry), RELOAD                   |
 * | ReloadingRoles   | the `reload` actor imports and validates new code, then stops the old roles | done → ConfiguringRoles; error (old code untouched) → ReloadError |
 * | ReloadError      | a reload failed; `previousCodeServing` says if old code runs   | RELOAD (retry); APPLY only while previous code serves |
 * | ShuttingDown     | the `shutdown` actor stops every role in reverse order         | done/error → Stopped                    |
 * | Stopped          | nothing runs; final                                            | none                                    |
 *
 * Every state but Stopped (and ShuttingDown itself) goes to ShuttingDown on STOP.
 * The invocations have fixed ids (`configure`, `reload`, `shutdown`), so their
 * completion events are `xstate.done.actor.<id>` / `xstate.error.actor.<id>`.
 * The states that run an actor carry the tag `busy`: a call waits while the
 * machine is in one of them.
 *
 * What the runtime may ask ("may this happen now, and if not, why?") is
 * answered here, next to the guards: `applyRefusal`, `reloadRefusal`.
 * @module
 */
import { and, assign, fromPromise, not, setup, stateIn, type SnapshotFrom } from 'xstate';

export const LIFECYCLE_STATES = [
  'Unconfigured',
  'ConfiguringRoles',
  'RolesConfigured',
  'OperationError',
  'ReloadingRoles',
  'ReloadError',
  'ShuttingDown',
  'Stopped',
] as const;

export type LifecycleStateName = (typeof LIFECYCLE_STATES)[number];

export interface LifecycleContext {
  /** Cartridge `roles_reload_allowed`: fixed when the runtime is created. */
  reloadAllowed: boolean;
  /** Cartridge `forbid_reload()` / `allow_reload()`. */
  reloadForbidden: boolean;
  /** What the current (or last) configure run was asked to do; opaque to the machine. */
  request: unknown;
  /** True while ConfiguringRoles runs as the second half of a reload. */
  reloading: boolean;
  /** In ReloadError: whether the code from before the reload is serving (failed early, or rolled back). */
  previousCodeServing: boolean;
  /** The error that put the runtime in an error state. */
  error: unknown;
}

export type LifecycleEvent =
  | { type: 'APPLY'; request: unknown }
  | { type: 'RELOAD'; request: unknown }
  | { type: 'STOP' }
  | { type: 'FORBID_RELOAD' }
  | { type: 'ALLOW_RELOAD' };

export interface ConfigureInput {
  request: unknown;
}

/**
 * An error a `configure` actor throws inside a reload may say whether the
 * previous code is serving again (rolled back) by carrying this property.
 */
export interface ReloadOutcome {
  previousCodeServing?: boolean;
}

function notProvided(name: string): never {
  throw new Error(`The "${name}" actor of the lifecycle machine was not provided; use lifecycleMachine.provide()`);
}

/** Cartridge: reload only when the application allows it and nobody forbade it for now. */
const RELOAD_IF_ALLOWED = {
  guard: and(['reloadAllowed', not('reloadForbidden')]),
  target: 'ReloadingRoles',
  actions: 'takeRequest',
} as const;
const APPLY_DOCUMENT = { target: 'ConfiguringRoles', actions: 'takeRequest' } as const;

export const lifecycleMachine = setup({
  types: {
    context: {} as LifecycleContext,
    events: {} as LifecycleEvent,
    input: {} as { reloadAllowed: boolean },
  },
  actors: {
    /** Start, apply and stop roles for one validated document. Output: nothing. */
    configure: fromPromise<void, ConfigureInput>(async () => notProvided('configure')),
    /** Import and validate new code, then stop the old roles. Output: the request for the configure run that follows. */
    reload: fromPromise<unknown, { request: unknown }>(async () => notProvided('reload')),
    /** Stop every role, in reverse dependency order. */
    shutdown: fromPromise<void, void>(async () => notProvided('shutdown')),
  },
  guards: {
    reloadAllowed: ({ context }) => context.reloadAllowed,
    reloadForbidden: ({ context }) => context.reloadForbidden,
    inReload: ({ context }) => context.reloading,
    previousCodeServing: ({ context }) => context.previousCodeServing,
  },
  actions: {
    takeRequest: assign({
      request: ({ event }) => ('request' in event ? event.request : undefined),
      reloading: false,
    }),
  },
}).createMachine({
  id: 'rolekit',
  initial: 'Unconfigured',
  context: ({ input }) => ({
    reloadAllowed: input.reloadAllowed,
    reloadForbidden: false,
    request: undefined,
    reloading: false,
    previousCodeServing: true,
    error: undefined,
  }),
  on: {
    // Stopped is final: a STOP there must not leave it (pure `transition()` and `can()` see this handler).
    // Shutting down is not an error state: the error of the state left behind is dropped (a failed
    // shutdown sets its own).
    STOP: {
      guard: not(stateIn('#rolekit.Stopped')),
      target: '.ShuttingDown',
      actions: assign({ error: undefined }),
    },
    FORBID_RELOAD: { actions: assign({ reloadForbidden: true }) },
    ALLOW_RELOAD: { actions: assign({ reloadForbidden: false }) },
  },
  states: {
    Unconfigured: {
      on: { APPLY: APPLY_DOCUMENT },
    },
    ConfiguringRoles: {
      tags: ['busy'],
      invoke: {
        id: 'configure',
        src: 'configure',
        input: ({ context }) => ({ request: context.request }),
        onDone: {
          target: 'RolesConfigured',
          actions: assign({ error: undefined, reloading: false, previousCodeServing: true }),
        },
        onError: [
          {
            guard: 'inReload',
            target: 'ReloadError',
            actions: assign({
              error: ({ event }) => event.error,
              reloading: false,
              previousCodeServing: ({ event }) => (event.error as ReloadOutcome)?.previousCodeServing === true,
            }),
          },
          { target: 'OperationError', actions: assign({ error: ({ event }) => event.error }) },
        ],
      },
    },
    // The two settled states have the same exits: apply again, or reload.
    RolesConfigured: { on: { APPLY: APPLY_DOCUMENT, RELOAD: RELOAD_IF_ALLOWED } },
    OperationError: { on: { APPLY: APPLY_DOCUMENT, RELOAD: RELOAD_IF_ALLOWED } },
    ReloadingRoles: {
      tags: ['busy'],
      invoke: {
        id: 'reload',
        src: 'reload',
        input: ({ context }) => ({ request: context.request }),
        onDone: {
          target: 'ConfiguringRoles',
          actions: assign({ request: ({ event }) => event.output, reloading: true }),
        },
        // Failed before the old roles stopped: they are still serving, untouched.
        onError: {
          target: 'ReloadError',
          actions: assign({ error: ({ event }) => event.error, previousCodeServing: true }),
        },
      },
    },
    ReloadError: {
      on: {
        RELOAD: RELOAD_IF_ALLOWED,
        APPLY: { guard: 'previousCodeServing', target: 'ConfiguringRoles', actions: 'takeRequest' },
      },
    },
    ShuttingDown: {
      tags: ['busy'],
      on: { STOP: {} },
      invoke: {
        id: 'shutdown',
        src: 'shutdown',
        onDone: 'Stopped',
        onError: { target: 'Stopped', actions: assign({ error: ({ event }) => event.error }) },
      },
    },
    Stopped: { type: 'final' },
  },
});

export type LifecycleMachine = typeof lifecycleMachine;
export type LifecycleSnapshot = SnapshotFrom<LifecycleMachine>;

/** The state of a snapshot, typed: the one place that reads `snapshot.value` (the machine has no nested states). */
export function stateOf(snapshot: LifecycleSnapshot): LifecycleStateName {
  return snapshot.value as LifecycleStateName;
}

/** Whether the machine runs an actor now (configuring, reloading, shutting down). */
export function isBusy(snapshot: LifecycleSnapshot): boolean {
  return snapshot.hasTag('busy');
}

/** Why an apply is refused in this snapshot (Cartridge's messages), or undefined when it may start. */
export function applyRefusal(snapshot: LifecycleSnapshot): string | undefined {
  return snapshot.can({ type: 'APPLY', request: undefined }) ? undefined : `Inappropriate state "${stateOf(snapshot)}"`;
}

/**
 * Why a reload is refused in this snapshot, or undefined when it may start.
 * The guard of RELOAD_IF_ALLOWED, told apart case by case, in the order
 * Cartridge checks: allowed at all, then paused, then the state.
 */
export function reloadRefusal(snapshot: LifecycleSnapshot): string | undefined {
  if (snapshot.can({ type: 'RELOAD', request: undefined })) return undefined;
  if (!snapshot.context.reloadAllowed) return 'This application forbids reloading roles';
  if (snapshot.context.reloadForbidden) return 'Reloading roles forbidden';
  return `Inappropriate state "${stateOf(snapshot)}"`;
}
