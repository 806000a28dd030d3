import type { FrozenTrial } from "../tuning/frozenTrial";
import { defaultGamma } from "../tuning/samplers/tpe/sampler";
import type { PlotlyChart } from "./plotly";

/** Options of {@link tpePicture}. */
export interface TpePictureOptions {
  /** How many of the best trials count as "good" (default: Optuna's gamma, min(ceil(0.1 n), 25)). */
  readonly nGood?: number;
  /** Grid points of the density curves (default 200). */
  readonly points?: number;
  /** The objective's axis title, with its unit (default "objective"). */
  readonly targetName?: string;
}

/** A Gaussian kernel density with Scott's bandwidth (floored at 1/50 of the span), evaluated on `grid`. */
export function gaussianDensity(samples: readonly number[], grid: readonly number[], span: number): number[] {
  const n = samples.length;
  if (n === 0) return grid.map(() => 0);
  const mean = samples.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(samples.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, n - 1));
  const h = Math.max(1.06 * sd * n ** -0.2, span / 50);
  const norm = 1 / (n * h * Math.sqrt(2 * Math.PI));
  return grid.map((x) => norm * samples.reduce((a, s) => a + Math.exp(-0.5 * ((x - s) / h) ** 2), 0));
}

/**
 * TPE, pictured from a study's own trials for one numeric parameter: the trials split into the
 * best ("good") and the rest, the density of each over the parameter, l(x) and g(x), and where
 * l(x)/g(x) peaks, which is where TPE looks next. An illustration: TPE's own estimator also
 * uses priors, endpoints and adaptive bandwidths.
 */
export function tpePicture(trials: readonly FrozenTrial[], param: string, options: TpePictureOptions = {}): PlotlyChart {
  const done = trials
    .filter((t) => t.state === "COMPLETE" && t.value !== null && Number.isFinite(t.value) && typeof t.params[param] === "number")
    .sort((a, b) => (a.value as number) - (b.value as number));
  const dist = done[0]?.distributions[param];
  const log = dist !== undefined && dist.kind !== "categorical" && dist.log;
  const toAxis = (v: number): number => (log ? Math.log10(v) : v);
  const fromAxis = (u: number): number => (log ? 10 ** u : u);
  const xs = done.map((t) => toAxis(t.params[param] as number));
  const nGood = Math.min(done.length, options.nGood ?? defaultGamma(done.length));
  const good = xs.slice(0, nGood);
  const rest = xs.slice(nGood);
  const lo = dist !== undefined && dist.kind !== "categorical" ? toAxis(dist.low) : Math.min(...xs);
  const hi = dist !== undefined && dist.kind !== "categorical" ? toAxis(dist.high) : Math.max(...xs);
  const points = options.points ?? 200;
  const grid = Array.from({ length: points }, (_, k) => lo + ((hi - lo) * k) / (points - 1));
  const l = gaussianDensity(good, grid, hi - lo);
  const g = gaussianDensity(rest, grid, hi - lo);
  let best = 0;
  for (let k = 1; k < points; k++) if ((l[k] as number) / ((g[k] as number) + 1e-12) > (l[best] as number) / ((g[best] as number) + 1e-12)) best = k;
  const gridX = grid.map(fromAxis);
  const next = gridX[best] as number;
  return {
    data: [
      { type: "scatter", mode: "markers", name: `good (best ${nGood})`, x: good.map(fromAxis), y: done.slice(0, nGood).map((t) => t.value), marker: { color: "#2CA02C", size: 9 } },
      { type: "scatter", mode: "markers", name: "the rest", x: rest.map(fromAxis), y: done.slice(nGood).map((t) => t.value), marker: { color: "#D62728", size: 7, opacity: 0.6 } },
      { type: "scatter", mode: "lines", name: "l(x): density of good", x: gridX, y: l, yaxis: "y2", line: { color: "#2CA02C", width: 3 } },
      { type: "scatter", mode: "lines", name: "g(x): density of the rest", x: gridX, y: g, yaxis: "y2", line: { color: "#D62728", width: 3, dash: "dot" } },
    ],
    layout: {
      title: { text: `TPE on "${param}": next candidate near ${Number(next.toPrecision(3))}, where l(x)/g(x) peaks` },
      // The x axis sits under the lower (density) panel; both panels share it.
      xaxis: { title: { text: param }, type: log ? "log" : "linear", automargin: true, anchor: "y2" },
      yaxis: { title: { text: options.targetName ?? "objective" }, domain: [0.45, 1], automargin: true },
      yaxis2: { title: { text: "density" }, domain: [0, 0.35], anchor: "x", showticklabels: false, automargin: true },
      shapes: [{ type: "line", x0: next, x1: next, yref: "paper", y0: 0, y1: 1, line: { color: "#555", dash: "dash" } }],
      legend: { orientation: "h", x: 0, y: 1.02, yanchor: "bottom" },
      margin: { t: 100, r: 20 },
      height: 500,
    },
  };
}
