import type { Frame } from "../data/frame";
import type { OlxCleaningStats } from "../data/olx";
import { OLX_CATEGORICAL_FEATURES, OLX_NUMERIC_FEATURES, OLX_TARGET, type OlxColumn } from "../data/olxSchema";
import { quantile } from "../data/quantile";
import { formatPercent, formatSignificant, formatWhole } from "./format";

/** What the OLX columns mean, as the published data set defines them (the original talk's list). */
export const OLX_COLUMN_MEANINGS: Readonly<Record<string, string>> = {
  price: "asking price in PLN",
  price_per_meter: "price / area in PLN per m² (would leak the price)",
  area: "floor area in m²",
  rooms: "number of rooms; the published file codes 4 or more as 4",
  floor: "-1 basement, 0 ground floor; 10 stands for 10th or higher, 11 for the attic",
  offer_type_of_building: "housing block, tenement, apartment building, loft or other",
  market: "primary (new build) or aftermarket",
  offer_type: "listed by a private person or an estate agency",
  offer_title: "the advert's title",
  city_name: "the city, with Polish letters repaired",
  population: "the city's population",
  voivodeship: "one of Poland's 16 provinces",
  longitude: "east-west coordinate in degrees",
  latitude: "north-south coordinate in degrees",
  month: "month the offer was listed",
  year: "year the offer was listed",
};

/** The flat's own columns and where-and-when columns: the two halves of the feature slides. */
export const OLX_COLUMN_GROUPS = {
  flat: ["price", "price_per_meter", "area", "rooms", "floor", "offer_type_of_building", "market", "offer_type"],
  place: ["city_name", "population", "voivodeship", "longitude", "latitude", "month", "year"],
} as const;

/**
 * One row of {@link featureRecords}: a column (marked "target" or "not used" when it is not a
 * model feature), what it means, and what this data holds.
 */
export interface FeatureRecord {
  readonly column: string;
  readonly meaning: string;
  readonly "in this data": string;
}

/** The column's name as the table shows it: features plain, the target and unused columns marked. */
function labelOf(column: string): string {
  if (column === OLX_TARGET) return `${column} (target)`;
  if (OLX_NUMERIC_FEATURES.includes(column as OlxColumn) || OLX_CATEGORICAL_FEATURES.includes(column as OlxColumn)) return column;
  return `${column} (not used)`;
}

function numericSummary(values: Float64Array): string {
  const v = [...values].filter(Number.isFinite);
  if (v.length === 0) return "all missing";
  let lo = Infinity;
  let hi = -Infinity;
  for (const x of v) {
    lo = Math.min(lo, x);
    hi = Math.max(hi, x);
  }
  const missing = values.length - v.length;
  const distinct = new Set(v).size;
  const span = `${formatSignificant(lo, 4)} to ${formatSignificant(hi, 4)}`;
  const tail = distinct > 12 ? `, median ${formatSignificant(quantile(v, 0.5), 4)}` : "";
  return `${span}${tail}${missing > 0 ? `; ${formatWhole(missing)} missing` : ""}`;
}

function textSummary(values: readonly (string | null)[]): string {
  const counts = new Map<string, number>();
  let missing = 0;
  for (const v of values) {
    if (v === null || v === "") missing++;
    else counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  const sorted = [...counts.entries()].sort((a, b) => b[1] - a[1]);
  const top = sorted[0];
  if (top === undefined) return "all missing";
  const shown = `${formatWhole(sorted.length)} values, most often ${top[0]} (${formatPercent(top[1] / values.length, 0)})`;
  return `${shown}${missing > 0 ? `; ${formatWhole(missing)} missing` : ""}`;
}

/** Whether each city has one coordinate pair (the real file) or several (scattered around it). */
function coordinateSummary(frame: Frame, column: "longitude" | "latitude"): string {
  const cities = frame.text("city_name");
  const lon = frame.numeric("longitude");
  const lat = frame.numeric("latitude");
  const points = new Map<string, Set<string>>();
  for (let i = 0; i < frame.nRows; i++) {
    const set = points.get(cities[i] ?? "") ?? new Set<string>();
    set.add(`${lon[i]},${lat[i]}`);
    points.set(cities[i] ?? "", set);
  }
  const perCity = [...points.values()].every((s) => s.size === 1);
  const where = perCity ? "one point per city (the city's, not the flat's)" : "scattered around each city";
  return `${numericSummary(frame.numeric(column))}; ${where}`;
}

/**
 * The data set's columns with their meanings and, measured on `frame`, what they hold here:
 * ranges of numbers, the commonest value of texts, whether coordinates are per city.
 * `group` picks the flat's own columns or the where-and-when ones.
 */
export function featureRecords(frame: Frame, group: keyof typeof OLX_COLUMN_GROUPS): FeatureRecord[] {
  return OLX_COLUMN_GROUPS[group]
    .filter((column) => frame.has(column))
    .map((column) => {
      const values = frame.get(column);
      const observed =
        column === "longitude" || column === "latitude"
          ? coordinateSummary(frame, column)
          : values instanceof Float64Array
            ? numericSummary(values)
            : textSummary(values as readonly (string | null)[]);
      return { column: labelOf(column), meaning: OLX_COLUMN_MEANINGS[column] ?? "", "in this data": observed };
    });
}

/** Where the data came from, as `loadOlx` and `prepareOlx` report it. */
export interface DataSourceFacts {
  readonly source: "real" | "sample";
  readonly stats: OlxCleaningStats;
  /** The cleaned rows (for the counts of cities and voivodeships). */
  readonly frame: Frame;
}

/** Sentences saying which data the slides ran on and how much of it, true for the sample and the real file alike. */
export function dataSourceSentences(data: DataSourceFacts): string[] {
  const cities = new Set(data.frame.text("city_name")).size;
  const voivodeships = new Set(data.frame.text("voivodeship")).size;
  const counts =
    `${formatWhole(data.stats.rows_raw)} offers read, ${formatWhole(data.stats.rows_after_price_filter)} kept after cleaning, ` +
    `in ${formatWhole(cities)} cities of ${voivodeships} voivodeships.`;
  if (data.source === "real") {
    return [`These slides ran on the **real data**, the published file: ${counts}`];
  }
  return [
    `These slides ran on a **synthetic sample** made by this project, with the published file's schema and quirks: ${counts}`,
    "The real file's licence is unknown, so it is not bundled; `OLX_CSV=path/to/file.csv npm run demo` uses it.",
  ];
}
