/**
 * The hot loops of histogram building, shared by the main thread and the worker threads.
 * A histogram is a Float64Array of interleaved (gradient, hessian) sums per global bin,
 * accumulated in double as XGBoost's `GradientPairPrecise` histograms are. Each thread owns
 * a contiguous block of features, so every bin is summed by one thread in row order and
 * the result is identical at any thread count.
 */

/**
 * Adds every row of `idx[begin..end)` to the bins of its explicit entries in
 * `[start[r], stop[r])`. (Spreading rows over several partial histograms to break the
 * dependency chains on one-hot bins was measured: no gain, and its merge costs per node.)
 */
export function accumulateRows(hist: Float64Array, idx: Int32Array, begin: number, end: number,
  grad: Float32Array, hess: Float32Array, entries: Uint16Array | Uint32Array, start: Int32Array, stop: Int32Array): void {
  for (let i = begin; i < end; i++) {
    const r = idx[i] as number;
    const g = grad[r] as number;
    const h = hess[r] as number;
    const e = stop[r] as number;
    for (let k = start[r] as number; k < e; k++) {
      const b = (entries[k] as number) << 1;
      hist[b] = (hist[b] as number) + g;
      hist[b + 1] = (hist[b + 1] as number) + h;
    }
  }
}

/** Zeroes the bins `[binBegin, binEnd)`. */
export function clearBins(hist: Float64Array, binBegin: number, binEnd: number): void {
  hist.fill(0, binBegin << 1, binEnd << 1);
}

/**
 * Sets each implicit (most frequent) bin of features `[fBegin, fEnd)` to the node total
 * minus the feature's other bins.
 */
export function fillImplicitBins(hist: Float64Array, cutPtrs: Int32Array, implicitBin: Int32Array,
  fBegin: number, fEnd: number, totalG: number, totalH: number): void {
  for (let f = fBegin; f < fEnd; f++) {
    const m = implicitBin[f] as number;
    if (m < 0) continue;
    let g = 0;
    let h = 0;
    const e = cutPtrs[f + 1] as number;
    for (let b = cutPtrs[f] as number; b < e; b++) {
      if (b === m) continue;
      g += hist[b << 1] as number;
      h += hist[(b << 1) + 1] as number;
    }
    hist[m << 1] = totalG - g;
    hist[(m << 1) + 1] = totalH - h;
  }
}

/** `out = parent - built` over bins `[binBegin, binEnd)` (the sibling by subtraction). */
export function subtractBins(out: Float64Array, parent: Float64Array, built: Float64Array, binBegin: number, binEnd: number): void {
  const e = binEnd << 1;
  for (let i = binBegin << 1; i < e; i++) out[i] = (parent[i] as number) - (built[i] as number);
}

/** Marks a missing value in the feature-major bin matrix (`QuantizedMatrix.colBins`). */
export const MISSING_BIN = 0xffff;

/**
 * Stable partition of `idx[b..e)` by feature `f` (column `colBins[f*rows ..]`): rows whose bin
 * is <= `splitBin` (and missing rows when `missingLeft`) first. Returns the boundary.
 */
export function partitionRows(idx: Int32Array, tmp: Int32Array, colBins: Uint16Array, rows: number,
  b: number, e: number, f: number, splitBin: number, missingLeft: boolean): number {
  const base = f * rows;
  let nl = b;
  let nr = 0;
  if (missingLeft) {
    for (let i = b; i < e; i++) {
      const r = idx[i] as number;
      const bin = colBins[base + r] as number;
      if (bin === MISSING_BIN || bin <= splitBin) idx[nl++] = r;
      else tmp[nr++] = r;
    }
  } else {
    // Branch-free: the missing marker 0xffff is above every bin, so it goes right.
    for (let i = b; i < e; i++) {
      const r = idx[i] as number;
      const left = ((splitBin - (colBins[base + r] as number)) >>> 31) ^ 1;
      idx[nl] = r;
      tmp[nr] = r;
      nl += left;
      nr += left ^ 1;
    }
  }
  for (let k = 0; k < nr; k++) idx[nl + k] = tmp[k] as number;
  return nl;
}
