/**
 * Plotly figures as plain objects (`{data, layout}`), ready for `Plotly.newPlot(el, fig.data,
 * fig.layout)` in notebooks and slides. Shapes follow Optuna 3.1's `optuna/visualization`.
 */
import { ValueError } from "../../errors";
import { FrozenTrial } from "../frozenTrial";
import { StudyView } from "../studyView";

/** One plotly trace. */
export type PlotlyTrace = Record<string, unknown>;

/** A plotly figure. */
export interface PlotlyFigure {
  data: PlotlyTrace[];
  layout: Record<string, unknown>;
}

/** Options shared by the plots: what to plot instead of the objective value. */
export interface TargetOptions {
  /** Value to plot for a trial (default: its objective value). */
  target?: (trial: FrozenTrial) => number;
  /** Axis and legend label, with its unit when it has one, e.g. "CV test RMSE (PLN)" (default "Objective Value"). */
  targetName?: string;
}

/** A title as plotly.js draws it: `{text}` (plotly.js 4 ignores a plain string). */
export function titleText(text: string): { text: string } {
  return { text };
}

/**
 * A cartesian axis with its title (`{text}`, see {@link titleText}) and `automargin`, so the
 * margins grow to fit tick labels such as long parameter names instead of cutting them.
 */
export function titledAxis(title: string | undefined, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...(title === undefined ? {} : { title: titleText(title) }), automargin: true, ...extra };
}

/** plotly.colors.sequential.Blues, Optuna's COLOR_SCALE. */
export const COLOR_SCALE: readonly string[] = [
  "rgb(247,251,255)",
  "rgb(222,235,247)",
  "rgb(198,219,239)",
  "rgb(158,202,225)",
  "rgb(107,174,214)",
  "rgb(66,146,198)",
  "rgb(33,113,181)",
  "rgb(8,81,156)",
  "rgb(8,48,107)",
];

/** The same scale as plotly `[[fraction, color]...]` pairs. */
export function colorScale(): [number, string][] {
  return COLOR_SCALE.map((c, i) => [i / (COLOR_SCALE.length - 1), c]);
}

/** COMPLETE trials whose target is finite (Optuna's `_filter_nonfinite`). */
export function completeFiniteTrials(study: StudyView, target?: (t: FrozenTrial) => number): { trial: FrozenTrial; value: number }[] {
  const out: { trial: FrozenTrial; value: number }[] = [];
  for (const trial of study.getTrials({ states: ["COMPLETE"] })) {
    const value = target === undefined ? trial.value : target(trial);
    if (value !== null && Number.isFinite(value)) out.push({ trial, value });
  }
  return out;
}

/** Whether every trial that has `name` used a log distribution for it. */
export function isLogScale(trials: readonly FrozenTrial[], name: string): boolean {
  return trials.some((t) => {
    const d = t.distributions[name];
    return d !== undefined && d.kind !== "categorical" && d.log;
  });
}

/** Whether every value of a parameter is a number (not a bool or string), as Optuna's `_is_numerical`. */
export function isNumerical(trials: readonly FrozenTrial[], name: string): boolean {
  return trials.every((t) => !(name in t.params) || typeof t.params[name] === "number");
}

/** Whether any trial drew the parameter from a categorical distribution. */
export function isCategorical(trials: readonly FrozenTrial[], name: string): boolean {
  return trials.some((t) => t.distributions[name]?.kind === "categorical");
}

/** Parameter names used by the trials, sorted, or the requested ones (checked). */
export function selectParams(trials: readonly FrozenTrial[], params?: readonly string[]): string[] {
  const all = new Set(trials.flatMap((t) => Object.keys(t.params)));
  if (params === undefined) return [...all].sort();
  for (const p of params) if (!all.has(p)) throw new ValueError(`Parameter ${p} does not exist in your study.`);
  return [...new Set(params)].sort();
}

/**
 * Layout axes for `n` side-by-side subplots (`xaxis`, `xaxis2`...) sharing the first one's y axis
 * (as plotly's `make_subplots(shared_yaxes=True)`, which Optuna uses), and the trace axis ids.
 */
export function subplotAxes(n: number, gap = 0.04): { axes: Record<string, unknown>; ids: { x: string; y: string }[] } {
  const axes: Record<string, unknown> = {};
  const ids: { x: string; y: string }[] = [];
  const width = (1 - gap * (n - 1)) / n;
  for (let i = 0; i < n; i++) {
    const suffix = i === 0 ? "" : String(i + 1);
    axes[`xaxis${suffix}`] = { domain: [i * (width + gap), i * (width + gap) + width], anchor: `y${suffix}`, automargin: true };
    axes[`yaxis${suffix}`] = i === 0 ? { anchor: "x", automargin: true } : { anchor: `x${suffix}`, matches: "y", showticklabels: false };
    ids.push({ x: `x${suffix}`, y: `y${suffix}` });
  }
  return { axes, ids };
}
