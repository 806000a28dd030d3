import { ValueError } from "../errors";
import { Frame } from "./frame";
import { OLX_COLUMNS, OLX_NUMERIC_COLUMNS, OLX_REPAIRED_TEXT_COLUMNS, OLX_TARGET } from "./olxSchema";
import { SAMPLE_OLX_CSV } from "./paths";
import { quantile } from "./quantile";
import { readCsv } from "./readCsv";

/** Options for reading and cleaning the OLX data. */
export interface OlxOptions {
  /** The CSV to read; default: `OLX_CSV` from the environment, else the bundled sample. */
  readonly csv?: string;
  /** Repair double-encoded Polish letters in offer_title and city_name (default true). */
  readonly repairText?: boolean;
  /** Drop exact duplicate rows before cleaning (default false: the seed keeps them). */
  readonly dropDuplicates?: boolean;
}

/** Counts and thresholds of the seed's cleaning, named as the `data` command prints them. */
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
  const { frame, repaired } = readCsv(path, {
    requiredColumns: OLX_COLUMNS,
    numericColumns: OLX_NUMERIC_COLUMNS,
    repairColumns: repairText ? OLX_REPAIRED_TEXT_COLUMNS : [],
  });
  return { frame, repaired: Object.values(repaired).reduce((a, b) => a + b, 0) };
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
 * The seed's cleaning, exactly: drop rows with a missing floor, then keep rows whose price
 * lies within the 5% and 95% quantiles inclusive (linear interpolation, computed after the
 * floor filter).
 */
export function cleanOlx(raw: Frame, options: { dropDuplicates?: boolean } = {}): { frame: Frame; stats: Omit<OlxCleaningStats, "repaired_text_values"> } {
  const deduped = options.dropDuplicates ? raw.take(firstOccurrences(raw)) : raw;
  const floor = deduped.numeric("floor");
  const price = deduped.numeric(OLX_TARGET);
  const withFloor: number[] = [];
  const pricesWithFloor: number[] = [];
  for (let i = 0; i < deduped.nRows; i++) {
    if (!Number.isNaN(floor[i] as number)) {
      withFloor.push(i);
      pricesWithFloor.push(price[i] as number);
    }
  }
  if (withFloor.length === 0) throw new ValueError("cleanOlx: no rows left after dropping rows with a missing floor");
  const q05 = quantile(pricesWithFloor, 0.05);
  const q95 = quantile(pricesWithFloor, 0.95);
  const keep = withFloor.filter((i) => (price[i] as number) <= q95 && (price[i] as number) >= q05);
  const kept = deduped.take(keep);
  return {
    frame: kept,
    stats: {
      rows_raw: raw.nRows,
      duplicates_dropped: raw.nRows - deduped.nRows,
      rows_after_dropna_floor: withFloor.length,
      price_q05: q05,
      price_q95: q95,
      rows_after_price_filter: kept.nRows,
    },
  };
}

/** Reads and cleans the OLX data (the real file when named, else the bundled sample). */
export function loadOlx(options: OlxOptions = {}): OlxData {
  const { path, source } = resolveOlxCsv(options.csv);
  const { frame: raw, repaired } = readOlx(path, options.repairText ?? true);
  const { frame, stats } = cleanOlx(raw, { dropDuplicates: options.dropDuplicates ?? false });
  return { frame, stats: { ...stats, repaired_text_values: repaired }, source, path };
}
