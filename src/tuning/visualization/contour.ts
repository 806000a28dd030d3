/**
 * Optuna's `plot_contour`: for each pair of parameters, the observed values on a grid of the
 * observed coordinates (padded by 5 %), left for plotly to interpolate (`connectgaps`), with the
 * trials overlaid. Two parameters give one plot; more give a matrix of subplots.
 */
import { CategoricalChoice } from "../distributions";
import { FrozenTrial } from "../frozenTrial";
import { StudyView } from "../studyView";
import { colorScale, completeFiniteTrials, isLogScale, isNumerical, PlotlyFigure, PlotlyTrace, selectParams, TargetOptions, titledAxis, titleText } from "./figure";

const PADDING_RATIO = 0.05;

interface AxisInfo {
  name: string;
  range: [number, number];
  isLog: boolean;
  isCat: boolean;
  indices: (number | string)[];
  values: (number | string | null)[];
}

/** Contour plot(s) of the objective over pairs of parameters. */
export function plotContour(study: StudyView, options: TargetOptions & { params?: readonly string[] } = {}): PlotlyFigure {
  const targetName = options.targetName ?? "Objective Value";
  const layout: Record<string, unknown> = { title: titleText("Contour Plot") };
  const points = completeFiniteTrials(study, options.target);
  const trials = points.map((p) => p.trial);
  const params = points.length === 0 ? [] : selectParams(trials, options.params);
  if (params.length < 2) return { data: [], layout };
  const axes = new Map(params.map((p) => [p, axisInfo(trials, p)]));
  const reverse = study.direction === "MINIMIZE";
  const n = params.length;
  const pairs: [string, string][] = n === 2 ? [[params[0] as string, params[1] as string]] : params.flatMap((y) => params.map((x) => [x, y] as [string, string]));
  const grid = n === 2 ? 1 : n;
  const data: PlotlyTrace[] = [];
  pairs.forEach(([xName, yName], k) => {
    const suffix = k === 0 ? "" : String(k + 1);
    const col = k % grid;
    const row = Math.floor(k / grid);
    const size = 1 / grid;
    const xa = axes.get(xName) as AxisInfo;
    const ya = axes.get(yName) as AxisInfo;
    layout[`xaxis${suffix}`] = titledAxis(row === grid - 1 ? xName : undefined, { domain: [col * size + 0.02, (col + 1) * size - 0.02], anchor: `y${suffix}`, ...axisRange(xa) });
    layout[`yaxis${suffix}`] = titledAxis(col === 0 ? yName : undefined, { domain: [1 - (row + 1) * size + 0.02, 1 - row * size - 0.02], anchor: `x${suffix}`, ...axisRange(ya) });
    if (xName === yName || xa.indices.length < 2 || ya.indices.length < 2) return;
    const z: number[][] = ya.indices.map(() => xa.indices.map(() => NaN));
    const xs: (number | string)[] = [];
    const ys: (number | string)[] = [];
    points.forEach((p, i) => {
      const xv = xa.values[i];
      const yv = ya.values[i];
      if (xv === null || xv === undefined || yv === null || yv === undefined) return;
      (z[ya.indices.indexOf(yv)] as number[])[xa.indices.indexOf(xv)] = p.value;
      xs.push(xv);
      ys.push(yv);
    });
    const ids = { xaxis: `x${suffix}`, yaxis: `y${suffix}` };
    data.push({
      type: "contour",
      x: xa.indices,
      y: ya.indices,
      z,
      colorbar: { title: titleText(targetName) },
      colorscale: colorScale(),
      connectgaps: true,
      contours: { coloring: "heatmap" },
      hoverinfo: "none",
      line: { smoothing: 1.3 },
      reversescale: reverse,
      showscale: k === 0,
      ...ids,
    });
    data.push({ type: "scatter", x: xs, y: ys, marker: { line: { width: 2, color: "Grey" }, color: "black" }, mode: "markers", showlegend: false, ...ids });
  });
  return { data, layout };
}

function axisRange(a: AxisInfo): Record<string, unknown> {
  return a.isLog ? { type: "log", range: a.range.map(Math.log10) } : { range: a.range };
}

function axisInfo(trials: readonly FrozenTrial[], name: string): AxisInfo {
  const numerical = isNumerical(trials, name);
  const values = trials.map((t) => (name in t.params ? (numerical ? Number(t.params[name]) : String(t.params[name] as CategoricalChoice)) : null));
  const present = values.filter((v): v is number | string => v !== null);
  const isLog = isLogScale(trials, name);
  let range: [number, number];
  if (numerical) {
    const nums = present as number[];
    const lo = Math.min(...nums);
    const hi = Math.max(...nums);
    if (isLog) {
      const pad = (Math.log10(hi) - Math.log10(lo)) * PADDING_RATIO;
      range = [10 ** (Math.log10(lo) - pad), 10 ** (Math.log10(hi) + pad)];
    } else {
      const pad = (hi - lo) * PADDING_RATIO;
      range = [lo - pad, hi + pad];
    }
  } else {
    const span = new Set(present).size - 1;
    range = [-span * PADDING_RATIO, span + span * PADDING_RATIO];
  }
  const unique = [...new Set(present)];
  const indices: (number | string)[] = numerical ? (unique as number[]).sort((a, b) => a - b) : (unique as string[]).sort();
  if (indices.length >= 2 && numerical) {
    indices.unshift(range[0]);
    indices.push(range[1]);
  }
  return { name, range, isLog, isCat: !numerical, indices, values };
}
