/** Optuna's `plot_param_importances`: a horizontal bar per parameter, most important on top. */
import { getParamImportances, ImportanceOptions } from "../importance/pedAnova";
import { StudyView } from "../studyView";
import { PlotlyFigure, titledAxis, titleText } from "./figure";

/** Bars of PED-ANOVA importances (see {@link getParamImportances}). */
export function plotParamImportances(study: StudyView, options: ImportanceOptions & { targetName?: string } = {}): PlotlyFigure {
  const targetName = options.targetName ?? "Objective Value";
  const layout = {
    title: titleText("Hyperparameter Importances"),
    xaxis: titledAxis(`Importance for ${targetName} (sums to 1)`),
    yaxis: titledAxis("Hyperparameter"),
    showlegend: false,
  };
  const importances = getParamImportances(study, options);
  const entries = Object.entries(importances).reverse();
  if (entries.length === 0) return { data: [], layout };
  return {
    data: [
      {
        type: "bar",
        x: entries.map(([, v]) => v),
        y: entries.map(([k]) => k),
        text: entries.map(([, v]) => (v >= 0.01 ? v.toFixed(2) : "<0.01")),
        textposition: "outside",
        cliponaxis: false,
        marker: { color: "rgb(66,146,198)" },
        orientation: "h",
      },
    ],
    layout,
  };
}
