import { ValueError } from "../errors";
import { Frame } from "./frame";
import { OLX_COLUMNS, OLX_NUMERIC_COLUMNS, OLX_REPAIRED_TEXT_COLUMNS, OLX_TARGET } from "./olxSchema";
import { SAMPLE_OLX_CSV } from "./paths";
import { quantileOfSorted, sortedPresent } from "./quantile";
import { readCsvDeferred } from "./readCsv";

/** Options for reading and cleaning the OLX data. */
export interface OlxOptions {
  /** The CSV to read; default: `OLX_CSV` from the environment, else the bundled sample. */
  readonly csv?: string;
  /** Repair double-encoded Polish letters in offer_title and city_name (default true). */
  readonly repairText?: boolean;
  /** Drop exact duplicate rows before cleaning (default false: the original Python project keeps them). */
  readonly dropDuplicates?: boolean;
}

/** Counts and thresholds of the original Python project's cleaning, named as the `data` command prints them. */
export interface OlxCleaningStats {
  readonly rows_raw: number;
  readonly duplicates_dropped: number;
  readonly rows_after_dropna_floor: number;
  readonly price_q05: number;
  readonly price_q95: number;
  readonly rows_after_price_filter: number;
  readonly repaired_text_values: number;
}

/** The cleaned OLX data, with where it came from and how it was cleaned. */
export interface OlxData {
  readonly frame: Frame;
  readonly stats: OlxCleaningStats;
  /** "real" when a file was named, "sample" for the bundled synthetic sample. */
  readonly source: "real" | "sample";
  /** The file read. */
  readonly path: string;
}

/** Which CSV to read: the option, else `OLX_CSV`, else the bundled sample. */
export function resolveOlxCsv(csv?: string): { path: string; source: "real" | "sample" } {
  const path = csv ?? process.env["OLX_CSV"] ?? SAMPLE_OLX_CSV;
  return { path, source: path === SAMPLE_OLX_CSV ? "sample" : "real" };
}

/** Reads an OLX CSV as published; returns the raw frame and how many text values were repaired. */
export function readOlx(path: string, repairText = true): { frame: Frame; repaired: number } {
  const { frame, countRepaired } = readOlxDeferred(path, repairText);
  return { frame, repaired: countRepaired() };
}

function readOlxDeferred(path: string, repairText: boolean): { frame: Frame; countRepaired: () => number } {
  const { frame, countRepaired } = readCsvDeferred(path, {
    requiredColumns: OLX_COLUMNS,
    numericColumns: OLX_NUMERIC_COLUMNS,
    repairColumns: repairText ? OLX_REPAIRED_TEXT_COLUMNS : [],
  });
  return { frame, countRepaired: () => Object.values(countRepaired()).reduce((a, b) => a + b, 0) };
}

/** The indices of the first occurrence of each distinct row (pandas `drop_duplicates(keep="first")`). */
export function firstOccurrences(frame: Frame): number[] {
  const seen = new Set<string>();
  const keep: number[] = [];
  const cols = frame.columnNames.map((n) => frame.get(n));
  for (let i = 0; i < frame.nRows; i++) {
    const key = JSON.stringify(cols.map((c) => (typeof c[i] === "number" && Number.isNaN(c[i]) ? null : c[i])));
    if (!seen.has(key)) {
      seen.add(key);
      keep.push(i);
    }
  }
  return keep;
}

/**
 * The original Python project's cleaning, exactly: drop rows with a missing floor, then keep rows whose price
 * lies within the 5% and 95% quantiles inclusive (linear interpolation, computed after the
 * floor filter).
 */
export function cleanOlx(raw: Frame, options: { dropDuplicates?: boolean } = {}): { frame: Frame; stats: Omit<OlxCleaningStats, "repaired_text_values"> } {
  const deduped = options.dropDuplicates ? raw.take(firstOccurrences(raw)) : raw;
  const floor = deduped.numeric("floor");
  const price = deduped.numeric(OLX_TARGET);
  const pricesWithFloor = pricesWhereFloorIsKnown(floor, price);
  if (pricesWithFloor.length === 0) throw new ValueError("cleanOlx: no rows left after dropping rows with a missing floor");
  const sorted = sortedPresent(pricesWithFloor);
  const q05 = quantileOfSorted(sorted, 0.05);
  const q95 = quantileOfSorted(sorted, 0.95);
  const keep = rowsToKeep(floor, price, q05, q95);
  const kept = deduped.take(keep);
  return {
    frame: kept,
    stats: {
      rows_raw: raw.nRows,
      duplicates_dropped: raw.nRows - deduped.nRows,
      rows_after_dropna_floor: pricesWithFloor.length,
      price_q05: q05,
      price_q95: q95,
      rows_after_price_filter: kept.nRows,
    },
  };
}

/** The prices of the rows whose floor is known, in row order. */
function pricesWhereFloorIsKnown(floor: Float64Array, price: Float64Array): Float64Array {
  const out = new Float64Array(floor.length);
  let count = 0;
  for (let i = 0; i < floor.length; i++) if (floor[i] === floor[i]) out[count++] = price[i] as number;
  return out.subarray(0, count);
}

/** The rows with a known floor and a price within [q05, q95]. */
function rowsToKeep(floor: Float64Array, price: Float64Array, q05: number, q95: number): Int32Array {
  const keep = new Int32Array(floor.length);
  let count = 0;
  for (let i = 0; i < floor.length; i++) {
    const p = price[i] as number;
    if (floor[i] === floor[i] && p <= q95 && p >= q05) keep[count++] = i;
  }
  return keep.subarray(0, count);
}

/** Reads and cleans the OLX data (the real file when named, else the bundled sample). */
export function loadOlx(options: OlxOptions = {}): OlxData {
  const { path, source } = resolveOlxCsv(options.csv);
  const { frame: raw, repaired } = readOlx(path, options.repairText ?? true);
  const { frame, stats } = cleanOlx(raw, { dropDuplicates: options.dropDuplicates ?? false });
  return { frame, stats: { ...stats, repaired_text_values: repaired }, source, path };
}

/**
 * {@link loadOlx} for callers that want the model matrix: `stats.repaired_text_values` is
 * counted when first read (the same number), since counting means reading every offer title.
 */
export function loadOlxCountingRepairsOnRead(options: OlxOptions = {}): OlxData {
  const { path, source } = resolveOlxCsv(options.csv);
  const { frame: raw, countRepaired } = readOlxDeferred(path, options.repairText ?? true);
  const { frame, stats } = cleanOlx(raw, { dropDuplicates: options.dropDuplicates ?? false });
  let repaired: number | undefined;
  const withCount = Object.defineProperty({ ...stats }, "repaired_text_values", {
    enumerable: true,
    get: (): number => (repaired ??= countRepaired()),
  }) as OlxCleaningStats;
  return { frame, stats: withCount, source, path };
}
