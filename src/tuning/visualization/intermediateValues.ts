/** Optuna's `plot_intermediate_values`: one learning curve per trial that reported values. */
import { StudyView } from "../studyView";
import { PlotlyFigure, titledAxis, titleText } from "./figure";

/** Options of {@link plotIntermediateValues}: the axis titles, with units where they have one. */
export interface IntermediateValuesOptions {
  /** The x axis: what a step is (default "Step"), e.g. "Boosting round". */
  stepName?: string;
  /** The y axis: what was reported (default "Intermediate Value"), e.g. "CV test RMSE (PLN)". */
  valueName?: string;
}

/** Lines of intermediate values by step, one per trial (running, complete and pruned). */
export function plotIntermediateValues(study: StudyView, options: IntermediateValuesOptions = {}): PlotlyFigure {
  const layout = {
    title: titleText("Intermediate Values Plot"),
    xaxis: titledAxis(options.stepName ?? "Step"),
    yaxis: titledAxis(options.valueName ?? "Intermediate Value"),
    showlegend: false,
  };
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
