import type { QuantizedMatrix } from "./quantized";
import { SplitCandidate } from "./splitEvaluator";
import { acquireArena, KernelArena, releaseArena } from "./wasmArena";
import type { KernelExports } from "./wasmKernels";
import { WorkerLateness } from "./workerLateness";
import type { EngineSetup, SplitSpec, WorkerPool } from "./workerPool";
import {
  BuildTask, BuildUnit, dealBySize, MIN_PARALLEL, PartitionTask, PartitionUnit, planBuilds, SPLIT_MIN_ROWS, SplitRequest, SubtractTask,
} from "./workUnits";

/** Float64 fields of a split candidate block (see wasm/kernels.as.ts). */
const CANDIDATE_FIELDS = 10;
/**
 * Candidate blocks are 128 bytes apart: two threads writing neighbouring candidates in one
 * cache line made parallel evaluation no faster than serial (false sharing).
 */
const CANDIDATE_STRIDE = 16;

/**
 * The work of one training run over a quantized matrix: gradients, node histograms, row
 * partitions, split evaluation and prediction updates, with the hot loops in WebAssembly
 * (wasm/kernels.as.ts) on one shared memory (an arena: the row index the grower partitions, the
 * gradient, label and prediction buffers, the matrix's entries, bins and cuts, and a pool of
 * histogram slots). With a worker pool, units of work are dealt to its threads; units never depend
 * on the thread count (see {@link planBuilds}), so the trees are bit-identical at any thread count.
 * `close()` ends the run and returns the arena for reuse.
 */
export class HistEngine {
  readonly idx: Int32Array;
  private readonly grad: Float32Array;
  private readonly hess: Float32Array;
  /** The float32 predictions on the training rows. */
  readonly preds: Float32Array;
  private readonly arena: KernelArena;
  private readonly k: KernelExports;
  private readonly bins: number;
  private readonly label: Float32Array;
  private labelSource: Float32Array | null = null;
  private readonly sums: Float64Array;
  private readonly splitParams: Float64Array;
  private requestCapacity = 0;
  private trees = 0;
  private closed = false;
  private readonly lateness = new WorkerLateness();
  /** Whether `idx` is the identity (set by resetRows, cleared by partition). */
  private rootRows = false;
  private unitHessian = false;
  /** Per root unit `begin:end`, a histogram whose hessian half holds its rows' counts per bin. */
  private readonly rootCounts = new Map<string, number>();
  private readonly ptr: { idx: number; tmp: number; grad: number; hess: number; gpair: number; preds: number; label: number; sums: number; cutValues: number; minValues: number; hasMissing: number; features: number; splitParams: number; candidate: number; entries: number; rowPtr: number; colBins: number; cutPtrs: number; implicitBin: number };
  private readonly wide: boolean;
  private readonly slotPtrs: number[] = [];
  private readonly slotViews: Float64Array[] = [];
  private readonly freeSlots: number[] = [];
  private readonly threads: number;
  private readonly entriesPerRow: number;

  private readonly engineId: number = -1;

  /** `threads` threads in all when a worker pool is given (the caller is thread 0). */
  constructor(private readonly q: QuantizedMatrix, private readonly pool: WorkerPool | null = null, threads = 1) {
    const n = q.rows;
    this.threads = pool === null ? 1 : threads;
    this.entriesPerRow = q.rows === 0 ? 0 : q.entries.length / q.rows;
    this.bins = q.totalBins;
    const expected = n * 4 * (4 + this.threads) + q.entries.byteLength + q.rowPtr.byteLength + q.colBins.byteLength + 64 * this.bins * 16;
    const a = acquireArena(expected);
    this.arena = a;
    this.k = a.kernels;
    const idx = a.int32(n);
    const grad = a.float32(n);
    const hess = a.float32(n);
    const gpair = a.float32(2 * n);
    const preds = a.float32(n);
    const label = a.float32(n);
    const sums = a.float64(2);
    const tmp = a.alloc(n * 4 * this.threads);
    const splitParams = a.float64(8);
    this.splitParams = splitParams.view;
    this.label = label.view;
    this.sums = sums.view;
    this.idx = idx.view;
    this.grad = grad.view;
    this.hess = hess.view;
    this.preds = preds.view;
    this.wide = q.entries instanceof Uint32Array;
    this.ptr = {
      idx: idx.ptr, tmp, grad: grad.ptr, hess: hess.ptr, gpair: gpair.ptr, preds: preds.ptr, label: label.ptr, sums: sums.ptr,
      entries: a.copy(q.entries), rowPtr: a.copy(q.rowPtr), colBins: a.copy(q.colBins),
      cutPtrs: a.copy(q.cuts.ptrs), implicitBin: a.copy(q.implicitBin), cutValues: a.copy(q.cuts.values),
      minValues: a.copy(q.cuts.minValues), hasMissing: a.copy(q.hasMissing), features: 0,
      splitParams: splitParams.ptr, candidate: 0,
    };
    if (pool !== null) {
      const setup: EngineSetup = {
        memory: a.memory, memoryId: a.id, idx: idx.ptr, tmp, gpair: gpair.ptr, entries: this.ptr.entries, wide: this.wide,
        rowPtr: this.ptr.rowPtr, colBins: this.ptr.colBins, rows: n, bins: this.bins,
        cutPtrs: this.ptr.cutPtrs, cutValues: this.ptr.cutValues, minValues: this.ptr.minValues,
        hasMissing: this.ptr.hasMissing, splitParams: this.ptr.splitParams,
      };
      this.engineId = pool.register(setup);
    }
  }

  /** The histogram stored in `slot`. */
  histogram(slot: number): Float64Array {
    return this.slotViews[slot] as Float64Array;
  }

  allocSlot(): number {
    const s = this.freeSlots.pop();
    if (s !== undefined) return s;
    const h = this.arena.float64(this.bins * 2);
    this.slotPtrs.push(h.ptr);
    this.slotViews.push(h.view);
    return this.slotPtrs.length - 1;
  }

  freeSlot(slot: number): void {
    this.freeSlots.push(slot);
  }

  /** Sets the split-evaluation parameter block (`SplitEvaluator.kernelParams`). */
  setSplitParams(params: readonly number[]): void {
    this.splitParams.set(params);
  }

  /**
   * The best split of each requested node, by XGBoost's enumeration (see
   * `SplitEvaluator.kernelParams`); nodes are dealt to threads when there are several.
   */
  bestSplits(requests: readonly SplitRequest[]): SplitCandidate[] {
    const n = requests.length;
    const cols = this.q.cols;
    if (n > this.requestCapacity) {
      this.requestCapacity = Math.max(n, 2 * this.requestCapacity);
      this.ptr.features = this.arena.alloc(this.requestCapacity * cols * 4);
      this.ptr.candidate = this.arena.alloc(this.requestCapacity * CANDIDATE_STRIDE * 8);
    }
    const buffer = this.arena.memory.buffer;
    const features = new Int32Array(buffer, this.ptr.features, n * cols);
    requests.forEach((r, i) => features.set(r.features, i * cols));
    const specs: SplitSpec[] = requests.map((r, i) => ({
      hist: this.slotPtrs[r.slot] as number, features: this.ptr.features + i * cols * 4, count: r.features.length,
      G: r.G, H: r.H, rootGain: r.rootGain, candidate: this.ptr.candidate + i * CANDIDATE_STRIDE * 8, thread: 0,
    }));
    const pool = this.workers();
    if (pool === null || n < 2 || n * this.bins < MIN_PARALLEL.bins || !pool.fitsSplits(n)) {
      for (const sp of specs) this.evaluateSpec(sp);
    } else {
      const owner = this.deal(requests.map((r) => r.features.length));
      const dealt = specs.map((sp, i) => ({ ...sp, thread: owner[i] as number }));
      pool.evaluate(this.engineId, dealt, () => {
        for (const sp of dealt) if (sp.thread === 0) this.evaluateSpec(sp);
      });
      this.observe(pool);
    }
    // One copy out of the shared memory: JavaScript reads it field by field slowly.
    const blocks = new Float64Array(buffer, this.ptr.candidate, n * CANDIDATE_STRIDE).slice();
    return requests.map((_, i) => SplitCandidate.readFrom(blocks.subarray(i * CANDIDATE_STRIDE, i * CANDIDATE_STRIDE + CANDIDATE_FIELDS)));
  }

  private evaluateSpec(sp: SplitSpec): void {
    const p = this.ptr;
    this.k.evaluateNode(sp.hist, sp.features, sp.count, p.cutPtrs, p.cutValues, p.minValues, p.hasMissing,
      sp.G, sp.H, sp.rootGain, p.splitParams, sp.candidate);
  }

  /** Puts every row back in the root node (`idx[i] = i`). */
  resetRows(): void {
    this.k.resetRows(this.ptr.idx, this.q.rows);
    this.rootRows = true;
    this.trees++;
  }

  /** Sets every row's gradient and hessian (float32). */
  setGradients(grad: Float32Array, hess: Float32Array): void {
    this.grad.set(grad);
    this.hess.set(hess);
    this.k.interleaveGradients(this.ptr.grad, this.ptr.hess, this.ptr.gpair, this.q.rows);
  }

  /** The sums of the gradients and hessians over all rows (double, in row order). */
  gradientSums(): { G: number; H: number } {
    this.k.sumGradients(this.ptr.gpair, this.q.rows, this.ptr.sums);
    return { G: this.sums[0] as number, H: this.sums[1] as number };
  }

  /**
   * Unweighted squared-error gradients at `preds` (float32: `grad = pred - label`, `hess = 1`),
   * as the objective computes them; `label` is copied into the engine's memory once.
   */
  squaredErrorGradients(label: Float32Array): void {
    if (this.labelSource !== label) {
      if (label.length !== this.q.rows) throw new RangeError(`boosting: ${label.length} labels for ${this.q.rows} rows`);
      this.label.set(label);
      this.labelSource = label;
    }
    this.k.squaredErrorGradients(this.ptr.preds, this.ptr.label, this.ptr.gpair, this.q.rows);
  }

  /**
   * For each last-level split, adds its `left` or `right` leaf value (float32) to the predictions of
   * its rows by the side they fall on (rows are not partitioned). On one thread: nodes' rows
   * interleave in the prediction array, so two threads would write the same cache lines.
   */
  addSplitLeafValues(splits: ReadonlyArray<{ readonly split: PartitionTask; readonly left: number; readonly right: number }>): void {
    const q = this.q;
    const p = this.ptr;
    for (const { split: t, left, right } of splits) {
      const missingLeft = t.missingLeft && q.hasMissing[t.feature] === 1 ? 1 : 0;
      this.k.addSplitLeafValues(p.preds, p.idx, p.colBins, q.rows, t.begin, t.end, t.feature, t.splitBin, missingLeft, left, right);
    }
  }

  /** Adds the float32 `value` to the predictions of rows `idx[begin..end)`. */
  addLeafValue(begin: number, end: number, value: number): void {
    this.k.addLeafValue(this.ptr.preds, this.ptr.idx, begin, end, value);
  }

  /**
   * Partitions the rows of every task (disjoint ranges); returns each task's boundary. A large
   * node is cut in two halves partitioned separately, then the left rows of the second half are
   * moved before the right rows of the first: the same stable order as one pass.
   */
  partition(tasks: readonly PartitionTask[]): number[] {
    this.rootRows = false;
    const rows = tasks.reduce((a, t) => a + t.end - t.begin, 0);
    const pool = rows >= MIN_PARALLEL.rows ? this.workers() : null;
    const halved = tasks.map((t) => pool !== null && t.end - t.begin >= SPLIT_MIN_ROWS);
    const units: PartitionUnit[] = [];
    tasks.forEach((t, i) => {
      if (halved[i]) {
        const mid = t.begin + ((t.end - t.begin) >> 1);
        units.push({ task: t, begin: t.begin, end: mid }, { task: t, begin: mid, end: t.end });
      } else {
        units.push({ task: t, begin: t.begin, end: t.end });
      }
    });
    const bounds = pool === null || units.length < 2 || !pool.fitsPartitions(units.length)
      ? units.map((u) => this.partitionUnit(u, 0))
      : this.partitionOnWorkers(pool, units);
    const mids: number[] = [];
    let k = 0;
    tasks.forEach((_, i) => {
      if (halved[i]) {
        mids.push(this.k.joinHalves(this.ptr.idx, this.ptr.tmp, bounds[k] as number, units[k]!.end, bounds[k + 1] as number));
        k += 2;
      } else {
        mids.push(bounds[k] as number);
        k += 1;
      }
    });
    return mids;
  }

  private partitionUnit(u: PartitionUnit, thread: number): number {
    const t = u.task;
    const missingLeft = t.missingLeft && this.q.hasMissing[t.feature] === 1 ? 1 : 0;
    const p = this.ptr;
    return this.k.partitionRows(p.idx, p.tmp + thread * this.q.rows * 4, p.colBins, this.q.rows, u.begin, u.end,
      t.feature, t.splitBin, missingLeft);
  }

  private partitionOnWorkers(pool: WorkerPool, units: readonly PartitionUnit[]): number[] {
    const owner = this.deal(units.map((u) => u.end - u.begin));
    const bounds = new Array<number>(units.length).fill(-1);
    pool.partition(this.engineId, units.map((u, i) => ({
      begin: u.begin, end: u.end, feature: u.task.feature, splitBin: u.task.splitBin,
      missingLeft: u.task.missingLeft && this.q.hasMissing[u.task.feature] === 1, thread: owner[i] as number,
    })), bounds, () => {
      units.forEach((u, i) => { if (owner[i] === 0) bounds[i] = this.partitionUnit(u, 0); });
    });
    this.observe(pool);
    return bounds;
  }

  /** Runs all builds, then all subtractions. */
  run(builds: readonly BuildTask[], subtracts: readonly SubtractTask[]): void {
    const { units, merges } = planBuilds(builds, () => this.allocSlot());
    const counts = this.knownCounts(units);
    const pool = this.workers();
    const rowsTotal = units.reduce((a, u) => a + u.end - u.begin, 0);
    if (pool === null || units.length < 2 || rowsTotal * this.entriesPerRow < MIN_PARALLEL.entries || !pool.fitsUnits(units.length)) {
      units.forEach((u, i) => this.buildUnit(u, counts[i] as number));
    } else {
      const owner = this.deal(units.map((u) => u.end - u.begin));
      pool.build(this.engineId, units.map((u, i) => ({ slot: this.slotPtrs[u.slot] as number, begin: u.begin, end: u.end,
        thread: owner[i] as number, counts: counts[i] as number })), () => {
        units.forEach((u, i) => { if (owner[i] === 0) this.buildUnit(u, counts[i] as number); });
      });
      this.observe(pool);
    }
    if (this.rootRows) this.rememberCounts(units, counts);
    const k = this.k;
    const p = this.ptr;
    for (const [into, from] of merges) {
      k.addHistogram(this.slotPtrs[into] as number, this.slotPtrs[from] as number, this.bins);
      this.freeSlot(from);
    }
    for (const b of builds) k.fillImplicitBins(this.slotPtrs[b.slot] as number, p.cutPtrs, p.implicitBin, this.q.cols, b.G, b.H);
    for (const s of subtracts) {
      k.subtractHistogram(this.slotPtrs[s.out] as number, this.slotPtrs[s.parent] as number, this.slotPtrs[s.built] as number, this.bins);
    }
  }

  /**
   * For each unit, the offset of a histogram holding its hessian sums, or -1. While the rows are
   * in their root order and every hessian is exactly 1 (squared error without weights or
   * subsampling), a unit's hessian sums are its rows' counts per bin: the same each tree and
   * exact in double, so they are summed once and then copied (the kernels add gradients only).
   */
  private knownCounts(units: readonly BuildUnit[]): number[] {
    this.unitHessian = this.rootRows && this.k.unitHessians(this.ptr.gpair, this.q.rows) === 1;
    return units.map((u) => (this.unitHessian ? this.rootCounts.get(`${u.begin}:${u.end}`) ?? -1 : -1));
  }

  private rememberCounts(units: readonly BuildUnit[], counts: readonly number[]): void {
    if (!this.unitHessian) return;
    units.forEach((u, i) => {
      if (counts[i] !== -1) return;
      const copy = this.arena.alloc(this.bins * 16);
      new Float64Array(this.arena.memory.buffer, copy, this.bins * 2).set(this.slotViews[u.slot] as Float64Array);
      this.rootCounts.set(`${u.begin}:${u.end}`, copy);
    });
  }

  private buildUnit(u: BuildUnit, counts: number): void {
    const p = this.ptr;
    this.k.buildUnit(this.slotPtrs[u.slot] as number, p.idx, u.begin, u.end, p.gpair, p.entries, this.wide ? 1 : 0, p.rowPtr,
      this.bins, counts);
  }


  /** The worker pool, unless there is none or it is resting (see workerLateness.ts). */
  private workers(): WorkerPool | null {
    return this.pool !== null && this.lateness.usable(this.trees) ? this.pool : null;
  }

  /** Tracks how late the workers were for the last command. */
  private observe(pool: WorkerPool): void {
    this.lateness.observe(this.trees, pool.lastWorkMs, pool.lastWaitMs);
  }

  /** Deals `sizes` to this engine's threads. */
  private deal(sizes: readonly number[]): number[] {
    return dealBySize(sizes, this.threads);
  }


  /** Ends the run: the workers drop this engine and its arena goes back for reuse. Views into it must not be used afterwards. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.pool !== null && this.engineId >= 0) this.pool.unregister(this.engineId);
    if (!releaseArena(this.arena)) this.pool?.forgetMemory(this.arena.id);
  }
}
