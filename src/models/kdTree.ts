/**
 * A k-d tree for exact k-nearest-neighbour search in Euclidean distance, after scikit-learn's
 * `KDTree` (split on the widest dimension at the median, leaves of at most `leafSize` rows),
 * pruned by incremental distances to the splitting planes. Points are copied in tree order for locality. Ties between equal
 * distances go to the lower original row index, so results do not depend on the tree layout.
 */
export class KDTree {
  /** Points in tree order, row-major. */
  private readonly points: Float64Array;
  /** Original row index of each point in tree order. */
  readonly order: Int32Array;
  private readonly dims: number;
  private nodeStart: Int32Array;
  private nodeEnd: Int32Array;
  private nodeLeft: Int32Array;
  private nodeRight: Int32Array;
  private splitDim: Int32Array;
  private splitValue: Float64Array;
  private nodeCount = 0;
  /** Per-dimension distance from the query to the last splitting plane crossed (search scratch). */
  private readonly offsets: Float64Array;

  constructor(data: Float64Array, rows: number, dims: number, leafSize = 30) {
    this.dims = dims;
    this.offsets = new Float64Array(dims);
    const order = new Int32Array(rows);
    for (let i = 0; i < rows; i++) order[i] = i;
    const capacity = 2 * Math.ceil(rows / Math.max(1, leafSize)) * 2 + 1;
    this.nodeStart = new Int32Array(capacity);
    this.nodeEnd = new Int32Array(capacity);
    this.nodeLeft = new Int32Array(capacity);
    this.nodeRight = new Int32Array(capacity);
    this.splitDim = new Int32Array(capacity);
    this.splitValue = new Float64Array(capacity);
    this.build(data, order, 0, rows, Math.max(1, leafSize));
    this.order = order;
    const points = new Float64Array(rows * dims);
    for (let p = 0; p < rows; p++) points.set(data.subarray((order[p] as number) * dims, ((order[p] as number) + 1) * dims), p * dims);
    this.points = points;
  }

  private build(data: Float64Array, order: Int32Array, start: number, end: number, leafSize: number): number {
    const node = this.nodeCount++;
    const d = this.dims;
    this.nodeStart[node] = start;
    this.nodeEnd[node] = end;
    let widest = 0;
    let widestSpread = -1;
    for (let j = 0; j < d; j++) {
      let lo = Infinity;
      let hi = -Infinity;
      for (let p = start; p < end; p++) {
        const v = data[(order[p] as number) * d + j] as number;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      if (hi - lo > widestSpread) {
        widestSpread = hi - lo;
        widest = j;
      }
    }
    if (end - start <= leafSize || widestSpread <= 0) {
      this.nodeLeft[node] = -1;
      this.nodeRight[node] = -1;
      return node;
    }
    const mid = start + ((end - start) >> 1);
    quickselect(data, order, d, widest, start, end - 1, mid);
    this.splitDim[node] = widest;
    this.splitValue[node] = data[(order[mid] as number) * d + widest] as number;
    this.nodeLeft[node] = this.build(data, order, start, mid, leafSize);
    this.nodeRight[node] = this.build(data, order, mid, end, leafSize);
    return node;
  }

  /**
   * The `k` nearest points to `query` (the row of `query` starting at `qOff`): writes original
   * row indices to `outIndex` and squared distances to `outDist`, nearest first.
   */
  query(query: Float64Array, qOff: number, k: number, outIndex: Int32Array, outDist: Float64Array): void {
    outDist.fill(Infinity, 0, k);
    outIndex.fill(0x7fffffff, 0, k);
    this.offsets.fill(0);
    this.search(0, 0, query, qOff, k, outIndex, outDist);
  }

  /**
   * The `k` nearest points to every row of `queries` (`rows` x dims, row-major), written to
   * `outIndex` / `outDist` at `row * k`. Queries are visited grouped by the leaf they fall in,
   * so that consecutive searches touch the same part of the tree (cache locality); results do
   * not depend on that order.
   */
  queryAll(queries: Float64Array, rows: number, k: number, outIndex: Int32Array, outDist: Float64Array): void {
    const d = this.dims;
    const leafOf = new Int32Array(rows);
    for (let i = 0; i < rows; i++) {
      let node = 0;
      while ((this.nodeLeft[node] as number) >= 0) {
        const dim = this.splitDim[node] as number;
        node = (queries[i * d + dim] as number) < (this.splitValue[node] as number) ? (this.nodeLeft[node] as number) : (this.nodeRight[node] as number);
      }
      leafOf[i] = node;
    }
    const counts = new Int32Array(this.nodeCount + 1);
    for (let i = 0; i < rows; i++) counts[(leafOf[i] as number) + 1] = (counts[(leafOf[i] as number) + 1] as number) + 1;
    for (let n = 1; n <= this.nodeCount; n++) counts[n] = (counts[n] as number) + (counts[n - 1] as number);
    const visit = new Int32Array(rows);
    for (let i = 0; i < rows; i++) {
      const leaf = leafOf[i] as number;
      visit[counts[leaf] as number] = i;
      counts[leaf] = (counts[leaf] as number) + 1;
    }
    const idx = new Int32Array(k);
    const dist = new Float64Array(k);
    for (let v = 0; v < rows; v++) {
      const i = visit[v] as number;
      this.query(queries, i * d, k, idx, dist);
      outIndex.set(idx, i * k);
      outDist.set(dist, i * k);
    }
  }

  /**
   * Depth-first search, near child first. `bound` is a lower bound on the squared distance from
   * the query to any point of `node`, kept incrementally from the splitting planes crossed
   * (Arya and Mount): crossing a plane replaces that dimension's term, O(1) per node.
   */
  private search(node: number, bound: number, q: Float64Array, qOff: number, k: number, outIndex: Int32Array, outDist: Float64Array): void {
    const left = this.nodeLeft[node] as number;
    if (left < 0) {
      const d = this.dims;
      const pts = this.points;
      const order = this.order;
      for (let p = this.nodeStart[node] as number, end = this.nodeEnd[node] as number; p < end; p++) {
        const worst = outDist[k - 1] as number;
        let s = 0;
        const off = p * d;
        for (let j = 0; j < d; j++) {
          const diff = (q[qOff + j] as number) - (pts[off + j] as number);
          s += diff * diff;
          if (s > worst) break;
        }
        if (s > worst) continue;
        const idx = order[p] as number;
        if (s === worst && idx > (outIndex[k - 1] as number)) continue;
        let pos = k - 1;
        while (pos > 0) {
          const pd = outDist[pos - 1] as number;
          if (pd < s || (pd === s && (outIndex[pos - 1] as number) < idx)) break;
          outDist[pos] = pd;
          outIndex[pos] = outIndex[pos - 1] as number;
          pos--;
        }
        outDist[pos] = s;
        outIndex[pos] = idx;
      }
      return;
    }
    const dim = this.splitDim[node] as number;
    const gap = (q[qOff + dim] as number) - (this.splitValue[node] as number);
    // Left points have x[dim] <= split, right points >= split.
    const near = gap < 0 ? left : (this.nodeRight[node] as number);
    const far = gap < 0 ? (this.nodeRight[node] as number) : left;
    this.search(near, bound, q, qOff, k, outIndex, outDist);
    const old = this.offsets[dim] as number;
    const farBound = bound - old * old + gap * gap;
    if (farBound <= (outDist[k - 1] as number)) {
      this.offsets[dim] = gap;
      this.search(far, farBound, q, qOff, k, outIndex, outDist);
      this.offsets[dim] = old;
    }
  }
}

/** Reorders `order[lo..hi]` so that position `nth` holds the element of rank nth by column `dim`. */
function quickselect(data: Float64Array, order: Int32Array, d: number, dim: number, lo: number, hi: number, nth: number): void {
  while (hi > lo) {
    const pivot = data[(order[(lo + hi) >> 1] as number) * d + dim] as number;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((data[(order[i] as number) * d + dim] as number) < pivot) i++;
      while ((data[(order[j] as number) * d + dim] as number) > pivot) j--;
      if (i <= j) {
        const t = order[i] as number;
        order[i] = order[j] as number;
        order[j] = t;
        i++;
        j--;
      }
    }
    if (nth <= j) hi = j;
    else if (nth >= i) lo = i;
    else return;
  }
}
