/**
 * Display helpers for the notebooks and slides: HTML tables, offline plotly charts, diagrams and
 * sentences generated from the data, so the notebooks hold calls, not logic. Each returns an
 * HTML string (or rows for a table) for tslab's `display.html`.
 */
export { escapeHtml, scriptJson } from "./html";
export { formatCell, frameToHtml, matrixToHtml, recordsToHtml, transposeRecords } from "./table";
export type { TableHtmlOptions } from "./table";
export { formatPercent, formatPln, formatSeconds, formatSignificant, formatWhole } from "./format";
export { proseHtml, PROSE_CLASS } from "./prose";
export { loadPlotly, plotlyHtml, plotlyVersion, PLOTLY_CHART_CLASS, PLOTLY_FONT_SIZE } from "./plotly";
export type { PlotlyChart, PlotlyHtmlOptions } from "./plotly";
export { schemaRecords, cleaningRecords, cleaningSentences, histogramBins, priceHistogram, pricesByVoivodeship, citiesScatter } from "./olxCharts";
export type { ColumnSummary, CleaningStep } from "./olxCharts";
export { featureRecords, dataSourceSentences, OLX_COLUMN_MEANINGS, OLX_COLUMN_GROUPS } from "./olxFeatures";
export type { FeatureRecord, DataSourceFacts } from "./olxFeatures";
export { featureGroups, featureGroupRecords, beforeAfterRecords } from "./preprocessing";
export type { FeatureGroup } from "./preprocessing";
export { comparisonRecords, comparisonChart, comparisonFindings, runsRecords, runsTable, LOG_AXIS_RATIO } from "./modelCharts";
export type { ComparedModel, RunsRecordsOptions, RunsTableMetric } from "./modelCharts";
export { systemRecords, latestRunMetric, modelVersionRecords } from "./runInfo";
export type { SystemRecord } from "./runInfo";
export { trialRecords, paramRecords, tuningSummarySentences, holdoutRecords, tuningVerdictSentences } from "./tuningTables";
export type { TrialRecordsOptions, ParamRecord, TuningRunFacts, HoldoutFigures, TuningVerdictFacts } from "./tuningTables";
export { fileTree, foldedTreeHtml } from "./fileTree";
export type { FileTreeOptions, FoldedTreeOptions } from "./fileTree";
export { tpePicture, gaussianDensity } from "./tpePicture";
export type { TpePictureOptions } from "./tpePicture";
export { diagramSvg, DIAGRAM_CLASS } from "./diagram";
export type { DiagramSpec, DiagramBox, DiagramGroup, DiagramArrow } from "./diagram";
export { setupDiagram, setupDiagramSpec } from "./setupDiagrams";
export type { MlflowSetup } from "./setupDiagrams";
