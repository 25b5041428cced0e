/**
 * `stateChart()`: the lifecycle chart, read off the machine, laid out by
 * dagre and drawn as SVG, once per machine (the definition is immutable).
 * @module
 */
import type { AnyStateMachine } from 'xstate';
import { lifecycleMachine } from '../../index.js';
import { chartModel, type ChartNote } from './chart-model.js';
import { layoutChart, type ChartEdge, type ChartNode } from './chart-layout.js';
import { chartSvg } from './chart-svg.js';

export interface StateChart {
  nodes: ChartNode[];
  edges: ChartEdge[];
  /** Transitions without a target: they change no state, so they are listed instead of drawn. */
  notes: ChartNote[];
  width: number;
  height: number;
  svg: string;
}

const cache = new WeakMap<AnyStateMachine, StateChart>();

/** The chart of `machine` (default: rolekit's lifecycle). Computed on first use, then cached. */
export function stateChart(machine: AnyStateMachine = lifecycleMachine): StateChart {
  let chart = cache.get(machine);
  if (!chart) {
    const model = chartModel(machine);
    const layout = layoutChart(model);
    chart = { ...layout, notes: model.notes, svg: chartSvg(layout) };
    cache.set(machine, chart);
  }
  return chart;
}
