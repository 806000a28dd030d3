/** Optuna's `plot_slice`: objective value against each parameter, coloured by trial number. */
import { StudyView } from "../studyView";
import { colorScale, completeFiniteTrials, isLogScale, PlotlyFigure, selectParams, subplotAxes, TargetOptions, titleText } from "./figure";

/** One scatter subplot per parameter (log axes for log distributions). */
export function plotSlice(study: StudyView, options: TargetOptions & { params?: readonly string[] } = {}): PlotlyFigure {
  const targetName = options.targetName ?? "Objective Value";
  const points = completeFiniteTrials(study, options.target);
  const trials = points.map((p) => p.trial);
  const params = points.length === 0 ? [] : selectParams(trials, options.params);
  const { axes, ids } = subplotAxes(Math.max(params.length, 1));
  const layout: Record<string, unknown> = { title: titleText("Slice Plot"), ...axes };
  const data = params.map((name, i) => {
    const kept = points.filter((p) => name in p.trial.params);
    const id = ids[i] as { x: string; y: string };
    const suffix = i === 0 ? "" : String(i + 1);
    layout[`xaxis${suffix}`] = { ...(layout[`xaxis${suffix}`] as object), title: titleText(name), ...(isLogScale(trials, name) ? { type: "log" } : {}) };
    if (i === 0) layout["yaxis"] = { ...(layout["yaxis"] as object), title: titleText(targetName) };
    return {
      type: "scatter",
      x: kept.map((p) => p.trial.params[name]),
      y: kept.map((p) => p.value),
      mode: "markers",
      xaxis: id.x,
      yaxis: id.y,
      marker: { line: { width: 0.5, color: "Grey" }, color: kept.map((p) => p.trial.number), colorscale: colorScale(), colorbar: { title: titleText("Trial") }, showscale: i === params.length - 1 },
      showlegend: false,
    };
  });
  return { data, layout };
}
