import type { Random } from "../../util/random";
import type { PresortedData } from "./presort";
import type { TreeArrays } from "./treeArrays";

/** Values closer than this are not split apart (scikit-learn's FEATURE_THRESHOLD). */
const FEATURE_THRESHOLD = 1e-7;

/** How far a tree grows; counts are of distinct training rows, as in scikit-learn. */
export interface GrowthLimits {
  /** Deepest level a split may create (Infinity for none). */
  readonly maxDepth: number;
  /** A node with fewer rows becomes a leaf. */
  readonly minSamplesSplit: number;
  /** Each child keeps at least this many rows. */
  readonly minSamplesLeaf: number;
  /** Features examined per split (the best among a random subset when below the feature count). */
  readonly maxFeatures: number;
}

/**
 * Grows one CART regression tree (squared error; the best split over the candidate features;
 * thresholds halfway between neighbouring distinct values; `x <= threshold` goes left)
 * depth-first. `weights` (bootstrap counts, or null for all ones) weigh the rows; rows of
 * weight 0 are left out. Exact: every distinct threshold of every candidate feature is scored.
 * Sorted features keep per-node row lists in value order, partitioned stably at each split;
 * binned (few-valued) features are scored from a per-node histogram over their distinct
 * values. Nothing is sorted and nothing is allocated per node.
 */
export function growTree(data: PresortedData, weights: Float64Array | null, limits: GrowthLimits, random: Random | null): TreeArrays {
  const { rows: n, cols: F, columns, order, y, sortedFeatures, binnedFeatures, codes, binOffset, binValues, defaultBin, sparseStart, sparseBins } = data;
  const S = sortedFeatures.length;
  const B = binnedFeatures.length;
  const w = weights ?? new Float64Array(n).fill(1);
  // w, w*y and y side by side, so that a row's values share a cache line.
  const wwy = new Float64Array(3 * n);
  let m = 0;
  for (let i = 0; i < n; i++) {
    wwy[3 * i] = w[i] as number;
    wwy[3 * i + 1] = (w[i] as number) * (y[i] as number);
    wwy[3 * i + 2] = y[i] as number;
    if ((w[i] as number) > 0) m++;
  }
  // Row lists: one per sorted feature; with none, a single list of rows serves to walk the nodes.
  const L = Math.max(S, 1);
  const idx = new Int32Array(L * m);
  if (S === 0) {
    let k = 0;
    for (let i = 0; i < n; i++) if ((w[i] as number) > 0) idx[k++] = i;
  }
  // Sorted lists carry their values alongside, so that scanning a node reads memory in order.
  const vals = new Float64Array(S * m);
  for (let s = 0; s < S; s++) {
    let k = s * m;
    const col = (sortedFeatures[s] as number) * n;
    for (let p = s * n, stop = (s + 1) * n; p < stop; p++) {
      const r = order[p] as number;
      if ((w[r] as number) > 0) {
        vals[k] = columns[col + r] as number;
        idx[k++] = r;
      }
    }
  }
  /** For feature f: s >= 0 when sorted (list s), -(b + 1) when binned (b-th binned feature). */
  const slot = new Int32Array(F);
  for (let s = 0; s < S; s++) slot[sortedFeatures[s] as number] = s;
  for (let b = 0; b < B; b++) slot[binnedFeatures[b] as number] = -(b + 1);
  const totalBins = binOffset[B] as number;
  // One histogram per stack slot: a node's is ready when it is popped (computed directly for
  // the smaller child of a split, by subtraction from the parent's for the larger one).
  let slots = 64;
  let poolW = new Float64Array(slots * totalBins);
  let poolWY = new Float64Array(slots * totalBins);
  let poolN = new Int32Array(slots * totalBins);
  const scratchW = new Float64Array(totalBins);
  const scratchWY = new Float64Array(totalBins);
  const scratchN = new Int32Array(totalBins);
  const accumulate = (from: number, to: number, list: number, hw: Float64Array, hwy: Float64Array, hn: Int32Array, at: number): void => {
    hw.fill(0, at, at + totalBins);
    hwy.fill(0, at, at + totalBins);
    hn.fill(0, at, at + totalBins);
    let totalW = 0;
    let totalWY = 0;
    for (let p = list + from, stop = list + to; p < stop; p++) {
      const r = idx[p] as number;
      const wr = wwy[3 * r] as number;
      const wyr = wwy[3 * r + 1] as number;
      totalW += wr;
      totalWY += wyr;
      for (let q = sparseStart[r] as number, end = sparseStart[r + 1] as number; q < end; q++) {
        const k = at + (sparseBins[q] as number);
        hw[k] = (hw[k] as number) + wr;
        hwy[k] = (hwy[k] as number) + wyr;
        hn[k] = (hn[k] as number) + 1;
      }
    }
    // Default bins: what the node holds minus the other bins of the feature.
    for (let b = 0; b < B; b++) {
      const d = at + (defaultBin[b] as number);
      let sw = totalW;
      let swy = totalWY;
      let sn = to - from;
      for (let k = at + (binOffset[b] as number), stop = at + (binOffset[b + 1] as number); k < stop; k++) {
        if (k === d) continue;
        sw -= hw[k] as number;
        swy -= hwy[k] as number;
        sn -= hn[k] as number;
      }
      hw[d] = sw;
      hwy[d] = swy;
      hn[d] = sn;
    }
  };
  if (B > 0) accumulate(0, m, 0, poolW, poolWY, poolN, 0);

  const capacity = Math.max(1, 2 * m - 1);
  const feature = new Int32Array(capacity);
  const value = new Float64Array(capacity);
  const right = new Int32Array(capacity);
  const side = new Uint8Array(n);
  const tmp = new Int32Array(m);
  const tmpVals = new Float64Array(S > 0 ? m : 0);
  const features = new Int32Array(F);
  for (let f = 0; f < F; f++) features[f] = f;
  const sampleFeatures = limits.maxFeatures < F;
  const { maxDepth, minSamplesSplit, minSamplesLeaf: minLeaf, maxFeatures } = limits;

  const stackStart = new Int32Array(m + 2);
  const stackEnd = new Int32Array(m + 2);
  const stackDepth = new Int32Array(m + 2);
  const stackParent = new Int32Array(m + 2);
  stackStart[0] = 0;
  stackEnd[0] = m;
  stackDepth[0] = 0;
  stackParent[0] = -1;
  let top = 1;
  let count = 0;

  while (top > 0) {
    top--;
    const start = stackStart[top] as number;
    const end = stackEnd[top] as number;
    const depth = stackDepth[top] as number;
    const parent = stackParent[top] as number;
    const id = count++;
    if (parent >= 0) right[parent] = id; // a left child is always parent + 1; only right children are recorded

    const size = end - start;
    const splittable = size >= minSamplesSplit && size >= 2 * minLeaf && depth < maxDepth;
    let sumW = 0;
    let sumWY = 0;
    let minY = Infinity;
    let maxY = -Infinity;
    for (let p = start; p < end; p++) {
      const r = idx[p] as number;
      sumW += wwy[3 * r] as number;
      sumWY += wwy[3 * r + 1] as number;
      const v = wwy[3 * r + 2] as number;
      if (v < minY) minY = v;
      if (v > maxY) maxY = v;
    }
    const hb = top * totalBins; // this node's histogram in the pools

    let bestFeature = -1;
    let bestPos = -1;
    let bestCode = -1;
    let bestThreshold = 0;
    if (splittable && minY !== maxY) {
      let bestProxy = -Infinity;
      let visited = 0;
      for (let c = 0; c < F && visited < maxFeatures; c++) {
        if (sampleFeatures && random !== null) {
          const j = c + random.int(F - c);
          const t = features[c] as number;
          features[c] = features[j] as number;
          features[j] = t;
        }
        const f = features[c] as number;
        const sl = slot[f] as number;
        if (sl >= 0) {
          const base = sl * m;
          let xCur = vals[base + start] as number;
          if ((vals[base + end - 1] as number) <= xCur + FEATURE_THRESHOLD) continue;
          visited++;
          let wL = 0;
          let sL = 0;
          for (let p = base + start, last = base + end - 1; p < last; p++) {
            const r = idx[p] as number;
            wL += wwy[3 * r] as number;
            sL += wwy[3 * r + 1] as number;
            const xNext = vals[p + 1] as number;
            if (xNext <= xCur + FEATURE_THRESHOLD) {
              xCur = xNext;
              continue;
            }
            const nLeft = p + 1 - base - start;
            if (nLeft >= minLeaf) {
              if (size - nLeft < minLeaf) break;
              const sR = sumWY - sL;
              const proxy = (sL * sL) / wL + (sR * sR) / (sumW - wL);
              if (proxy > bestProxy) {
                bestProxy = proxy;
                bestFeature = f;
                bestPos = start + nLeft;
                bestThreshold = midpoint(xCur, xNext);
              }
            }
            xCur = xNext;
          }
        } else {
          const b = -sl - 1;
          const lo = binOffset[b] as number;
          const hi = binOffset[b + 1] as number;
          let first = lo;
          while (first < hi && poolN[hb + first] === 0) first++;
          let last = hi - 1;
          while (last > first && poolN[hb + last] === 0) last--;
          if ((binValues[last] as number) <= (binValues[first] as number) + FEATURE_THRESHOLD) continue;
          visited++;
          let wL = poolW[hb + first] as number;
          let sL = poolWY[hb + first] as number;
          let nLeft = poolN[hb + first] as number;
          let xCur = binValues[first] as number;
          let kCur = first;
          for (let k = first + 1; k <= last; k++) {
            if (poolN[hb + k] === 0) continue;
            const xNext = binValues[k] as number;
            if (xNext > xCur + FEATURE_THRESHOLD && nLeft >= minLeaf && size - nLeft >= minLeaf) {
              const sR = sumWY - sL;
              const proxy = (sL * sL) / wL + (sR * sR) / (sumW - wL);
              if (proxy > bestProxy) {
                bestProxy = proxy;
                bestFeature = f;
                bestPos = start + nLeft;
                bestCode = kCur;
                bestThreshold = midpoint(xCur, xNext);
              }
            }
            wL += poolW[hb + k] as number;
            sL += poolWY[hb + k] as number;
            nLeft += poolN[hb + k] as number;
            xCur = xNext;
            kCur = k;
          }
        }
      }
    }
    if (bestFeature < 0) {
      feature[id] = -1;
      value[id] = sumWY / sumW;
      continue;
    }
    feature[id] = bestFeature;
    value[id] = bestThreshold;
    const bestSlot = slot[bestFeature] as number;
    if (bestSlot >= 0) {
      const base = bestSlot * m;
      for (let p = base + start, stop = base + bestPos; p < stop; p++) side[idx[p] as number] = 1;
      for (let p = base + bestPos, stop = base + end; p < stop; p++) side[idx[p] as number] = 0;
    } else {
      const b = -bestSlot - 1;
      for (let p = start; p < end; p++) {
        const r = idx[p] as number;
        side[r] = (codes[b * n + r] as number) <= bestCode ? 1 : 0;
      }
    }
    for (let s = 0; s < L; s++) {
      if (s === bestSlot) continue;
      const base = s * m;
      let l = base + start;
      let t = 0;
      if (s < S) {
        for (let p = base + start, stop = base + end; p < stop; p++) {
          const r = idx[p] as number;
          if (side[r] === 1) {
            vals[l] = vals[p] as number;
            idx[l++] = r;
          } else {
            tmpVals[t] = vals[p] as number;
            tmp[t++] = r;
          }
        }
        for (let q = 0; q < t; q++) {
          idx[l + q] = tmp[q] as number;
          vals[l + q] = tmpVals[q] as number;
        }
      } else {
        for (let p = base + start, stop = base + end; p < stop; p++) {
          const r = idx[p] as number;
          if (side[r] === 1) idx[l++] = r;
          else tmp[t++] = r;
        }
        for (let q = 0; q < t; q++) idx[l + q] = tmp[q] as number;
      }
    }
    if (B > 0) {
      const leftSize = bestPos - start;
      const childrenSplittable = depth + 1 < maxDepth && Math.max(leftSize, end - bestPos) >= minSamplesSplit;
      if (childrenSplittable) {
        if (top + 2 > slots) {
          slots *= 2;
          const grow = <T extends Float64Array | Int32Array>(a: T, make: (k: number) => T): T => {
            const b = make(slots * totalBins);
            b.set(a);
            return b;
          };
          poolW = grow(poolW, (k) => new Float64Array(k));
          poolWY = grow(poolWY, (k) => new Float64Array(k));
          poolN = grow(poolN, (k) => new Int32Array(k));
        }
        const smallIsLeft = leftSize <= end - bestPos;
        accumulate(smallIsLeft ? start : bestPos, smallIsLeft ? bestPos : end, 0, scratchW, scratchWY, scratchN, 0);
        const parentAt = top * totalBins;
        const leftAt = (top + 1) * totalBins;
        for (let k = 0; k < totalBins; k++) {
          const pw = poolW[parentAt + k] as number;
          const pwy = poolWY[parentAt + k] as number;
          const pn = poolN[parentAt + k] as number;
          const sw = scratchW[k] as number;
          const swy = scratchWY[k] as number;
          const sn = scratchN[k] as number;
          if (smallIsLeft) {
            poolW[leftAt + k] = sw;
            poolWY[leftAt + k] = swy;
            poolN[leftAt + k] = sn;
            poolW[parentAt + k] = pw - sw;
            poolWY[parentAt + k] = pwy - swy;
            poolN[parentAt + k] = pn - sn;
          } else {
            poolW[leftAt + k] = pw - sw;
            poolWY[leftAt + k] = pwy - swy;
            poolN[leftAt + k] = pn - sn;
            poolW[parentAt + k] = sw;
            poolWY[parentAt + k] = swy;
            poolN[parentAt + k] = sn;
          }
        }
      }
    }
    stackStart[top] = bestPos;
    stackEnd[top] = end;
    stackDepth[top] = depth + 1;
    stackParent[top] = id;
    top++;
    stackStart[top] = start;
    stackEnd[top] = bestPos;
    stackDepth[top] = depth + 1;
    stackParent[top] = -1;
    top++;
  }
  return { feature: feature.slice(0, count), value: value.slice(0, count), right: right.slice(0, count) };
}

/** scikit-learn's threshold: halfway, or the lower value when rounding lands on the upper one. */
function midpoint(lower: number, upper: number): number {
  const t = (lower + upper) / 2;
  return t === upper || !Number.isFinite(t) ? lower : t;
}
