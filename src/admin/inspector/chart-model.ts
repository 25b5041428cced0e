/**
 * The lifecycle chart as data, read off a machine's own definition: its
 * states and every transition that has a target. Nothing here is written by
 * hand for rolekit's machine, so the chart follows the machine when it changes.
 * @module
 */
import type { AnyStateMachine, StateNode } from 'xstate';

export type ChartNodeKind = 'state' | 'final' | 'initial' | 'any';

export interface ChartState {
  /** The state's key (`RolesConfigured`); pseudo-nodes use ids that start with `#`. */
  id: string;
  kind: ChartNodeKind;
  label: string;
  /** A second, smaller line: the invoked actors, or which states an `any` node stands for. */
  detail?: string;
  tags: string[];
}

export interface ChartTransition {
  from: string;
  to: string;
  /** The event as the machine names it (`APPLY`, `xstate.done.actor.configure`); empty for the initial arrow. */
  event: string;
  /** The event as the chart shows it (`configure done`). */
  label: string;
  /** The guard as text (`reloadAllowed && !reloadForbidden`), when there is one. */
  guard?: string;
}

/** A transition without a target (an action only, or an event a state swallows): no edge, a note. */
export interface ChartNote {
  /** The state key, or `*` for the machine's root. */
  state: string;
  event: string;
}

export interface ChartModel {
  states: ChartState[];
  transitions: ChartTransition[];
  notes: ChartNote[];
}

export const INITIAL_ID = '#initial';
export const ANY_ID = '#any';

type AnyNode = StateNode<any, any>;

/** `xstate.done.actor.configure` → `configure done`; other events as they are. */
export function eventLabel(event: string): string {
  const m = /^xstate\.(done|error)\.actor\.(.+)$/.exec(event);
  return m ? `${m[2]} ${m[1]}` : event;
}

/**
 * A guard as text: named guards by name, xstate's `and`/`or`/`not`/`stateIn`
 * combinators spelled out (they are functions carrying `guards` / `stateValue`).
 */
export function guardText(guard: unknown, root = ''): string {
  if (typeof guard === 'string') return guard;
  if (guard && typeof guard === 'object' && typeof (guard as { type?: unknown }).type === 'string') return (guard as { type: string }).type;
  if (typeof guard !== 'function') return 'guard';
  const fn = guard as { name: string; guards?: unknown[]; stateValue?: unknown };
  const inner = (g: unknown) => {
    const text = guardText(g, root);
    return /\s/.test(text) ? `(${text})` : text;
  };
  if (fn.name === 'and' && Array.isArray(fn.guards)) return fn.guards.map(inner).join(' && ');
  if (fn.name === 'or' && Array.isArray(fn.guards)) return fn.guards.map(inner).join(' || ');
  if (fn.name === 'not' && Array.isArray(fn.guards)) {
    const text = guardText(fn.guards[0], root);
    return text.startsWith('in ') ? `not ${text}` : `!${inner(fn.guards[0])}`;
  }
  if (fn.name === 'stateIn' && fn.stateValue !== undefined) {
    const value = typeof fn.stateValue === 'string' ? fn.stateValue.replace(`#${root}.`, '') : JSON.stringify(fn.stateValue);
    return `in ${value}`;
  }
  return fn.name || 'guard';
}

function transitionsOf(node: AnyNode): { event: string; target: AnyNode[] | undefined; guard: unknown }[] {
  const out: { event: string; target: AnyNode[] | undefined; guard: unknown }[] = [];
  for (const [event, list] of node.transitions) {
    for (const t of list) out.push({ event, target: t.target ? [...t.target] : undefined, guard: t.guard });
  }
  return out;
}

/**
 * The chart of a flat machine (rolekit's has no nested states). A transition
 * on the root applies in every non-final state that does not handle the
 * event itself: it is drawn once, from an "any state" node, instead of once
 * per state.
 */
export function chartModel(machine: AnyStateMachine): ChartModel {
  const root = machine.root as AnyNode;
  const children = Object.values(root.states) as AnyNode[];
  const states: ChartState[] = [];
  const transitions: ChartTransition[] = [];
  const notes: ChartNote[] = [];
  const edge = (from: string, to: string, event: string, guard: unknown) =>
    transitions.push({ from, to, event, label: eventLabel(event), ...(guard !== undefined ? { guard: guardText(guard, root.id) } : {}) });

  const initial = root.initial?.target?.[0];
  if (initial) {
    states.push({ id: INITIAL_ID, kind: 'initial', label: '', tags: [] });
    transitions.push({ from: INITIAL_ID, to: initial.key, event: '', label: '' });
  }
  for (const node of children) {
    const invoked = node.invoke.map((i) => i.id);
    states.push({
      id: node.key,
      kind: node.type === 'final' ? 'final' : 'state',
      label: node.key,
      ...(invoked.length ? { detail: `invoke ${invoked.join(', ')}` } : {}),
      tags: [...node.tags],
    });
    for (const t of transitionsOf(node)) {
      if (t.target?.length) for (const target of t.target) edge(node.key, target.key, t.event, t.guard);
      else notes.push({ state: node.key, event: t.event });
    }
  }

  const rootTransitions = transitionsOf(root);
  const targeted = rootTransitions.filter((t) => t.target?.length);
  if (targeted.length) {
    const events = new Set(targeted.map((t) => t.event));
    const except = children
      .filter((n) => n.type === 'final' || [...events].some((e) => n.transitions.has(e)))
      .map((n) => n.key);
    states.push({ id: ANY_ID, kind: 'any', label: 'any state', ...(except.length ? { detail: `but ${except.join(', ')}` } : {}), tags: [] });
    for (const t of targeted) for (const target of t.target!) edge(ANY_ID, target.key, t.event, t.guard);
  }
  for (const t of rootTransitions) if (!t.target?.length) notes.push({ state: '*', event: t.event });
  return { states, transitions, notes };
}
