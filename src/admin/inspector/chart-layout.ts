/**
 * Positions for the chart model, computed by dagre (a layered graph layout):
 * node boxes sized to their text, edges routed with room for their labels.
 * @module
 */
import dagre, { type EdgeLabel, type GraphLabel, type NodeLabel } from '@dagrejs/dagre';
import type { ChartModel, ChartNodeKind, ChartState, ChartTransition } from './chart-model.js';

export interface Point {
  x: number;
  y: number;
}

export interface ChartNode extends ChartState {
  /** Centre of the box. */
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface ChartEdge extends ChartTransition {
  id: string;
  points: Point[];
  /** Centre and size of the label box (0 × 0 for an unlabelled edge). */
  labelX: number;
  labelY: number;
  labelWidth: number;
  labelHeight: number;
}

export interface ChartLayout {
  nodes: ChartNode[];
  edges: ChartEdge[];
  width: number;
  height: number;
}

/**
 * The chart's text is monospace, so a width is characters times the advance
 * (0.6 em in the usual monospace faces, 0.62 leaves a margin for the wider ones).
 */
export const FONT = { label: 13, detail: 10.5, edge: 11, guard: 10, advance: 0.62 } as const;

export const textWidth = (text: string, size: number) => Math.ceil(text.length * size * FONT.advance);

function nodeSize(kind: ChartNodeKind, label: string, detail: string | undefined): { width: number; height: number } {
  if (kind === 'initial') return { width: 14, height: 14 };
  const width = Math.max(textWidth(label, FONT.label), detail ? textWidth(detail, FONT.detail) : 0) + 28;
  return { width: Math.max(width, 96), height: detail ? 46 : 34 };
}

export function edgeLabelSize(t: ChartTransition): { width: number; height: number } {
  if (!t.label) return { width: 0, height: 0 };
  const width = Math.max(textWidth(t.label, FONT.edge), t.guard ? textWidth(`[${t.guard}]`, FONT.guard) : 0) + 10;
  return { width, height: t.guard ? 30 : 17 };
}

export function layoutChart(model: ChartModel): ChartLayout {
  const g = new dagre.graphlib.Graph<GraphLabel, NodeLabel, EdgeLabel>({ multigraph: true });
  g.setGraph({ rankdir: 'TB', nodesep: 28, edgesep: 14, ranksep: 44, marginx: 12, marginy: 12 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const s of model.states) g.setNode(s.id, { ...nodeSize(s.kind, s.label, s.detail) });
  model.transitions.forEach((t, i) => {
    const size = edgeLabelSize(t);
    g.setEdge(t.from, t.to, { ...size, labelpos: 'c', minlen: 1 }, `e${i}`);
  });
  dagre.layout(g);

  const nodes = model.states.map((s): ChartNode => {
    const n = g.node(s.id);
    return { ...s, x: n.x!, y: n.y!, width: n.width, height: n.height };
  });
  const edges = model.transitions.map((t, i): ChartEdge => {
    const e = g.edge({ v: t.from, w: t.to, name: `e${i}` });
    return {
      ...t,
      id: `e${i}`,
      points: (e.points ?? []).map((p: Point) => ({ x: p.x, y: p.y })),
      labelX: e.x ?? 0,
      labelY: e.y ?? 0,
      labelWidth: e.width ?? 0,
      labelHeight: e.height ?? 0,
    };
  });
  const graph = g.graph();
  return { nodes, edges, width: Math.ceil(graph.width ?? 0), height: Math.ceil(graph.height ?? 0) };
}
