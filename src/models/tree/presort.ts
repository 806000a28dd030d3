import type { Matrix } from "../../util/matrix";

/** Features with at most this many distinct values are split through exact per-value histograms. */
export const MAX_EXACT_BINS = 64;

/** Total bins over all binned features must fit the 16-bit bin indices. */
const MAX_TOTAL_BINS = 65535;

/**
 * The training set as the tree builder wants it, computed once and shared by all trees.
 * Each feature is either *sorted* (its rows listed by ascending value, ties by row index) or,
 * when it has at most {@link MAX_EXACT_BINS} distinct values, *binned* (each row's rank among
 * those values). Both give exactly the CART thresholds; bins just make few-valued features cheap.
 */
export interface PresortedData {
  readonly rows: number;
  readonly cols: number;
  /** Column-major values: `columns[f * rows + i]`. */
  readonly columns: Float64Array;
  readonly y: Float64Array;
  /** The sorted features, ascending. */
  readonly sortedFeatures: Int32Array;
  /** For the s-th sorted feature, `order[s * rows .. (s + 1) * rows)` lists rows by ascending value. */
  readonly order: Int32Array;
  /** The binned features, ascending. */
  readonly binnedFeatures: Int32Array;
  /**
   * Column-major bin indices: `codes[b * rows + i]` is the bin of row i for the b-th binned
   * feature, counted in `binValues` (so `binOffset[b] + rank`).
   */
  readonly codes: Uint16Array;
  /** The most frequent bin of each binned feature (e.g. the 0 of a one-hot column). */
  readonly defaultBin: Int32Array;
  /**
   * Each row's bins other than the default ones, as compressed rows: row i's are
   * `sparseBins[sparseStart[i] .. sparseStart[i + 1])`. Histograms accumulate only these and
   * get the default bins from the node totals, so a one-hot row costs one entry per group.
   */
  readonly sparseStart: Int32Array;
  readonly sparseBins: Uint16Array;
  /** Where the b-th binned feature's bins start in `binValues`; one extra entry closes the last. */
  readonly binOffset: Int32Array;
  /** The distinct values of each binned feature, ascending, concatenated. */
  readonly binValues: Float64Array;
}

/** Transposes `X` and ranks every column once (a native sort of its values plus a counting sort). */
export function presort(X: Matrix, y: ArrayLike<number>): PresortedData {
  const { rows: n, cols: F, data } = X;
  const columns = new Float64Array(n * F);
  for (let i = 0; i < n; i++) for (let f = 0; f < F; f++) columns[f * n + i] = data[i * F + f] as number;
  const sorted = new Float64Array(n);
  const ranks: Int32Array[] = [];
  const uniques: Float64Array[] = [];
  for (let f = 0; f < F; f++) {
    const col = columns.subarray(f * n, (f + 1) * n);
    sorted.set(col);
    sorted.sort();
    let unique = 0;
    for (let i = 0; i < n; i++) if (i === 0 || (sorted[i] as number) !== (sorted[unique - 1] as number)) sorted[unique++] = sorted[i] as number;
    const rank = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const v = col[i] as number;
      let lo = 0;
      let hi = unique - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((sorted[mid] as number) < v) lo = mid + 1;
        else hi = mid;
      }
      rank[i] = lo;
    }
    ranks.push(rank);
    uniques.push(sorted.slice(0, unique));
  }
  const sortedList: number[] = [];
  const binnedList: number[] = [];
  let totalBins = 0;
  for (let f = 0; f < F; f++) {
    const u = (uniques[f] as Float64Array).length;
    if (u <= MAX_EXACT_BINS && totalBins + u <= MAX_TOTAL_BINS) {
      binnedList.push(f);
      totalBins += u;
    } else sortedList.push(f);
  }

  const order = new Int32Array(n * sortedList.length);
  sortedList.forEach((f, s) => {
    const rank = ranks[f] as Int32Array;
    const counts = new Int32Array((uniques[f] as Float64Array).length + 1);
    for (let i = 0; i < n; i++) counts[(rank[i] as number) + 1] = (counts[(rank[i] as number) + 1] as number) + 1;
    for (let r = 1; r < counts.length; r++) counts[r] = (counts[r] as number) + (counts[r - 1] as number);
    const out = order.subarray(s * n, (s + 1) * n);
    for (let i = 0; i < n; i++) {
      const r = rank[i] as number;
      out[counts[r] as number] = i;
      counts[r] = (counts[r] as number) + 1;
    }
  });

  const B = binnedList.length;
  const codes = new Uint16Array(n * B);
  const binOffset = new Int32Array(B + 1);
  binnedList.forEach((f, b) => {
    binOffset[b + 1] = (binOffset[b] as number) + (uniques[f] as Float64Array).length;
    const rank = ranks[f] as Int32Array;
    const offset = binOffset[b] as number;
    for (let i = 0; i < n; i++) codes[b * n + i] = offset + (rank[i] as number);
  });
  const binValues = new Float64Array(binOffset[B] as number);
  binnedList.forEach((f, b) => binValues.set(uniques[f] as Float64Array, binOffset[b] as number));

  const binCounts = new Int32Array(binOffset[B] as number);
  for (let p = 0; p < codes.length; p++) binCounts[codes[p] as number] = (binCounts[codes[p] as number] as number) + 1;
  const defaultBin = new Int32Array(B);
  for (let b = 0; b < B; b++) {
    let best = binOffset[b] as number;
    for (let k = best + 1; k < (binOffset[b + 1] as number); k++) if ((binCounts[k] as number) > (binCounts[best] as number)) best = k;
    defaultBin[b] = best;
  }
  const sparseStart = new Int32Array(n + 1);
  let nnz = 0;
  for (let i = 0; i < n; i++) {
    for (let b = 0; b < B; b++) if ((codes[b * n + i] as number) !== (defaultBin[b] as number)) nnz++;
    sparseStart[i + 1] = nnz;
  }
  const sparseBins = new Uint16Array(nnz);
  for (let i = 0, q = 0; i < n; i++) {
    for (let b = 0; b < B; b++) {
      const c = codes[b * n + i] as number;
      if (c !== (defaultBin[b] as number)) sparseBins[q++] = c;
    }
  }

  return {
    rows: n,
    cols: F,
    columns,
    y: Float64Array.from(y),
    sortedFeatures: Int32Array.from(sortedList),
    order,
    binnedFeatures: Int32Array.from(binnedList),
    codes,
    defaultBin,
    sparseStart,
    sparseBins,
    binOffset,
    binValues,
  };
}
