/**
 * Display helpers for the notebooks and slides: HTML tables and offline plotly charts, so the
 * notebooks hold calls, not logic. Each returns an HTML string for tslab's `display.html`.
 */
export { escapeHtml, scriptJson } from "./html";
export { formatCell, frameToHtml, matrixToHtml, recordsToHtml } from "./table";
export type { TableHtmlOptions } from "./table";
export { loadPlotly, plotlyHtml, plotlyVersion, PLOTLY_CHART_CLASS } from "./plotly";
export type { PlotlyChart, PlotlyHtmlOptions } from "./plotly";
export { schemaRecords, cleaningRecords, histogramBins, priceHistogram, pricesByVoivodeship, citiesScatter } from "./olxCharts";
export type { ColumnSummary } from "./olxCharts";
export { comparisonRecords, comparisonChart, runsRecords } from "./modelCharts";
export type { ComparedModel, RunsRecordsOptions } from "./modelCharts";
export { fileTree } from "./fileTree";
export type { FileTreeOptions } from "./fileTree";
export { tpePicture, gaussianDensity } from "./tpePicture";
export type { TpePictureOptions } from "./tpePicture";
