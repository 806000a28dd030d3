// The booster's hot loops in AssemblyScript, compiled to WebAssembly by `npm run build`
// (scripts/build-wasm.mjs) and driven by ../wasmArena.ts. Every argument is a byte offset into
// the imported shared memory or a count; nothing is allocated here.
//
// Layouts: a histogram is (gradient, hessian) float64 pairs per global bin; `idx` and `rowPtr`
// are int32; `gpair` is (gradient, hessian) float32 pairs per row (one cache line for both); `entries` the global bins of a row's explicit
// entries (uint16, or uint32 in the `Wide` variant); `colBins` feature-major uint16 bins.
// The summation order is the JavaScript engines' it replaces, so the sums are bit-identical.

/** Marks a missing value in `colBins`. */
const MISSING_BIN: i32 = 0xffff;

/** Zeroes `bins` histogram bins at `hist`. */
function clearHistogram(hist: usize, bins: i32): void {
  memory.fill(hist, 0, <usize>bins << 4);
}

/**
 * Adds rows `idx[begin..end)` to the bins of their explicit entries, of type `T` (u16 or u32):
 * their (gradient, hessian) pairs at `pairs`, or with `unitHessian` their float32 gradients alone
 * at `pairs` and 1 for each hessian.
 */
@inline
function accumulate<T>(hist: usize, idx: usize, begin: i32, end: i32, pairs: usize,
  entries: usize, rowPtr: usize, unitHessian: bool): void {
  for (let i = begin; i < end; i++) {
    const r = load<i32>(idx + (<usize>i << 2));
    const q = pairs + (<usize>r << (unitHessian ? 2 : 3));
    const g = <f64>load<f32>(q);
    const h = unitHessian ? 1 : <f64>load<f32>(q, 4);
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


/** Copies the hessian half of every bin of histogram `from` into `hist`. */
function copyHessians(hist: usize, from: usize, bins: i32): void {
  for (let b = 0; b < bins; b++) {
    const o = (<usize>b << 4) + 8;
    store<f64>(hist + o, load<f64>(from + o));
  }
}

/** 1 when every one of the `n` rows' float32 hessians is exactly 1. */
export function unitHessians(gpair: usize, n: i32): i32 {
  for (let i = 0; i < n; i++) if (load<f32>(gpair + (<usize>i << 3), 4) != 1) return 0;
  return 1;
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
function partitionRows(idx: usize, tmp: usize, colBins: usize, rows: i32, b: i32, e: i32, f: i32,
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
function addLeafValue(preds: usize, idx: usize, begin: i32, end: i32, value: f32): void {
  for (let i = begin; i < end; i++) {
    const p = preds + (<usize>load<i32>(idx + (<usize>i << 2)) << 2);
    store<f32>(p, load<f32>(p) + value);
  }
}


/** Interleaves `n` float32 gradients and hessians into `gpair`. */
export function interleaveGradients(grad: usize, hess: usize, gpair: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const q = gpair + (<usize>i << 3);
    store<f32>(q, load<f32>(grad + o));
    store<f32>(q, load<f32>(hess + o), 4);
  }
}



// ---- Split evaluation: XGBoost 1.7's EnumerateSplit, transliterated from splitEvaluator.ts ----
// Every value is a double as in JavaScript; `<f64><f32>x` is Math.fround(x).
// Parameter block (float64): minChildWeight, lambda, alpha, maxDeltaStep, screening (0/1), screenTol.
// Candidate block (float64): loss, feature, splitBin, threshold, defaultLeft (0/1), leftG, leftH,
// rightG, rightH (as SplitCandidate reads them), then screen: the node's best screening score so far.

@inline function fr(x: f64): f64 {
  return <f64><f32>x;
}

@inline function thresholdL1(g: f64, alpha: f64): f64 {
  return g > alpha ? g - alpha : g < -alpha ? g + alpha : 0;
}

function leafWeight(g: f64, h: f64, mcw: f64, lambda: f64, alpha: f64, maxDeltaStep: f64): f64 {
  if (h < mcw || h <= 0) return 0;
  let w = -thresholdL1(g, alpha) / (h + lambda);
  if (maxDeltaStep != 0 && Math.abs(w) > maxDeltaStep) w = w < 0 ? -maxDeltaStep : maxDeltaStep;
  return fr(w);
}

function sideGain(g: f64, h: f64, mcw: f64, lambda: f64, alpha: f64, maxDeltaStep: f64): f64 {
  const h32 = fr(h);
  if (h32 <= 0) return 0;
  const t = fr(thresholdL1(g, alpha));
  const w = leafWeight(g, h, mcw, lambda, alpha, maxDeltaStep);
  return -fr(fr(fr(2 * t) * w) + fr(fr(h32 + lambda) * fr(w * w)));
}

/** The float32 loss change of splitting a node of gain `rootGain` into sides (lg, lh) and (rg, rh). */
@inline function splitLoss(lg: f64, lh: f64, rg: f64, rh: f64, mcw: f64, lambda: f64, alpha: f64, maxDeltaStep: f64, rootGain: f64): f64 {
  return fr(fr(sideGain(lg, lh, mcw, lambda, alpha, maxDeltaStep) + sideGain(rg, rh, mcw, lambda, alpha, maxDeltaStep)) - rootGain);
}

@inline function needReplace(cand: usize, loss: f64, feature: f64): bool {
  if (loss == Infinity || loss == -Infinity) return false;
  if (load<f64>(cand, 8) <= feature) return loss > load<f64>(cand);
  return !(load<f64>(cand) > loss);
}

function take(cand: usize, loss: f64, feature: f64, splitBin: f64, threshold: f64, defaultLeft: f64,
  lg: f64, lh: f64, rg: f64, rh: f64): void {
  store<f64>(cand, loss);
  store<f64>(cand, feature, 8);
  store<f64>(cand, splitBin, 16);
  store<f64>(cand, threshold, 24);
  store<f64>(cand, defaultLeft, 32);
  store<f64>(cand, lg, 40);
  store<f64>(cand, lh, 48);
  store<f64>(cand, rg, 56);
  store<f64>(cand, rh, 64);
}

function enumerateFeature(hist: usize, f: i32, cutPtrs: usize, cutValues: usize, minValue: f64, mayHaveMissing: bool,
  G: f64, H: f64, rootGain: f64, params: usize, cand: usize): void {
  const b0 = load<i32>(cutPtrs + (<usize>f << 2));
  const b1 = load<i32>(cutPtrs + (<usize>f << 2), 4);
  const mcw = load<f64>(params);
  const lambda = load<f64>(params, 8);
  const alpha = load<f64>(params, 16);
  const mds = load<f64>(params, 24);
  const screening = load<f64>(params, 32) != 0;
  const screenTol = load<f64>(params, 40);
  const tolBase = screenTol * Math.abs(rootGain);
  const feature = <f64>f;
  let screen = load<f64>(cand, 72);
  let lg: f64 = 0;
  let lh: f64 = 0;
  for (let i = b0; i < b1; i++) {
    const p = hist + (<usize>i << 4);
    lg += load<f64>(p);
    lh += load<f64>(p, 8);
    if (lh >= mcw) {
      const rg = G - lg;
      const rh = H - lh;
      if (rh >= mcw) {
        if (screening) {
          const tl = thresholdL1(lg, alpha);
          const tr = thresholdL1(rg, alpha);
          const score = (tl * tl) / (lh + lambda) + (tr * tr) / (rh + lambda);
          if (score < screen - (tolBase + screenTol * Math.abs(screen))) continue;
          if (score > screen) screen = score;
        }
        const loss = splitLoss(lg, lh, rg, rh, mcw, lambda, alpha, mds, rootGain);
        if (needReplace(cand, loss, feature)) {
          take(cand, loss, feature, <f64>(i - b0), <f64>load<f32>(cutValues + (<usize>i << 2)), 0, lg, lh, rg, rh);
        }
      }
    }
  }
  store<f64>(cand, screen, 72);
  if (!mayHaveMissing || (lg == G && lh == H)) return;
  let eg: f64 = 0;
  let eh: f64 = 0;
  for (let i = b1 - 1; i >= b0; i--) {
    const p = hist + (<usize>i << 4);
    eg += load<f64>(p);
    eh += load<f64>(p, 8);
    if (eh >= mcw) {
      const cg = G - eg;
      const ch = H - eh;
      if (ch >= mcw) {
        const loss = splitLoss(cg, ch, eg, eh, mcw, lambda, alpha, mds, rootGain);
        if (needReplace(cand, loss, feature)) {
          const threshold = i == b0 ? minValue : <f64>load<f32>(cutValues + (<usize>(i - 1) << 2));
          take(cand, loss, feature, <f64>(i - b0 - 1), threshold, 1, cg, ch, eg, eh);
        }
      }
    }
  }
}

/**
 * Finds the best split of a node over the `n` features listed at `features` (int32) into the
 * candidate block `cand`, which starts as an empty SplitCandidate. `minValues` is float32,
 * `hasMissing` uint8 per feature.
 */
export function evaluateNode(hist: usize, features: usize, n: i32, cutPtrs: usize, cutValues: usize, minValues: usize,
  hasMissing: usize, G: f64, H: f64, rootGain: f64, params: usize, cand: usize): void {
  take(cand, 0, 0, -1, 0, 0, 0, 0, 0, 0);
  store<f64>(cand, -Infinity, 72);
  for (let k = 0; k < n; k++) {
    const f = load<i32>(features + (<usize>k << 2));
    enumerateFeature(hist, f, cutPtrs, cutValues, <f64>load<f32>(minValues + (<usize>f << 2)),
      load<u8>(hasMissing + <usize>f) != 0, G, H, rootGain, params, cand);
  }
}

/**
 * Adds `left` or `right` (float32) to `preds[r]` of rows `idx[begin..end)`, by the side of the
 * split (feature `f`, bins <= `splitBin` and missing values when `missingLeft` go left) they fall on.
 */
function addSplitLeafValues(preds: usize, idx: usize, colBins: usize, rows: i32, begin: i32, end: i32, f: i32,
  splitBin: i32, missingLeft: i32, left: f32, right: f32): void {
  const base = colBins + ((<usize>f * <usize>rows) << 1);
  for (let i = begin; i < end; i++) {
    const r = load<i32>(idx + (<usize>i << 2));
    const bin = <i32>load<u16>(base + (<usize>r << 1));
    // Branch-free (the side is unpredictable): a select, not a conditional jump.
    const goesLeft = <i32>(bin <= splitBin) | (missingLeft & <i32>(bin == MISSING_BIN));
    const p = preds + (<usize>r << 2);
    store<f32>(p, load<f32>(p) + select<f32>(left, right, goesLeft != 0));
  }
}

// ---- Node-addressed work: a node's rows are `idx[begin..end)`, its (begin, end) an int32 pair at `node`. ----

/** Partitions the rows of the node at `parent` (see {@link partitionRows}) into the nodes at `left` and `right`. */
export function partitionNode(idx: usize, tmp: usize, colBins: usize, rows: i32, parent: usize, left: usize, right: usize,
  f: i32, splitBin: i32, missingLeft: i32): void {
  const b = load<i32>(parent);
  const e = load<i32>(parent, 4);
  const mid = partitionRows(idx, tmp, colBins, rows, b, e, f, splitBin, missingLeft);
  store<i32>(left, b);
  store<i32>(left, mid, 4);
  store<i32>(right, mid);
  store<i32>(right, e, 4);
}

/**
 * Clears `hist`, then sums the rows of the node at `node` into it: their (gradient, hessian) pairs
 * from `gpair`, or, with `unitHessian` (every hessian is 1), their float32 gradients alone from
 * `grad` (half the bytes, which is what a deep node's scattered rows cost on large data) and 1 for
 * each hessian.
 */
export function buildNode(hist: usize, idx: usize, node: usize, gpair: usize, grad: usize, unitHessian: i32, entries: usize,
  wide: i32, rowPtr: usize, bins: i32): void {
  clearHistogram(hist, bins);
  const b = load<i32>(node);
  const e = load<i32>(node, 4);
  if (unitHessian != 0) {
    if (wide != 0) accumulate<u32>(hist, idx, b, e, grad, entries, rowPtr, true);
    else accumulate<u16>(hist, idx, b, e, grad, entries, rowPtr, true);
  } else if (wide != 0) {
    accumulate<u32>(hist, idx, b, e, gpair, entries, rowPtr, false);
  } else {
    accumulate<u16>(hist, idx, b, e, gpair, entries, rowPtr, false);
  }
}

/** {@link addLeafValue} over the rows of the node at `node`. */
export function addNodeLeafValue(preds: usize, idx: usize, node: usize, value: f32): void {
  addLeafValue(preds, idx, load<i32>(node), load<i32>(node, 4), value);
}

/** {@link addSplitLeafValues} over the rows of the node at `node`. */
export function addNodeSplitLeafValues(preds: usize, idx: usize, colBins: usize, rows: i32, node: usize, f: i32,
  splitBin: i32, missingLeft: i32, left: f32, right: f32): void {
  addSplitLeafValues(preds, idx, colBins, rows, load<i32>(node), load<i32>(node, 4), f, splitBin, missingLeft, left, right);
}

/**
 * A tree's root over rows `begin..end` (one shard): puts them in order in `idx` as the node at
 * `node`; with `squaredError`, sets their gradient pairs to `(f32(pred - label), 1)` (and their
 * gradients in `grad`); sums the
 * pairs in double, in row order, into `sums` (two float64); and builds their histogram into
 * `hist` like {@link buildNode} (gradients only when `counts` is an offset, the hessian halves copied
 * from there). One pass instead of
 * four over the rows.
 */
export function buildRoot(hist: usize, idx: usize, node: usize, begin: i32, end: i32, gpair: usize, grad: usize, preds: usize, label: usize,
  squaredError: i32, entries: usize, wide: i32, rowPtr: usize, bins: i32, counts: i32, sums: usize): void {
  clearHistogram(hist, bins);
  if (wide != 0) {
    if (counts >= 0) rootRows<u32>(hist, idx, begin, end, gpair, grad, preds, label, squaredError, entries, rowPtr, true, sums);
    else rootRows<u32>(hist, idx, begin, end, gpair, grad, preds, label, squaredError, entries, rowPtr, false, sums);
  } else if (counts >= 0) {
    rootRows<u16>(hist, idx, begin, end, gpair, grad, preds, label, squaredError, entries, rowPtr, true, sums);
  } else {
    rootRows<u16>(hist, idx, begin, end, gpair, grad, preds, label, squaredError, entries, rowPtr, false, sums);
  }
  if (counts >= 0) copyHessians(hist, <usize>counts, bins);
  store<i32>(node, begin);
  store<i32>(node, end, 4);
}

@inline
function rootRows<T>(hist: usize, idx: usize, begin: i32, end: i32, gpair: usize, grad: usize, preds: usize, label: usize,
  squaredError: i32, entries: usize, rowPtr: usize, gradientsOnly: bool, sums: usize): void {
  let G: f64 = 0;
  let H: f64 = 0;
  for (let r = begin; r < end; r++) {
    store<i32>(idx + (<usize>r << 2), r);
    const q = gpair + (<usize>r << 3);
    if (squaredError != 0) {
      const d = load<f32>(preds + (<usize>r << 2)) - load<f32>(label + (<usize>r << 2));
      store<f32>(q, d);
      store<f32>(q, 1, 4);
      store<f32>(grad + (<usize>r << 2), d);
    }
    const g = <f64>load<f32>(q);
    const h = <f64>load<f32>(q, 4);
    G += g;
    H += h;
    const s = load<i32>(rowPtr + (<usize>r << 2));
    const e = load<i32>(rowPtr + (<usize>r << 2), 4);
    for (let k = s; k < e; k++) {
      const b = hist + (<usize>load<T>(entries + (<usize>k << alignof<T>())) << 4);
      store<f64>(b, load<f64>(b) + g);
      if (!gradientsOnly) store<f64>(b, load<f64>(b, 8) + h, 8);
    }
  }
  store<f64>(sums, G);
  store<f64>(sums, H, 8);
}
