export { parseCsv } from "./csv";
export type { CsvTable } from "./csv";
export { Frame } from "./frame";
export type { Column, RowRecord } from "./frame";
export { repairDoubleEncoded } from "./mojibake";
export { quantile } from "./quantile";
export { readCsv } from "./readCsv";
export type { ReadCsvOptions, ReadCsvResult } from "./readCsv";
export { readOlx, cleanOlx, loadOlx, resolveOlxCsv, firstOccurrences } from "./olx";
export type { OlxOptions, OlxCleaningStats, OlxData } from "./olx";
export {
  OLX_COLUMNS,
  OLX_NUMERIC_COLUMNS,
  OLX_REPAIRED_TEXT_COLUMNS,
  OLX_TARGET,
  OLX_NUMERIC_FEATURES,
  OLX_CATEGORICAL_FEATURES,
} from "./olxSchema";
export type { OlxColumn } from "./olxSchema";
export { PROJECT_ROOT, SAMPLE_OLX_CSV, REAL_OLX_CSV } from "./paths";
export { trainTestSplit } from "./split";
export type { TrainTestSplitOptions, SplitIndices } from "./split";
export { toCsv } from "./writeCsv";
export type { ToCsvOptions } from "./writeCsv";
export { generateOlxSample, olxSampleCsv, doubleEncode } from "./sample";
export type { OlxSampleOptions } from "./sample";
export { POLISH_CITIES } from "./polishCities";
export type { PolishCity } from "./polishCities";
export type { DeferredColumn, ColumnSource } from "./column";
