/**
 * The inspector page of the admin API (docs/inspector.md): `renderInspectorPage()`
 * for `GET /`, and the lifecycle chart it draws.
 * @module
 */
export { renderInspectorPage, type InspectorPageOptions } from './render.js';
export { stateChart, type StateChart } from './chart.js';
export type { ChartNode, ChartEdge, Point } from './chart-layout.js';
export type { ChartNote, ChartNodeKind } from './chart-model.js';
