import { computeCuts, HistogramCuts } from "./quantile";

/** Marks a missing value in `QuantizedMatrix.colBins` (above every bin, so the kernels send it right). */
export const MISSING_BIN = 0xffff;

/**
 * A feature matrix replaced by bin indices, in the two layouts the tree grower needs:
 *
 * - `colBins`: feature-major local bins (`colBins[f * rows + r]`), read when partitioning rows;
 * - sparse row entries: for each row, the global bin (`cuts.ptrs[f] + bin`) of every feature
 *   whose value is not that feature's most frequent bin, sorted by feature. Histograms are
 *   built from these entries only; the most frequent bin of a feature without missing values
 *   is recovered as the node total minus the other bins (LightGBM's `most_freq_bin` idea),
 *   which skips most of the work on one-hot columns.
 */
export interface QuantizedMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly cuts: HistogramCuts;
  /** Total number of bins over all features. */
  readonly totalBins: number;
  readonly colBins: Uint16Array;
  /** Per feature: the global bin left implicit in the entries, or -1 (feature has missing values). */
  readonly implicitBin: Int32Array;
  /** Per feature: 1 when some value is missing. */
  readonly hasMissing: Uint8Array;
  /** Global bins of the explicit entries, row by row. */
  readonly entries: Uint16Array | Uint32Array;
  /** `rowPtr[r]..rowPtr[r+1]` index row r's entries. */
  readonly rowPtr: Int32Array;
}

/** Bins a row-major float32 matrix (NaN = missing) with `maxBin` bins per feature at most. */
export function quantize(values: Float32Array, rows: number, cols: number, maxBin: number,
  weight: Float32Array | null): QuantizedMatrix {
  const byColumn = new Float32Array(rows * cols);
  for (let f = 0; f < cols; f++) copyColumn(values, rows, cols, f, byColumn);
  const cuts = computeCuts(byColumn, rows, cols, maxBin, weight);
  const totalBins = cuts.ptrs[cols] as number;
  const colBins = new Uint16Array(rows * cols);
  const implicitBin = new Int32Array(cols);
  const hasMissing = new Uint8Array(cols);
  for (let f = 0; f < cols; f++) {
    const nBins = (cuts.ptrs[f + 1] as number) - (cuts.ptrs[f] as number);
    const counts = new Int32Array(nBins);
    const base = f * rows;
    binColumn(byColumn, base, rows, cuts.values, cuts.ptrs[f] as number, cuts.ptrs[f + 1] as number, colBins, counts);
    if (colBins.subarray(base, base + rows).includes(MISSING_BIN)) hasMissing[f] = 1;
    let mode = 0;
    for (let b = 1; b < nBins; b++) if ((counts[b] as number) > (counts[mode] as number)) mode = b;
    implicitBin[f] = hasMissing[f] === 1 ? -1 : (cuts.ptrs[f] as number) + mode;
  }
  // Column by column (sequential reads); each row's entries stay in feature order.
  const perRow = new Int32Array(rows);
  for (let f = 0; f < cols; f++) {
    countExplicit(colBins, f * rows, rows, implicitBin[f] as number - (cuts.ptrs[f] as number), perRow);
  }
  const rowPtr = prefixSums(perRow);
  const nnz = rowPtr[rows] as number;
  const entries = totalBins <= 0xffff ? new Uint16Array(nnz) : new Uint32Array(nnz);
  const next = rowPtr.slice(0, rows);
  for (let f = 0; f < cols; f++) {
    placeExplicit(colBins, f * rows, rows, cuts.ptrs[f] as number, implicitBin[f] as number - (cuts.ptrs[f] as number), next, entries);
  }
  return { rows, cols, cuts, totalBins, colBins, implicitBin, hasMissing, entries, rowPtr };
}

// The loops below are separate small functions: in a fresh process V8 compiles each running loop
// on its own, and a later loop in the same function would start over in the interpreter.

/** Copies column `f` of a row-major matrix into `byColumn[f * rows ..]`. */
function copyColumn(values: Float32Array, rows: number, cols: number, f: number, byColumn: Float32Array): void {
  const base = f * rows;
  for (let r = 0, i = f; r < rows; r++, i += cols) byColumn[base + r] = values[i] as number;
}

/** Counts, per row, the explicit entries of one column (neither missing nor its implicit local bin; -1 - ptr = none). */
function countExplicit(colBins: Uint16Array, base: number, rows: number, implicitLocal: number, perRow: Int32Array): void {
  for (let r = 0; r < rows; r++) {
    const b = colBins[base + r] as number;
    if (b !== MISSING_BIN && b !== implicitLocal) perRow[r] = (perRow[r] as number) + 1;
  }
}

/** `out[0] = 0`, `out[i + 1] = out[i] + counts[i]`. */
function prefixSums(counts: Int32Array): Int32Array {
  const out = new Int32Array(counts.length + 1);
  for (let i = 0; i < counts.length; i++) out[i + 1] = (out[i] as number) + (counts[i] as number);
  return out;
}

/** Appends one column's explicit entries (global bins) to their rows, at `next[r]`. */
function placeExplicit(colBins: Uint16Array, base: number, rows: number, binOffset: number, implicitLocal: number,
  next: Int32Array, entries: Uint16Array | Uint32Array): void {
  for (let r = 0; r < rows; r++) {
    const b = colBins[base + r] as number;
    if (b !== MISSING_BIN && b !== implicitLocal) {
      const k = next[r] as number;
      entries[k] = binOffset + b;
      next[r] = k + 1;
    }
  }
}

/**
 * Bins `rows` values of one column (`byColumn[base..]`) against its cuts `cutValues[begin..end)`:
 * the first cut greater than the value (the last bin if none), or MISSING_BIN for NaN; counts the bins.
 */
function binColumn(byColumn: Float32Array, base: number, rows: number, cutValues: Float32Array, begin: number, end: number,
  colBins: Uint16Array, counts: Int32Array): void {
  if (end - begin === 2) {
    binTwoCuts(byColumn, base, rows, cutValues[begin] as number, colBins, counts);
    return;
  }
  for (let r = 0; r < rows; r++) {
    const v = byColumn[base + r] as number;
    if (v !== v) {
      colBins[base + r] = MISSING_BIN;
      continue;
    }
    let lo = begin;
    let hi = end;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((cutValues[mid] as number) <= v) lo = mid + 1;
      else hi = mid;
    }
    const b = (lo === end ? end - 1 : lo) - begin;
    colBins[base + r] = b;
    counts[b] = (counts[b] as number) + 1;
  }
}

/** {@link binColumn} for a column with two cuts (a flag or a one-hot column): bin 0 below the first cut, else 1. */
function binTwoCuts(byColumn: Float32Array, base: number, rows: number, firstCut: number, colBins: Uint16Array, counts: Int32Array): void {
  let ones = 0;
  let present = 0;
  for (let r = 0; r < rows; r++) {
    const v = byColumn[base + r] as number;
    if (v !== v) {
      colBins[base + r] = MISSING_BIN;
      continue;
    }
    const b = firstCut > v ? 0 : 1;
    colBins[base + r] = b;
    ones += b;
    present++;
  }
  counts[0] = (counts[0] as number) + present - ones;
  counts[1] = (counts[1] as number) + ones;
}
