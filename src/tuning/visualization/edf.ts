/** Optuna's `plot_edf`: empirical distribution of objective values, one line per study. */
import { StudyView } from "../studyView";
import { completeFiniteTrials, PlotlyFigure, TargetOptions, titledAxis, titleText } from "./figure";

/** Fraction of trials with value <= x, on 100 points spanning all studies' values. */
export function plotEdf(studies: StudyView | readonly StudyView[], options: TargetOptions = {}): PlotlyFigure {
  const list: readonly StudyView[] = Array.isArray(studies) ? studies : [studies as StudyView];
  const targetName = options.targetName ?? "Objective Value";
  const layout = {
    title: titleText("Empirical Distribution Function Plot"),
    xaxis: titledAxis(targetName),
    yaxis: titledAxis("Cumulative Probability", { range: [0, 1] }),
  };
  const perStudy = list.map((s) => ({ name: s.studyName, values: completeFiniteTrials(s, options.target).map((p) => p.value).sort((a, b) => a - b) }));
  const all = perStudy.flatMap((s) => s.values);
  if (all.length === 0) return { data: [], layout };
  const min = Math.min(...all);
  const max = Math.max(...all);
  const x = Array.from({ length: 100 }, (_, i) => min + ((max - min) * i) / 99);
  const data = perStudy
    .filter((s) => s.values.length > 0)
    .map((s) => ({ type: "scatter", x, y: x.map((v) => s.values.filter((w) => w <= v).length / s.values.length), name: s.name, mode: "lines" }));
  return { data, layout };
}
