/**
 * The lifecycle chart is read off the machine's definition, not drawn by
 * hand: a node per state, an edge per transition (checked against a walk of
 * `definition`, a different view of the machine than the chart code reads),
 * positions from dagre with no two boxes overlapping, and well-formed SVG.
 */
import { describe, expect, it } from 'vitest';
import { createMachine, type AnyStateMachine } from 'xstate';
import { LIFECYCLE_STATES, lifecycleMachine } from '../../../src/index.js';
import { stateChart } from '../../../src/admin/inspector/index.js';

interface DefTransition {
  target?: string[];
  eventType: string;
}
interface DefNode {
  key: string;
  id: string;
  type: string;
  transitions: DefTransition[];
  states: Record<string, DefNode>;
  initial?: { target: (string | { key: string })[] };
}

/** Every targeted transition, as `from -event-> to`; the root's come from the "any state" node. */
function walkDefinition(machine: AnyStateMachine): string[] {
  const root = machine.root.definition as unknown as DefNode;
  // Transition targets are ids (`#rolekit.RolesConfigured`); the initial one is the state node itself.
  const key = (target: string | { key: string }) => (typeof target === 'string' ? target.slice(target.lastIndexOf('.') + 1) : target.key);
  const out: string[] = [];
  for (const t of root.transitions) for (const to of t.target ?? []) out.push(`#any -${t.eventType}-> ${key(to)}`);
  for (const state of Object.values(root.states)) {
    for (const t of state.transitions) for (const to of t.target ?? []) out.push(`${state.key} -${t.eventType}-> ${key(to)}`);
  }
  for (const to of root.initial?.target ?? []) out.push(`#initial -> ${key(to)}`);
  return out.sort();
}

const drawn = (machine: AnyStateMachine) =>
  stateChart(machine)
    .edges.map((e) => (e.event ? `${e.from} -${e.event}-> ${e.to}` : `${e.from} -> ${e.to}`))
    .sort();

type Box = { x: number; y: number; width: number; height: number };
const overlap = (a: Box, b: Box) => Math.abs(a.x - b.x) * 2 < a.width + b.width && Math.abs(a.y - b.y) * 2 < a.height + b.height;

/** Well-formed XML, checked the plain way: one root, balanced tags, quoted attributes, no raw `<` or stray `&`. */
function checkXml(text: string): void {
  const token = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  const stack: string[] = [];
  let roots = 0;
  let at = 0;
  for (let m = token.exec(text); m; m = token.exec(text)) {
    at = token.lastIndex;
    const [, close, name, attrs, self, chars] = m;
    const entityOk = (s: string) => !/&(?!(?:#\d+|#x[\da-f]+|amp|lt|gt|quot|apos);)/i.test(s);
    if (chars !== undefined) {
      expect(stack.length, `text outside the root: ${chars.slice(0, 40)}`).toBeGreaterThan(0);
      expect(entityOk(chars), `bad entity in ${chars.slice(0, 40)}`).toBe(true);
      continue;
    }
    expect(entityOk(attrs ?? ''), `bad entity in attributes of <${name}>`).toBe(true);
    if (close) expect(stack.pop(), `</${name}>`).toBe(name);
    else if (!self) {
      if (stack.length === 0) roots++;
      stack.push(name!);
    } else if (stack.length === 0) roots++;
  }
  expect(at, `unparsable at ${text.slice(at, at + 60)}`).toBe(text.length);
  expect(stack).toEqual([]);
  expect(roots).toBe(1);
}

describe('stateChart()', () => {
  it('has a node for every lifecycle state, and an edge for every transition of the definition', () => {
    const chart = stateChart();
    const states = chart.nodes.filter((n) => n.kind === 'state' || n.kind === 'final').map((n) => n.id);
    expect(states.sort()).toEqual([...LIFECYCLE_STATES].sort());
    expect(chart.nodes.find((n) => n.id === 'Stopped')?.kind).toBe('final');
    expect(drawn(lifecycleMachine)).toEqual(walkDefinition(lifecycleMachine));
    // STOP from every state is one edge, from one "any state" node that says which states it leaves out.
    expect(chart.edges.filter((e) => e.event === 'STOP').map((e) => `${e.from}->${e.to}`)).toEqual(['#any->ShuttingDown']);
    expect(chart.nodes.find((n) => n.kind === 'any')?.detail).toBe('but ShuttingDown, Stopped');
  });

  it('labels edges with events and guards, and lists the transitions that change no state', () => {
    const chart = stateChart();
    const edge = (from: string, to: string) => chart.edges.filter((e) => e.from === from && e.to === to);
    expect(edge('RolesConfigured', 'ReloadingRoles')).toMatchObject([{ label: 'RELOAD', guard: 'reloadAllowed && !reloadForbidden' }]);
    expect(edge('ConfiguringRoles', 'ReloadError')).toMatchObject([{ label: 'configure error', guard: 'inReload' }]);
    expect(edge('ReloadError', 'ConfiguringRoles')).toMatchObject([{ label: 'APPLY', guard: 'previousCodeServing' }]);
    expect(edge('#any', 'ShuttingDown')).toMatchObject([{ guard: 'not in Stopped' }]);
    expect(chart.notes).toEqual([
      { state: 'ShuttingDown', event: 'STOP' },
      { state: '*', event: 'FORBID_RELOAD' },
      { state: '*', event: 'ALLOW_RELOAD' },
    ]);
  });

  it('takes its positions from dagre: inside the drawing, no two boxes (states or labels) overlapping', () => {
    const chart = stateChart();
    const labels = chart.edges.filter((e) => e.label).map((e) => ({ x: e.labelX, y: e.labelY, width: e.labelWidth, height: e.labelHeight }));
    const boxes: Box[] = [...chart.nodes, ...labels];
    for (let i = 0; i < boxes.length; i++) {
      const b = boxes[i]!;
      expect(b.x - b.width / 2).toBeGreaterThanOrEqual(0);
      expect(b.y + b.height / 2).toBeLessThanOrEqual(chart.height);
      for (let j = i + 1; j < boxes.length; j++) expect(overlap(b, boxes[j]!), `boxes ${i} and ${j} overlap`).toBe(false);
    }
    for (const e of chart.edges) {
      expect(e.points.length).toBeGreaterThanOrEqual(2);
      for (const p of e.points) {
        expect(p.x).toBeGreaterThanOrEqual(0);
        expect(p.x).toBeLessThanOrEqual(chart.width);
      }
    }
    // Ranks follow the transitions: Unconfigured above ConfiguringRoles above RolesConfigured.
    const y = (id: string) => chart.nodes.find((n) => n.id === id)!.y;
    expect(y('Unconfigured')).toBeLessThan(y('ConfiguringRoles'));
    expect(y('ConfiguringRoles')).toBeLessThan(y('RolesConfigured'));
  });

  it('draws well-formed SVG with a data-state per state, computed once', () => {
    const chart = stateChart();
    checkXml(chart.svg);
    for (const s of LIFECYCLE_STATES) expect(chart.svg).toContain(`data-state="${s}"`);
    expect(chart.svg.match(/<g class="rk-edge[ "]/g)).toHaveLength(chart.edges.length);
    expect(stateChart()).toBe(chart);
  });

  it('follows any machine it is given, escaping what it writes', () => {
    const machine = createMachine({
      id: 'm',
      initial: 'a<b',
      on: { RESET: '.a<b' },
      states: {
        'a<b': { on: { 'GO&"': { target: 'done', guard: 'ready' } }, invoke: { id: 'job', src: 'job' } },
        done: { type: 'final' },
      },
    });
    const chart = stateChart(machine);
    expect(drawn(machine)).toEqual(walkDefinition(machine));
    expect(chart.nodes.find((n) => n.id === 'a<b')).toMatchObject({ kind: 'state', detail: 'invoke job' });
    expect(chart.edges.find((e) => e.to === 'done')).toMatchObject({ label: 'GO&"', guard: 'ready' });
    checkXml(chart.svg);
    expect(chart.svg).toContain('a&#60;b');
    expect(chart.svg).not.toContain('a<b');
  });
});
