// The booster's hot loops in AssemblyScript, compiled to WebAssembly by `npm run build`
// (scripts/build-wasm.mjs) and driven by ../wasmArena.ts. Every argument is a byte offset into
// the imported shared memory or a count; nothing is allocated here.
//
// Layouts: a histogram is (gradient, hessian) float64 pairs per global bin; `idx` and `rowPtr`
// are int32; `grad` and `hess` float32; `entries` the global bins of a row's explicit
// entries (uint16, or uint32 in the `Wide` variant); `colBins` feature-major uint16 bins.
// The summation order is the JavaScript engines' it replaces, so the sums are bit-identical.

/** Marks a missing value in `colBins`. */
const MISSING_BIN: i32 = 0xffff;

/** Zeroes `bins` histogram bins at `hist`. */
export function clearHistogram(hist: usize, bins: i32): void {
  memory.fill(hist, 0, <usize>bins << 4);
}

/** Adds rows `idx[begin..end)` to the bins of their explicit entries, of type `T` (u16 or u32). */
@inline
function accumulate<T>(hist: usize, idx: usize, begin: i32, end: i32, grad: usize, hess: usize,
  entries: usize, rowPtr: usize): void {
  for (let i = begin; i < end; i++) {
    const r = load<i32>(idx + (<usize>i << 2));
    const g = <f64>load<f32>(grad + (<usize>r << 2));
    const h = <f64>load<f32>(hess + (<usize>r << 2));
    const p = rowPtr + (<usize>r << 2);
    const s = load<i32>(p);
    const e = load<i32>(p, 4);
    for (let k = s; k < e; k++) {
      const b = hist + (<usize>load<T>(entries + (<usize>k << alignof<T>())) << 4);
      store<f64>(b, load<f64>(b) + g);
      store<f64>(b, load<f64>(b, 8) + h, 8);
    }
  }
}

/** {@link accumulate} with uint16 entries. */
export function accumulateRows(hist: usize, idx: usize, begin: i32, end: i32, grad: usize, hess: usize,
  entries: usize, rowPtr: usize): void {
  accumulate<u16>(hist, idx, begin, end, grad, hess, entries, rowPtr);
}

/** {@link accumulate} with uint32 entries (more than 65,535 bins in all). */
export function accumulateRowsWide(hist: usize, idx: usize, begin: i32, end: i32, grad: usize, hess: usize,
  entries: usize, rowPtr: usize): void {
  accumulate<u32>(hist, idx, begin, end, grad, hess, entries, rowPtr);
}

/** `into += from` over `bins` bins. */
export function addHistogram(into: usize, from: usize, bins: i32): void {
  const n = <usize>bins << 1;
  for (let i: usize = 0; i < n; i++) {
    const o = i << 3;
    store<f64>(into + o, load<f64>(into + o) + load<f64>(from + o));
  }
}

/** `out = parent - built` over `bins` bins (the sibling's histogram by subtraction). */
export function subtractHistogram(out: usize, parent: usize, built: usize, bins: i32): void {
  const n = <usize>bins << 1;
  for (let i: usize = 0; i < n; i++) {
    const o = i << 3;
    store<f64>(out + o, load<f64>(parent + o) - load<f64>(built + o));
  }
}

/**
 * Sets each feature's implicit (most frequent) bin to the node total minus the feature's other
 * bins. `cutPtrs` (cols + 1) and `implicitBin` (cols, -1 = none) are int32.
 */
export function fillImplicitBins(hist: usize, cutPtrs: usize, implicitBin: usize, cols: i32, totalG: f64, totalH: f64): void {
  for (let f = 0; f < cols; f++) {
    const m = load<i32>(implicitBin + (<usize>f << 2));
    if (m < 0) continue;
    let g: f64 = 0;
    let h: f64 = 0;
    const b0 = load<i32>(cutPtrs + (<usize>f << 2));
    const b1 = load<i32>(cutPtrs + (<usize>f << 2), 4);
    for (let b = b0; b < b1; b++) {
      if (b === m) continue;
      const p = hist + (<usize>b << 4);
      g += load<f64>(p);
      h += load<f64>(p, 8);
    }
    const q = hist + (<usize>m << 4);
    store<f64>(q, totalG - g);
    store<f64>(q, totalH - h, 8);
  }
}

/**
 * Stable partition of `idx[b..e)` on feature `f`: rows whose bin is <= `splitBin` (and missing
 * rows when `missingLeft`) first, the others after them in order. `tmp` holds `e - b` int32.
 * Returns the boundary.
 */
export function partitionRows(idx: usize, tmp: usize, colBins: usize, rows: i32, b: i32, e: i32, f: i32,
  splitBin: i32, missingLeft: i32): i32 {
  const base = colBins + ((<usize>f * <usize>rows) << 1);
  let nl = b;
  let nr = 0;
  if (missingLeft !== 0) {
    for (let i = b; i < e; i++) {
      const r = load<i32>(idx + (<usize>i << 2));
      const bin = <i32>load<u16>(base + (<usize>r << 1));
      if (bin === MISSING_BIN || bin <= splitBin) {
        store<i32>(idx + (<usize>nl << 2), r);
        nl++;
      } else {
        store<i32>(tmp + (<usize>nr << 2), r);
        nr++;
      }
    }
  } else {
    // Branch-free: the missing marker 0xffff is above every bin, so it goes right.
    for (let i = b; i < e; i++) {
      const r = load<i32>(idx + (<usize>i << 2));
      const left = ((splitBin - <i32>load<u16>(base + (<usize>r << 1))) >>> 31) ^ 1;
      store<i32>(idx + (<usize>nl << 2), r);
      store<i32>(tmp + (<usize>nr << 2), r);
      nl += left;
      nr += left ^ 1;
    }
  }
  memory.copy(idx + (<usize>nl << 2), tmp, <usize>nr << 2);
  return nl;
}

/** Adds the float32 leaf `value` to `preds[r]` (float32) of rows `idx[begin..end)`. */
export function addLeafValue(preds: usize, idx: usize, begin: i32, end: i32, value: f32): void {
  for (let i = begin; i < end; i++) {
    const p = preds + (<usize>load<i32>(idx + (<usize>i << 2)) << 2);
    store<f32>(p, load<f32>(p) + value);
  }
}
