/**
 * What a parallel-coordinates chart of runs shows, as Optuna's `plot_parallel_coordinate`
 * draws a study: one axis per param (or the params named) and the objective last, each run a
 * line through its places on the axes, coloured by the objective. Params logged by Optuna's
 * MLflow callback with a `log=True` distribution get a log axis, as in Optuna's plot.
 */
import { axisTicks, chooseScale, position, type AxisScale, type AxisValue, type Tick } from "./axisScale";
import { axisValue, type Axis } from "./plots";
import type { RunRow } from "./runRows";

/** One axis of the chart. */
export interface ParallelAxis {
  /** `params.eta` or `metrics.value`. */
  readonly id: string;
  readonly label: string;
  readonly scale: AxisScale;
  /** Runs without a value on this axis. */
  readonly missing: number;
}

/** The chart's data. */
export interface ParallelData {
  readonly runs: ReadonlyArray<{ readonly id: string; readonly name: string }>;
  readonly axes: readonly ParallelAxis[];
  /** Run r's value on axis a at `values[a][r]`, for tooltips. */
  readonly values: ReadonlyArray<readonly AxisValue[]>;
  /** Run r's place on axis a at `positions[r * axes.length + a]`: 0 (bottom) to 1 (top), NaN when missing. */
  readonly positions: Float64Array;
  /** The axis the lines are coloured by (the objective, last), or null. */
  readonly colorAxis: number | null;
  readonly lowerIsBetter: boolean;
}

/** How many params the chart shows when none are named (plotly's parcoords drew 12 well). */
export const MAX_PARAMS = 12;

/** What an Optuna distribution tag (`<param>_distribution`) says of a log scale: true, false, or null without a tag. */
export function logHintOf(rows: readonly RunRow[], param: string): boolean | null {
  for (const r of rows) {
    const d = r.tags.get(`${param}_distribution`);
    if (d === undefined) continue;
    if (/\blog=True\b/.test(d)) return true;
    if (/\blog=False\b/.test(d)) return false;
  }
  return null;
}

/**
 * The chart of `rows` over `params` (empty: every param the plotted runs have, sorted, at
 * most {@link MAX_PARAMS}) to `objective`; runs without the objective are left out, as are
 * axes no plotted run has a value on.
 */
export function parallelData(rows: readonly RunRow[], params: readonly string[], objective: string | null, lowerIsBetter = true): ParallelData {
  const have = objective === null ? [...rows] : rows.filter((r) => r.metrics.has(objective));
  const keys = params.length > 0 ? params : [...new Set(have.flatMap((r) => [...r.params.keys()]))].sort((a, b) => a.localeCompare(b)).slice(0, MAX_PARAMS);
  const wanted: Axis[] = keys.map((key) => ({ type: "param", key }));
  if (objective !== null) wanted.push({ type: "metric", key: objective });
  const axes: ParallelAxis[] = [];
  const values: AxisValue[][] = [];
  for (const a of wanted) {
    const vs = have.map((r) => axisValue(r, a));
    const scale = chooseScale(vs, a.type === "param" ? logHintOf(have, a.key) : null);
    if (scale === null) continue;
    axes.push({ id: `${a.type}s.${a.key}`, label: a.key, scale, missing: vs.filter((v) => v === null).length });
    values.push(vs);
  }
  const positions = new Float64Array(have.length * axes.length);
  for (let a = 0; a < axes.length; a++) {
    const scale = (axes[a] as ParallelAxis).scale;
    const vs = values[a] as AxisValue[];
    for (let r = 0; r < have.length; r++) positions[r * axes.length + a] = position(scale, vs[r] as AxisValue);
  }
  const colorAxis = objective !== null && axes.length > 0 && (axes[axes.length - 1] as ParallelAxis).id === `metrics.${objective}` ? axes.length - 1 : null;
  return { runs: have.map((r) => ({ id: r.runId, name: r.name })), axes, values, positions, colorAxis, lowerIsBetter };
}

/** The ticks of every axis, about `count` each. */
export function ticksOf(data: ParallelData, count: number): Tick[][] {
  return data.axes.map((a) => axisTicks(a.scale, count));
}
