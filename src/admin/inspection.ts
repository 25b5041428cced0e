/**
 * xstate 5's inspection events turned into rolekit's own, stable shape, so
 * that what `GET /events` sends does not change when xstate's event types do
 * (xstate 6 renames them). Only what an inspector needs and what is safe to
 * send: actor ids, event types, state values, statuses; never an event's
 * payload or a machine's context (they hold plans, role objects, functions).
 * @module
 */
import type { InspectionEvent } from 'xstate';
import { readSafely as read } from '../index.js';

export interface InspectEvent {
  type: 'inspect';
  /** `actor`: an actor was created; `event`: an actor received an event; `snapshot`: an actor's state after one. */
  kind: 'actor' | 'event' | 'snapshot';
  /** The actor's session id (unique in its system), e.g. `x:0`. */
  actorId: string;
  /** The root actor's session id. */
  rootId?: string;
  /** actor: what the actor is called in its parent (`configure`, `reload`, `shutdown`), or the machine's id. */
  name?: string;
  /** actor: the parent's session id. */
  parentId?: string;
  /** event: the sender's session id. */
  sourceId?: string;
  /** event, snapshot: the event's type (its other fields are never sent). */
  event?: { type: string };
  /** snapshot of a machine: its state value (`'RolesConfigured'`). */
  state?: StateValue;
  /** snapshot: `active`, `done`, `error` or `stopped`. */
  status?: string;
  /** ms since the epoch. */
  time: number;
}

export type StateValue = string | { [key: string]: StateValue };


function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** A state value as plain data: strings, nested at most a few levels; anything else is left out. */
function stateValue(value: unknown, depth = 0): StateValue | undefined {
  if (typeof value === 'string') return value;
  if (typeof value !== 'object' || value === null || depth > 8) return undefined;
  const out: { [key: string]: StateValue } = {};
  try {
    for (const key of Object.keys(value)) {
      const inner = stateValue((value as Record<string, unknown>)[key], depth + 1);
      if (inner === undefined) return undefined;
      out[key] = inner;
    }
  } catch {
    return undefined;
  }
  return out;
}

function eventType(event: unknown): { type: string } | undefined {
  const type = text(read(event, 'type'));
  return type === undefined ? undefined : { type };
}

/** The rolekit inspect event for one xstate inspection event; undefined for kinds rolekit does not send. */
export function toInspectEvent(ev: InspectionEvent, time = Date.now()): InspectEvent | undefined {
  const kind = text(read(ev, 'type'));
  const actorRef = read(ev, 'actorRef');
  const actorId = text(read(actorRef, 'sessionId'));
  if (actorId === undefined) return undefined;
  const rootId = text(read(ev, 'rootId'));
  const base = { type: 'inspect' as const, actorId, ...(rootId !== undefined ? { rootId } : {}) };
  switch (kind) {
    case '@xstate.actor': {
      const name = text(read(actorRef, 'id'));
      const parentId = text(read(read(actorRef, '_parent'), 'sessionId'));
      return { ...base, kind: 'actor', ...(name !== undefined ? { name } : {}), ...(parentId !== undefined ? { parentId } : {}), time };
    }
    case '@xstate.event': {
      const sourceId = text(read(read(ev, 'sourceRef'), 'sessionId'));
      const event = eventType(read(ev, 'event'));
      return { ...base, kind: 'event', ...(sourceId !== undefined ? { sourceId } : {}), ...(event ? { event } : {}), time };
    }
    case '@xstate.snapshot': {
      const snapshot = read(ev, 'snapshot');
      const event = eventType(read(ev, 'event'));
      const state = stateValue(read(snapshot, 'value'));
      const status = text(read(snapshot, 'status'));
      return {
        ...base,
        kind: 'snapshot',
        ...(event ? { event } : {}),
        ...(state !== undefined ? { state } : {}),
        ...(status !== undefined ? { status } : {}),
        time,
      };
    }
    default:
      // @xstate.transition, @xstate.microstep, @xstate.action: engine detail, left out.
      return undefined;
  }
}
