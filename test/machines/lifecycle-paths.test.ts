/**
 * Every path through the lifecycle machine, generated with xstate/graph from
 * the pure definition, then replayed against a real actor whose `configure`,
 * `reload` and `shutdown` actors are promises the test settles step by step.
 */
import { describe, expect, it } from 'vitest';
import { createActor, fromPromise, initialTransition, transition, type SnapshotFrom } from 'xstate';
import { getAdjacencyMap, getShortestPaths, getSimplePaths, type StatePath } from 'xstate/graph';
import {
  LIFECYCLE_STATES,
  lifecycleMachine,
  type ConfigureInput,
  type LifecycleEvent,
} from '../../src/machines/lifecycle.js';

type Snap = SnapshotFrom<typeof lifecycleMachine>;
type ActorId = 'configure' | 'reload' | 'shutdown';
/** The user events plus the completion events of the invoked actors. */
type AnyEvent =
  | LifecycleEvent
  | { type: `xstate.done.actor.${ActorId}`; actorId: ActorId; output: unknown }
  | { type: `xstate.error.actor.${ActorId}`; actorId: ActorId; error: unknown };
type Path = StatePath<Snap, AnyEvent>;
/** What a traversal tells states apart by. */
type Serialize = (s: Snap) => string;

const EVENTS: AnyEvent[] = [
  { type: 'APPLY', request: 'doc' },
  { type: 'RELOAD', request: 'code' },
  { type: 'STOP' },
  { type: 'FORBID_RELOAD' },
  { type: 'ALLOW_RELOAD' },
  { type: 'xstate.done.actor.configure', actorId: 'configure', output: undefined },
  // Inside a reload, the configure error says whether the previous code serves again.
  { type: 'xstate.error.actor.configure', actorId: 'configure', error: { message: 'rolled back', previousCodeServing: true } },
  { type: 'xstate.error.actor.configure', actorId: 'configure', error: { message: 'not rolled back', previousCodeServing: false } },
  { type: 'xstate.done.actor.reload', actorId: 'reload', output: 'new code' },
  { type: 'xstate.error.actor.reload', actorId: 'reload', error: { message: 'import failed' } },
  { type: 'xstate.done.actor.shutdown', actorId: 'shutdown', output: undefined },
  { type: 'xstate.error.actor.shutdown', actorId: 'shutdown', error: { message: 'a stop failed' } },
];

function isActorEvent(e: AnyEvent): e is Extract<AnyEvent, { actorId: ActorId }> {
  return 'actorId' in e;
}

/** Completion events only where that actor is actually invoked; nothing once final. */
function filterEvents(s: Snap, e: AnyEvent): boolean {
  if (s.status !== 'active') return false;
  return !isActorEvent(e) || e.actorId in s.children;
}

const machine = lifecycleMachine as unknown as Parameters<typeof getShortestPaths>[0];

function traverse(
  generate: typeof getShortestPaths | typeof getSimplePaths,
  reloadAllowed: boolean,
  serializeState: Serialize = key,
): Path[] {
  return generate(machine, {
    input: { reloadAllowed },
    events: EVENTS as never,
    filterEvents: filterEvents as never,
    serializeState: serializeState as never,
  }) as unknown as Path[];
}

/** Every edge (state, event) of the graph, each reached through the shortest path to its source. */
function everyEdge(reloadAllowed: boolean): Path[] {
  const shortest = new Map<string, Path>();
  for (const p of traverse(getShortestPaths, reloadAllowed)) shortest.set(key(p.state), p);
  const adj = getAdjacencyMap(machine, {
    input: { reloadAllowed },
    events: EVENTS as never,
    filterEvents: filterEvents as never,
  });
  const paths: Path[] = [];
  for (const { state, transitions } of Object.values(adj)) {
    const head = shortest.get(key(state as Snap));
    if (!head) throw new Error(`no shortest path to ${key(state as Snap)}`);
    for (const { event, state: next } of Object.values(transitions) as { event: unknown; state: unknown }[]) {
      paths.push({
        state: next as Snap,
        steps: [...head.steps, { event: event as AnyEvent, state: next as Snap }],
        weight: head.weight + 1,
      });
    }
  }
  return paths;
}

function key(s: Snap): string {
  return JSON.stringify({ value: s.value, context: s.context });
}

function describePath(p: Path): string {
  return p.steps.map((s) => (isActorEvent(s.event) ? s.event.type.replace('xstate.', '') : s.event.type)).join(' > ');
}

/** A real actor whose invoked actors are promises settled by the test. */
function realActor(reloadAllowed: boolean) {
  const pending: Partial<Record<ActorId, { resolve(v: unknown): void; reject(e: unknown): void; input: unknown }>> = {};
  const invoked: ActorId[] = [];
  const controlled = <O, I>(id: ActorId) =>
    fromPromise<O, I>(
      ({ input }) =>
        new Promise<O>((resolve, reject) => {
          invoked.push(id);
          pending[id] = { resolve: resolve as (v: unknown) => void, reject, input };
        }),
    );
  const actor = createActor(
    lifecycleMachine.provide({
      actors: {
        configure: controlled<void, ConfigureInput>('configure'),
        reload: controlled<unknown, { request: unknown }>('reload'),
        shutdown: controlled<void, void>('shutdown'),
      },
    }),
    { input: { reloadAllowed } },
  );
  actor.start();
  return { actor, pending, invoked };
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The invoke a state runs, and the input it must get from the context. */
function expectedInvoke(s: Snap): { id: ActorId; input: unknown } | undefined {
  switch (s.value) {
    case 'ConfiguringRoles':
      return { id: 'configure', input: { request: s.context.request } };
    case 'ReloadingRoles':
      return { id: 'reload', input: { request: s.context.request } };
    case 'ShuttingDown':
      return { id: 'shutdown', input: undefined };
    default:
      return undefined;
  }
}

function expectSameState(actual: Snap, expected: Snap, where: string): void {
  expect({ where, value: actual.value, status: actual.status, context: actual.context }).toEqual({
    where,
    value: expected.value,
    status: expected.status,
    context: expected.context,
  });
}

/**
 * Send the path's events to a real actor, settling its invoked actors where the
 * path says so. After each step the actor must be in the state the graph
 * recorded (as far as `serialize` tells states apart) and exactly in the state
 * the pure `transition()` computes for the same events.
 */
async function replay(path: Path, reloadAllowed: boolean, serialize: Serialize = key): Promise<void> {
  const { actor, pending, invoked } = realActor(reloadAllowed);
  const where = describePath(path);
  let [pure] = initialTransition(lifecycleMachine, { reloadAllowed });
  try {
    for (const [i, step] of path.steps.entries()) {
      if ((step.event.type as string) === 'xstate.init') {
        // The graph's first step is the initial state itself.
        expect(serialize(step.state)).toBe(serialize(pure));
        expectSameState(actor.getSnapshot(), pure, `${where} @ initial`);
        continue;
      }
      [pure] = transition(lifecycleMachine, pure, step.event as LifecycleEvent);
      expect(serialize(pure), `${where} @ step ${i}`).toBe(serialize(step.state));
      const before = actor.getSnapshot();
      const e = step.event;
      if (isActorEvent(e)) {
        const p = pending[e.actorId];
        expect(p, `${where}: step ${i} settles "${e.actorId}", which is not running`).toBeDefined();
        delete pending[e.actorId];
        if (e.type.startsWith('xstate.done.')) p!.resolve((e as { output: unknown }).output);
        else p!.reject((e as { error: unknown }).error);
        await tick();
      } else {
        actor.send(e);
      }
      const after = actor.getSnapshot();
      expectSameState(after, pure, `${where} @ step ${i}`);
      // Entering a state with an invoke starts exactly that actor, with the input taken from the context.
      const want = expectedInvoke(pure);
      const entered = before.value !== after.value || (isActorEvent(e) && want !== undefined);
      if (want && entered) {
        expect(invoked.at(-1), `${where} @ step ${i}`).toBe(want.id);
        expect(pending[want.id]?.input, `${where} @ step ${i}`).toEqual(want.input);
      }
    }
    expect(serialize(actor.getSnapshot()), where).toBe(serialize(path.state));
  } finally {
    actor.stop();
  }
}

function valuesOf(paths: Path[]): Set<string> {
  return new Set(paths.flatMap((p) => [p.state, ...p.steps.map((s) => s.state)].map((s) => String(s.value))));
}

describe('lifecycle machine paths generated with xstate/graph', () => {
  for (const reloadAllowed of [true, false]) {
    describe(`with reloadAllowed ${reloadAllowed}`, () => {
      const shortest = traverse(getShortestPaths, reloadAllowed);
      const edges = everyEdge(reloadAllowed);
      // Simple paths tell states apart by the value and the context that decides where a
      // completion leads (inside a reload, previous code serving); the reload pause is
      // covered by the shortest paths and the edges above, whose states carry the whole context.
      const coarse: Serialize = (s) => JSON.stringify([s.value, s.context.reloading, s.context.previousCodeServing]);
      const simple = traverse(getSimplePaths, reloadAllowed, coarse);

      it('reaches exactly the states the contract allows', () => {
        const expected = reloadAllowed
          ? [...LIFECYCLE_STATES]
          : LIFECYCLE_STATES.filter((s) => s !== 'ReloadingRoles' && s !== 'ReloadError');
        expect([...valuesOf(shortest)].sort()).toEqual([...expected].sort());
        expect([...valuesOf(simple)].sort()).toEqual([...expected].sort());
        expect(edges.length).toBeGreaterThan(shortest.length);
      });

      it('replays the shortest path to every reachable state and context on a real actor', async () => {
        expect(shortest.length).toBeGreaterThan(reloadAllowed ? 50 : 15);
        for (const path of shortest) await replay(path, reloadAllowed);
      });

      it('replays every transition of the graph on a real actor', async () => {
        for (const path of edges) await replay(path, reloadAllowed);
      });

      it('replays every simple path on a real actor', async () => {
        expect(simple.length).toBeGreaterThan(reloadAllowed ? 100 : 10);
        for (const path of simple) await replay(path, reloadAllowed, coarse);
      });
    });
  }
});
