import type { Frame } from "../data/frame";
import type { OlxCleaningStats } from "../data/olx";
import { OLX_REPAIRED_TEXT_COLUMNS } from "../data/olxSchema";
import { quantile } from "../data/quantile";
import { formatWhole } from "./format";
import type { PlotlyChart } from "./plotly";

/** One line of {@link schemaRecords}: a column's type and how full it is. */
export interface ColumnSummary {
  readonly column: string;
  readonly type: "number" | "text";
  readonly missing: number;
  readonly distinct: number;
  readonly example: string | number | null;
}

/** The schema of a frame as table rows: type, missing values, distinct values and the first non-missing value. */
export function schemaRecords(frame: Frame): ColumnSummary[] {
  return frame.columnNames.map((column) => {
    const values = frame.get(column);
    const numeric = values instanceof Float64Array;
    let missing = 0;
    let example: string | number | null = null;
    const distinct = new Set<string | number>();
    for (let i = 0; i < values.length; i++) {
      const v = values[i] as number | string | null;
      if (v === null || (typeof v === "number" && Number.isNaN(v))) {
        missing++;
        continue;
      }
      if (example === null) example = v;
      distinct.add(v);
    }
    return { column, type: numeric ? "number" : "text", missing, distinct: distinct.size, example };
  });
}

/** One step of {@link cleaningRecords}: the rows it removed and the rows left after it. */
export interface CleaningStep {
  readonly step: string;
  readonly "rows removed": number | null;
  readonly "rows left": number;
}

/**
 * The original Python project's cleaning as table rows: each step, the rows it removed and
 * the rows left, so every number in the table counts rows. (Repaired text values count cells,
 * not rows: see {@link cleaningSentences}.)
 */
export function cleaningRecords(stats: OlxCleaningStats): CleaningStep[] {
  const afterDuplicates = stats.rows_raw - stats.duplicates_dropped;
  const q05 = formatWhole(stats.price_q05);
  const q95 = formatWhole(stats.price_q95);
  return [
    { step: "rows read", "rows removed": null, "rows left": stats.rows_raw },
    { step: "exact duplicates dropped", "rows removed": stats.duplicates_dropped, "rows left": afterDuplicates },
    { step: "offers without a floor dropped", "rows removed": afterDuplicates - stats.rows_after_dropna_floor, "rows left": stats.rows_after_dropna_floor },
    {
      step: `prices outside ${q05} to ${q95} PLN (5 % and 95 % quantiles) dropped`,
      "rows removed": stats.rows_after_dropna_floor - stats.rows_after_price_filter,
      "rows left": stats.rows_after_price_filter,
    },
  ];
}

/** What the cleaning table does not show: repaired text values (cells, not rows) and whether duplicates stay. */
export function cleaningSentences(stats: OlxCleaningStats): string[] {
  const duplicates =
    stats.duplicates_dropped === 0 ? "Duplicates are kept, as in the original Python project." : `${formatWhole(stats.duplicates_dropped)} exact duplicates were dropped.`;
  return [
    `Before these steps, ${formatWhole(stats.repaired_text_values)} text values (cells of ${OLX_REPAIRED_TEXT_COLUMNS.join(" and ")}) had their double-encoded Polish letters repaired.`,
    duplicates,
  ];
}

function finite(values: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i] as number)) out.push(values[i] as number);
  return out;
}

function range(values: readonly number[]): { lo: number; hi: number } {
  let lo = Infinity;
  let hi = -Infinity;
  for (const x of values) {
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  return { lo, hi };
}

/** Equal-width bin counts, computed here so the chart carries `bins` numbers rather than every price. */
export function histogramBins(values: ArrayLike<number>, bins: number): { centers: number[]; counts: number[]; width: number } {
  const v = finite(values);
  if (v.length === 0) return { centers: [], counts: [], width: 0 };
  const { lo, hi } = range(v);
  const width = hi > lo ? (hi - lo) / bins : 1;
  const counts = new Array<number>(bins).fill(0);
  for (const x of v) counts[Math.min(bins - 1, Math.floor((x - lo) / width))]++;
  return { centers: counts.map((_, k) => lo + (k + 0.5) * width), counts, width };
}

/** The price distribution: a histogram of `price` (PLN) with its median marked. */
export function priceHistogram(frame: Frame, bins = 40): PlotlyChart {
  const prices = frame.numeric("price");
  const { centers, counts, width } = histogramBins(prices, bins);
  const median = quantile(finite(prices), 0.5);
  return {
    data: [{ type: "bar", x: centers, y: counts, width, marker: { color: "#4C78A8" }, name: "offers" }],
    layout: {
      title: { text: `Price distribution (${formatWhole(frame.nRows)} offers)` },
      xaxis: { title: { text: "price (PLN)" }, automargin: true },
      yaxis: { title: { text: "offers (count)" }, automargin: true },
      bargap: 0.02,
      shapes: [{ type: "line", x0: median, x1: median, yref: "paper", y0: 0, y1: 1, line: { dash: "dot", color: "#E45756", width: 3 } }],
      annotations: [
        { x: median, y: 1, yref: "paper", text: `median ${formatWhole(median)} PLN`, showarrow: false, xanchor: "left", yanchor: "top", xshift: 6, font: { color: "#E45756" } },
      ],
      margin: { t: 60, r: 20 },
    },
  };
}

/** Prices by voivodeship: one box per voivodeship from precomputed quartiles, sorted by median. */
export function pricesByVoivodeship(frame: Frame): PlotlyChart {
  const names = frame.text("voivodeship");
  const prices = frame.numeric("price");
  const groups = new Map<string, number[]>();
  for (let i = 0; i < frame.nRows; i++) {
    const key = names[i] ?? "(missing)";
    const p = prices[i] as number;
    if (!Number.isFinite(p)) continue;
    const list = groups.get(key) ?? [];
    list.push(p);
    groups.set(key, list);
  }
  const rows = [...groups.entries()].map(([name, v]) => {
    const q1 = quantile(v, 0.25);
    const q3 = quantile(v, 0.75);
    return { name, n: v.length, q1, median: quantile(v, 0.5), q3, ...range(v) };
  });
  rows.sort((a, b) => a.median - b.median);
  return {
    data: [
      {
        type: "box",
        y: rows.map((r) => `${r.name} (${r.n})`),
        orientation: "h",
        q1: rows.map((r) => r.q1),
        median: rows.map((r) => r.median),
        q3: rows.map((r) => r.q3),
        lowerfence: rows.map((r) => r.lo),
        upperfence: rows.map((r) => r.hi),
        marker: { color: "#4C78A8" },
        name: "price",
      },
    ],
    layout: {
      title: { text: "Prices by voivodeship (whiskers: min and max after cleaning)" },
      xaxis: { title: { text: "price (PLN)" }, automargin: true },
      yaxis: { title: { text: "voivodeship (offers)" }, automargin: true },
      margin: { t: 60, r: 20 },
      showlegend: false,
      height: 520,
    },
  };
}

/** Cities on a map-like scatter: longitude and latitude, marker area by offers, colour by median price. */
export function citiesScatter(frame: Frame): PlotlyChart {
  const cities = frame.text("city_name");
  const lon = frame.numeric("longitude");
  const lat = frame.numeric("latitude");
  const prices = frame.numeric("price");
  const groups = new Map<string, { lon: number[]; lat: number[]; prices: number[] }>();
  for (let i = 0; i < frame.nRows; i++) {
    const key = cities[i] ?? "(missing)";
    const g = groups.get(key) ?? { lon: [], lat: [], prices: [] };
    if (Number.isFinite(lon[i] as number) && Number.isFinite(lat[i] as number)) {
      g.lon.push(lon[i] as number);
      g.lat.push(lat[i] as number);
    }
    g.prices.push(prices[i] as number);
    groups.set(key, g);
  }
  const mean = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
  const points = [...groups.entries()]
    .filter(([, g]) => g.lon.length > 0)
    .map(([name, g]) => ({ name, lon: mean(g.lon), lat: mean(g.lat), n: g.prices.length, median: quantile(finite(g.prices), 0.5) }));
  const maxN = points.reduce((m, p) => Math.max(m, p.n), 1);
  return {
    data: [
      {
        type: "scatter",
        mode: "markers",
        x: points.map((p) => p.lon),
        y: points.map((p) => p.lat),
        text: points.map((p) => `${p.name}: ${p.n} offers, median ${Math.round(p.median)} PLN`),
        hoverinfo: "text",
        marker: {
          size: points.map((p) => 6 + 40 * Math.sqrt(p.n / maxN)),
          color: points.map((p) => p.median),
          colorscale: "Viridis",
          showscale: true,
          colorbar: { title: { text: "median price (PLN)" } },
          line: { width: 0.5, color: "#333" },
          opacity: 0.8,
        },
      },
    ],
    layout: {
      title: { text: `Cities (${points.length}): marker area by offers, colour by median price` },
      xaxis: { title: { text: "longitude (degrees east)" }, automargin: true },
      yaxis: { title: { text: "latitude (degrees north)" }, scaleanchor: "x", scaleratio: 1.6, automargin: true },
      margin: { t: 60, r: 20 },
      height: 520,
    },
  };
}
