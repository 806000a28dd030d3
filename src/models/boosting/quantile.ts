/**
 * Histogram cut points per feature, after XGBoost 1.7's `HistogramCuts`
 * (src/common/quantile.cc, hist_util.cc): a weighted quantile summary of each column,
 * pruned to `max_bin * 8` then to `max_bin + 1` entries; the cuts are the summary's
 * values from the second on, closed by one value above the maximum. A value falls in
 * the first bin whose cut is greater than it.
 */
export interface HistogramCuts {
  /** `ptrs[f]..ptrs[f+1]` index the cuts of feature f in `values`. */
  readonly ptrs: Int32Array;
  /** Cut values (float32), increasing within each feature. */
  readonly values: Float32Array;
  /** Per feature, a value below the minimum (XGBoost's `min_vals`). */
  readonly minValues: Float32Array;
}

import { sortFloat32 } from "./radixSort";

const SKETCH_FACTOR = 8;
const f32 = Math.fround;

/** A weighted quantile summary: parallel arrays of value, rank bounds, own weight. */
interface Summary {
  value: Float64Array;
  rmin: Float64Array;
  rmax: Float64Array;
  wmin: Float64Array;
  size: number;
}

/** Computes the cut points of every column of a column-major float32 matrix (NaN = missing). */
export function computeCuts(byColumn: Float32Array, rows: number, cols: number, maxBin: number,
  weight: Float32Array | null): HistogramCuts {
  const ptrs = new Int32Array(cols + 1);
  const cutValues: number[] = [];
  const minValues = new Float32Array(cols);
  const column = new Float32Array(rows);
  const order = new Int32Array(rows);
  for (let f = 0; f < cols; f++) {
    const n = presentValues(byColumn, f * rows, rows, column, order);
    const summary = exactSummary(column, order, n, weight);
    if (n > 0) {
      const maxNumBins = Math.min(Math.min(n, maxBin * SKETCH_FACTOR), maxBin);
      const reduced = prune(summary, Math.min(n, maxBin * SKETCH_FACTOR));
      const a = prune(reduced, maxNumBins + 1);
      const mval = a.value[0] as number;
      minValues[f] = f32(mval - f32(Math.abs(mval) + f32(1e-5)));
      const required = Math.min(a.size, maxNumBins);
      for (let i = 1; i < required; i++) {
        const cpt = a.value[i] as number;
        if (i === 1 || cpt > (cutValues[cutValues.length - 1] as number)) cutValues.push(cpt);
      }
      const cpt = a.value[a.size - 1] as number;
      cutValues.push(f32(cpt + f32(Math.abs(cpt) + f32(1e-5))));
    } else {
      minValues[f] = f32(1e-5);
      const cpt = minValues[f] as number;
      cutValues.push(f32(cpt + f32(Math.abs(cpt) + f32(1e-5))));
    }
    ptrs[f + 1] = cutValues.length;
  }
  return { ptrs, values: Float32Array.from(cutValues), minValues };
}

/** Copies the non-missing values of `byColumn[base .. base + rows)` into `column` and their rows into `order`; returns their count. */
function presentValues(byColumn: Float32Array, base: number, rows: number, column: Float32Array, order: Int32Array): number {
  let n = 0;
  for (let i = 0; i < rows; i++) {
    const v = byColumn[base + i] as number;
    if (v === v) {
      column[n] = v;
      order[n] = i;
      n++;
    }
  }
  return n;
}

/** The exact summary of `n` values: one entry per distinct value with its rank bounds. */
function exactSummary(column: Float32Array, order: Int32Array, n: number, weight: Float32Array | null): Summary {
  if (weight === null) {
    const few = fewDistinct(column, n);
    if (few !== null) return countSummary(few.values, few.counts);
  }
  const sorted = column.slice(0, n);
  let w: Float64Array | null = null;
  if (weight === null) {
    sortFloat32(sorted);
  } else {
    const idx = Array.from({ length: n }, (_, k) => k);
    idx.sort((a, b) => (column[a] as number) - (column[b] as number));
    w = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      sorted[k] = column[idx[k] as number] as number;
      w[k] = weight[order[idx[k] as number] as number] as number;
    }
  }
  const s: Summary = { value: new Float64Array(n), rmin: new Float64Array(n), rmax: new Float64Array(n), wmin: new Float64Array(n), size: 0 };
  let rank = 0;
  let k = 0;
  while (k < n) {
    const v = sorted[k] as number;
    let wsum = 0;
    while (k < n && sorted[k] === v) {
      wsum += w === null ? 1 : (w[k] as number);
      k++;
    }
    s.value[s.size] = v;
    s.rmin[s.size] = rank;
    s.rmax[s.size] = rank + wsum;
    s.wmin[s.size] = wsum;
    s.size++;
    rank += wsum;
  }
  return s;
}

/** Most columns at most this wide in distinct values (one-hot, flags, counts) skip the sort. */
const FEW_DISTINCT = 32;

/** The distinct values of `column[0..n)` (ascending) and their counts, or null when there are more than {@link FEW_DISTINCT}. */
function fewDistinct(column: Float32Array, n: number): { values: number[]; counts: number[] } | null {
  const values: number[] = [];
  const counts: number[] = [];
  let last = NaN;
  let lastAt = -1;
  for (let k = 0; k < n; k++) {
    const v = column[k] as number;
    if (v === last) {
      counts[lastAt] = (counts[lastAt] as number) + 1;
      continue;
    }
    let at = values.indexOf(v);
    if (at < 0) {
      if (values.length === FEW_DISTINCT) return null;
      at = values.length;
      values.push(v);
      counts.push(0);
    } else if (v === 0 && Object.is(v, -0)) {
      values[at] = -0; // a sort puts -0 first, so the exact summary keeps it
    }
    counts[at] = (counts[at] as number) + 1;
    last = v;
    lastAt = at;
  }
  const order = values.map((_, i) => i).sort((a, b) => (values[a] as number) - (values[b] as number));
  return { values: order.map((i) => values[i] as number), counts: order.map((i) => counts[i] as number) };
}

/** The exact summary of distinct ascending `values` seen `counts` times each. */
function countSummary(values: readonly number[], counts: readonly number[]): Summary {
  const m = values.length;
  const s: Summary = { value: new Float64Array(m), rmin: new Float64Array(m), rmax: new Float64Array(m), wmin: new Float64Array(m), size: m };
  let rank = 0;
  for (let i = 0; i < m; i++) {
    const c = counts[i] as number;
    s.value[i] = values[i] as number;
    s.rmin[i] = rank;
    s.rmax[i] = rank + c;
    s.wmin[i] = c;
    rank += c;
  }
  return s;
}

/** XGBoost's `WQSummary::SetPrune`: keeps `maxSize` entries spread evenly by rank. */
function prune(src: Summary, maxSize: number): Summary {
  if (src.size <= maxSize) return src;
  const out: Summary = { value: new Float64Array(maxSize), rmin: new Float64Array(maxSize), rmax: new Float64Array(maxSize), wmin: new Float64Array(maxSize), size: 0 };
  const copy = (i: number): void => {
    out.value[out.size] = src.value[i] as number;
    out.rmin[out.size] = src.rmin[i] as number;
    out.rmax[out.size] = src.rmax[i] as number;
    out.wmin[out.size] = src.wmin[i] as number;
    out.size++;
  };
  const begin = f32(src.rmax[0] as number);
  const range = f32((src.rmin[src.size - 1] as number) - begin);
  const n = maxSize - 1;
  copy(0);
  let i = 1;
  let lastIdx = 0;
  for (let k = 1; k < n; k++) {
    const dx2 = f32(2 * f32(f32(f32(k * range) / n) + begin));
    while (i < src.size - 1 && dx2 >= f32((src.rmax[i + 1] as number) + (src.rmin[i + 1] as number))) i++;
    if (i === src.size - 1) break;
    const rminNext = (src.rmin[i] as number) + (src.wmin[i] as number);
    const rmaxPrev = (src.rmax[i + 1] as number) - (src.wmin[i + 1] as number);
    if (dx2 < f32(rminNext + rmaxPrev)) {
      if (i !== lastIdx) {
        copy(i);
        lastIdx = i;
      }
    } else if (i + 1 !== lastIdx) {
      copy(i + 1);
      lastIdx = i + 1;
    }
  }
  if (lastIdx !== src.size - 1) copy(src.size - 1);
  return out;
}
