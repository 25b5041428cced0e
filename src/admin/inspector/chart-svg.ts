/**
 * The laid-out chart as inline SVG. Colours come from the page's CSS (classes
 * `rk-*`), so the chart follows the light and dark themes; the page's script
 * lights a state by its `data-state` and the edge just taken by `data-from` /
 * `data-to`.
 * @module
 */
import type { ChartEdge, ChartLayout, ChartNode, Point } from './chart-layout.js';
import { FONT } from './chart-layout.js';
import { escapeMarkup as esc } from './escape.js';

const n = (v: number) => (Math.round(v * 10) / 10).toString();

/** A smooth path through dagre's points: straight to the first midpoint, quadratic through the bends. */
export function pathThrough(points: Point[]): string {
  if (points.length === 0) return '';
  const [first, ...rest] = points;
  if (rest.length === 0) return `M${n(first!.x)},${n(first!.y)}`;
  let d = `M${n(first!.x)},${n(first!.y)}`;
  for (let i = 0; i < rest.length - 1; i++) {
    const p = rest[i]!;
    const q = rest[i + 1]!;
    d += ` Q${n(p.x)},${n(p.y)} ${n((p.x + q.x) / 2)},${n((p.y + q.y) / 2)}`;
  }
  const last = rest[rest.length - 1]!;
  return `${d} L${n(last.x)},${n(last.y)}`;
}

function nodeSvg(node: ChartNode): string {
  const x = node.x - node.width / 2;
  const y = node.y - node.height / 2;
  if (node.kind === 'initial') {
    return `<g class="rk-node rk-initial" data-node="${esc(node.id)}"><title>initial state</title><circle cx="${n(node.x)}" cy="${n(node.y)}" r="6"/></g>`;
  }
  const cls = ['rk-node', `rk-${node.kind}`, ...node.tags.map((t) => `rk-tag-${t.replace(/[^\w-]/g, '')}`)].join(' ');
  const data = node.kind === 'any' ? `data-node="${esc(node.id)}"` : `data-node="${esc(node.id)}" data-state="${esc(node.id)}"`;
  const rect = `<rect class="rk-box" x="${n(x)}" y="${n(y)}" width="${n(node.width)}" height="${n(node.height)}" rx="9"/>`;
  const inner =
    node.kind === 'final'
      ? `<rect class="rk-box-inner" x="${n(x + 3)}" y="${n(y + 3)}" width="${n(node.width - 6)}" height="${n(node.height - 6)}" rx="7"/>`
      : '';
  const labelY = node.detail ? node.y - 7 : node.y;
  const label = `<text class="rk-label" x="${n(node.x)}" y="${n(labelY)}" font-size="${FONT.label}">${esc(node.label)}</text>`;
  const detail = node.detail
    ? `<text class="rk-detail" x="${n(node.x)}" y="${n(node.y + 10)}" font-size="${FONT.detail}">${esc(node.detail)}</text>`
    : '';
  const title = `<title>${esc(node.detail ? `${node.label} (${node.detail})` : node.label)}</title>`;
  return `<g class="${esc(cls)}" ${data}>${title}${rect}${inner}${label}${detail}</g>`;
}

function edgeSvg(edge: ChartEdge): string {
  const cls = edge.from.startsWith('#any') ? 'rk-edge rk-edge-any' : edge.from.startsWith('#') ? 'rk-edge rk-edge-initial' : 'rk-edge';
  const title = edge.label ? `<title>${esc(edge.event)}${edge.guard ? esc(` [${edge.guard}]`) : ''}</title>` : '';
  return (
    `<g class="${cls}" data-edge="${esc(edge.id)}" data-from="${esc(edge.from)}" data-to="${esc(edge.to)}" data-event="${esc(edge.event)}">` +
    `${title}<path d="${pathThrough(edge.points)}" marker-end="url(#rk-arrow)"/></g>`
  );
}

function edgeLabelSvg(edge: ChartEdge): string {
  if (!edge.label) return '';
  const x = edge.labelX - edge.labelWidth / 2;
  const y = edge.labelY - edge.labelHeight / 2;
  const eventY = edge.guard ? edge.labelY - 6.5 : edge.labelY;
  const guard = edge.guard
    ? `<text class="rk-guard" x="${n(edge.labelX)}" y="${n(edge.labelY + 7.5)}" font-size="${FONT.guard}">[${esc(edge.guard)}]</text>`
    : '';
  return (
    `<g class="rk-edge-label" data-edge="${esc(edge.id)}">` +
    `<rect x="${n(x)}" y="${n(y)}" width="${n(edge.labelWidth)}" height="${n(edge.labelHeight)}" rx="4"/>` +
    `<text class="rk-event" x="${n(edge.labelX)}" y="${n(eventY)}" font-size="${FONT.edge}">${esc(edge.label)}</text>${guard}</g>`
  );
}

export function chartSvg(layout: ChartLayout): string {
  const defs =
    '<defs>' +
    '<marker id="rk-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path class="rk-arrowhead" d="M0,1 L9,5 L0,9 z"/></marker>' +
    '<marker id="rk-arrow-lit" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path class="rk-arrowhead-lit" d="M0,1 L9,5 L0,9 z"/></marker>' +
    '</defs>';
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="rk-chart" viewBox="0 0 ${layout.width} ${layout.height}" ` +
    `width="${layout.width}" height="${layout.height}" role="img" aria-label="Lifecycle state chart">` +
    defs +
    `<g class="rk-edges">${layout.edges.map(edgeSvg).join('')}</g>` +
    `<g class="rk-nodes">${layout.nodes.map(nodeSvg).join('')}</g>` +
    `<g class="rk-edge-labels">${layout.edges.map(edgeLabelSvg).join('')}</g>` +
    '</svg>'
  );
}
