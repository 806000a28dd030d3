/** Optuna's `plot_optimization_history`: each trial's value and the best value so far. */
import { StudyView } from "../studyView";
import { PlotlyFigure, TargetOptions, titledAxis, titleText } from "./figure";

/** Scatter of objective values by trial number, with the running best as a line. */
export function plotOptimizationHistory(study: StudyView, options: TargetOptions = {}): PlotlyFigure {
  const targetName = options.targetName ?? "Objective Value";
  const layout = {
    title: titleText("Optimization History Plot"),
    xaxis: titledAxis("Trial number"),
    yaxis: titledAxis(targetName),
  };
  const points = study
    .getTrials({ states: ["COMPLETE"] })
    .map((trial) => ({ trial, value: options.target === undefined ? (trial.value as number) : options.target(trial) }));
  if (points.length === 0) return { data: [], layout };
  const x = points.map((p) => p.trial.number);
  const y = points.map((p) => p.value);
  const data: PlotlyFigure["data"] = [{ type: "scatter", x, y, mode: "markers", name: targetName }];
  if (options.target === undefined) {
    const best: number[] = [];
    for (const v of y) best.push(best.length === 0 ? v : study.direction === "MINIMIZE" ? Math.min(best[best.length - 1] as number, v) : Math.max(best[best.length - 1] as number, v));
    data.push({ type: "scatter", x, y: best, mode: "lines", name: "Best Value" });
  }
  return { data, layout };
}
