/** Optuna's `plot_parallel_coordinate`: one axis for the objective, one per parameter. */
import { CategoricalChoice } from "../distributions";
import { StudyView } from "../studyView";
import { colorScale, completeFiniteTrials, isCategorical, isLogScale, isNumerical, PlotlyFigure, selectParams, TargetOptions, titleText } from "./figure";

/** A parcoords trace over the trials that have every selected parameter. */
export function plotParallelCoordinate(study: StudyView, options: TargetOptions & { params?: readonly string[] } = {}): PlotlyFigure {
  const targetName = options.targetName ?? "Objective Value";
  // Room for the dimension labels, which plotly.js draws slanted below the axes and does not fit.
  const layout = { title: titleText("Parallel Coordinate Plot"), margin: { l: 170, r: 110, t: 80, b: 110 } };
  const all = completeFiniteTrials(study, options.target);
  if (all.length === 0) return { data: [], layout };
  const params = selectParams(all.map((p) => p.trial), options.params);
  const points = all.filter((p) => params.every((name) => name in p.trial.params));
  if (points.length === 0) return { data: [], layout };
  const trials = points.map((p) => p.trial);
  const values = points.map((p) => p.value);
  const dims: Record<string, unknown>[] = [{ label: targetName, values, range: [Math.min(...values), Math.max(...values)] }];
  for (const name of params) {
    const raw = trials.map((t) => t.params[name] as CategoricalChoice);
    const label = name.length < 20 ? name : `${name.slice(0, 17)}...`;
    if (isLogScale(trials, name)) {
      const logs = raw.map((v) => Math.log10(v as number));
      const lo = Math.min(...logs);
      const hi = Math.max(...logs);
      let ticks: number[] = Array.from({ length: Math.max(0, Math.ceil(hi) - Math.ceil(lo)) }, (_, i) => Math.ceil(lo) + i);
      if (!ticks.includes(lo)) ticks = [lo, ...ticks];
      if (!ticks.includes(hi)) ticks = [...ticks, hi];
      dims.push({ label, values: logs, range: [lo, hi], tickvals: ticks, ticktext: ticks.map((t) => formatG3(10 ** t)) });
    } else if (isCategorical(trials, name)) {
      const numeric = isNumerical(trials, name);
      const vocab: CategoricalChoice[] = [];
      const order = numeric ? [...raw].sort((a, b) => (a as number) - (b as number)) : raw;
      for (const v of order) if (!vocab.includes(v)) vocab.push(v);
      const codes = raw.map((v) => vocab.indexOf(v));
      dims.push({ label, values: codes, range: [Math.min(...codes), Math.max(...codes)], tickvals: vocab.map((_, i) => i), ticktext: vocab.map(pythonStr) });
    } else {
      const nums = raw.map(Number);
      dims.push({ label, values: nums, range: [Math.min(...nums), Math.max(...nums)] });
    }
  }
  const trace = {
    type: "parcoords",
    dimensions: dims,
    labelangle: 30,
    labelside: "bottom",
    // plotly.js sizes parcoords text on its own (13 px and less): keep it legible on a projector.
    labelfont: { size: 16 },
    tickfont: { size: 14 },
    rangefont: { size: 14 },
    line: { color: values, colorscale: colorScale(), colorbar: { title: titleText(targetName) }, showscale: true, reversescale: study.direction === "MINIMIZE" },
  };
  return { data: [trace], layout };
}

/** Python's `"{:.3g}".format(x)`. */
function formatG3(x: number): string {
  const exponent = Math.floor(Math.log10(Math.abs(x)));
  if (x !== 0 && (exponent < -4 || exponent >= 3)) {
    const [m, e] = x.toExponential(2).split("e") as [string, string];
    const mant = m.includes(".") ? m.replace(/\.?0+$/, "") : m;
    const n = Number(e);
    return `${mant}e${n < 0 ? "-" : "+"}${String(Math.abs(n)).padStart(2, "0")}`;
  }
  return String(Number(x.toPrecision(3)));
}

/** Python's `str()` of a choice. */
function pythonStr(v: CategoricalChoice): string {
  if (v === null) return "None";
  if (typeof v === "boolean") return v ? "True" : "False";
  if (typeof v === "number" && Number.isInteger(v)) return String(v);
  return String(v);
}
