/** Optuna's `plot_intermediate_values`: one learning curve per trial that reported values. */
import { StudyView } from "../studyView";
import { PlotlyFigure } from "./figure";

/** Lines of intermediate values by step, one per trial (running, complete and pruned). */
export function plotIntermediateValues(study: StudyView): PlotlyFigure {
  const layout = { title: "Intermediate Values Plot", xaxis: { title: "Step" }, yaxis: { title: "Intermediate Value" }, showlegend: false };
  const data = study
    .getTrials({ states: ["PRUNED", "COMPLETE", "RUNNING"] })
    .filter((t) => t.intermediateValues.size > 0)
    .map((t) => {
      const steps = [...t.intermediateValues.keys()].sort((a, b) => a - b);
      return {
        type: "scatter",
        x: steps,
        y: steps.map((s) => t.intermediateValues.get(s) as number),
        mode: "lines+markers",
        marker: { maxdisplayed: 10 },
        name: `Trial${t.number}`,
        meta: { state: t.state },
      };
    });
  return { data, layout };
}
