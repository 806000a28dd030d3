import {
  OP_BUILD, OP_EVALUATE, OP_FIELDS, OP_LEAF, OP_MERGE, OP_PARTITION, OP_ROOT, OP_SPLIT_LEAF, OP_SUBTRACT, PLAN_NODE_CAP,
  PLAN_NODE_OPS, PLAN_NODES, PLAN_SCRATCH, PLAN_SHARD_OPS, PLAN_SHARDS, PLAN_START, PLAN_SUMS, runGroup, runShard, shardCount,
} from "./levelPlan";
import { CMD_PLAN, EngineSetup, TASK_FIELDS } from "./parallelProtocol";
import type { QuantizedMatrix } from "./quantized";
import { SplitCandidate } from "./splitEvaluator";
import { acquireArena, KernelArena, releaseArena } from "./wasmArena";
import type { KernelExports } from "./wasmKernels";
import type { WorkerPool } from "./workerPool";
import type { BuildTask, LeafUpdate, NodeSplit, SplitLeafUpdate, SplitRequest, SubtractTask } from "./workUnits";

/** Float64 fields of a split candidate block (see wasm/kernels.as.ts). */
const CANDIDATE_FIELDS = 10;
/**
 * Candidate blocks are 128 bytes apart: two threads writing neighbouring candidates in one
 * cache line made parallel evaluation no faster than serial (false sharing).
 */
const CANDIDATE_STRIDE = 16;
/** Operations that fit one plan. */
const MAX_PLAN_OPS = Math.floor((TASK_FIELDS - PLAN_START) / OP_FIELDS);

/**
 * The work of one training run over a quantized matrix: gradients, node histograms, row
 * partitions, split evaluation and prediction updates, with the hot loops in WebAssembly
 * (wasm/kernels.as.ts) on one shared memory (an arena: the row index, the gradient, label and
 * prediction buffers, the matrix's entries, bins and cuts, the node table, and a pool of
 * histogram slots).
 *
 * The rows are cut into shards (see levelPlan.ts): each tree level is one plan, claimed by the
 * caller and the worker pool's threads alike, in which every shard partitions its own rows and
 * sums partial histograms, then groups of nodes add them up in shard order, subtract, and
 * evaluate splits. The shards depend only on the row count, so the trees are bit-identical at
 * any thread count.
 * `close()` ends the run and returns the arena for reuse.
 */
export class HistEngine {
  private readonly grad: Float32Array;
  private readonly hess: Float32Array;
  private readonly preds: Float32Array;
  private readonly arena: KernelArena;
  private readonly k: KernelExports;
  private readonly bins: number;
  private readonly label: Float32Array;
  private labelSource: Float32Array | null = null;
  private readonly sums: Float64Array;
  private readonly splitParams: Float64Array;
  private readonly setup: EngineSetup;
  private readonly ptr: { grad: number; hess: number; sums: number; features: number; candidate: number };
  private requestCapacity = 0;
  private closed = false;
  /** Every row's hessian is exactly 1 (squared error without weights or subsampling). */
  private unitHessian = false;
  /** Compute squared-error gradients at the next root. */
  private squaredErrorNext = false;
  /** Per-shard hessian sums of the root (its rows' counts per bin while hessians are 1), or -1. */
  private rootCounts = -1;
  private nodes = 0;
  private nodeCap = 0;
  private scratch = 0;
  private scratchBuilds = 0;
  /** Leaf updates waiting for the next plan (they run first in it). */
  private pendingLeaves: number[] = [];
  private readonly slotPtrs: number[] = [];
  private readonly slotViews: Float64Array[] = [];
  private readonly freeSlots: number[] = [];
  /** Shards of the rows (see levelPlan.ts). */
  readonly shards: number;
  /** Threads that take part in each plan (the caller included): never more than the shards. */
  private readonly threads: number;
  private readonly plan: Float64Array;
  private readonly engineId: number = -1;

  /** `threads` threads in all when a worker pool is given (the caller is thread 0). */
  constructor(private readonly q: QuantizedMatrix, private readonly pool: WorkerPool | null = null, threads = 1) {
    const n = q.rows;
    this.shards = shardCount(n);
    this.threads = pool === null ? 1 : Math.max(1, Math.min(threads, this.shards));
    this.bins = q.totalBins;
    const histBytes = this.bins * 16;
    const expected = n * 4 * (7 + this.threads) + q.entries.byteLength + q.rowPtr.byteLength + q.colBins.byteLength
      + 64 * histBytes * (1 + this.shards);
    const a = acquireArena(expected);
    this.arena = a;
    this.k = a.kernels;
    const idx = a.int32(n);
    const grad = a.float32(n);
    const hess = a.float32(n);
    const gpair = a.float32(2 * n);
    const preds = a.float32(n);
    const label = a.float32(n);
    const sums = a.float64(2 * this.shards);
    const tmp = a.alloc(n * 4 * this.threads);
    const splitParams = a.float64(8);
    this.splitParams = splitParams.view;
    this.label = label.view;
    this.sums = sums.view;
    this.grad = grad.view;
    this.hess = hess.view;
    this.preds = preds.view;
    this.ptr = { grad: grad.ptr, hess: hess.ptr, sums: sums.ptr, features: 0, candidate: 0 };
    this.setup = {
      memory: a.memory, memoryId: a.id, idx: idx.ptr, tmp, gpair: gpair.ptr, grad: grad.ptr, preds: preds.ptr, label: label.ptr,
      entries: a.copy(q.entries), wide: q.entries instanceof Uint32Array, rowPtr: a.copy(q.rowPtr), colBins: a.copy(q.colBins),
      rows: n, cols: q.cols, bins: this.bins, cutPtrs: a.copy(q.cuts.ptrs), implicitBin: a.copy(q.implicitBin),
      cutValues: a.copy(q.cuts.values), minValues: a.copy(q.cuts.minValues), hasMissing: a.copy(q.hasMissing),
      splitParams: splitParams.ptr,
    };
    this.ensureNodes(63);
    if (pool !== null && this.threads > 1) {
      this.engineId = pool.register(this.setup);
      this.plan = pool.tasks;
    } else {
      this.plan = new Float64Array(TASK_FIELDS);
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
   * Unweighted squared-error gradients at the current predictions (float32: `grad = pred - label`,
   * `hess = 1`), computed by each shard when the next tree's root is built; `label` is copied
   * into the engine's memory once.
   */
  useSquaredError(label: Float32Array): void {
    if (this.labelSource !== label) {
      if (label.length !== this.q.rows) throw new RangeError(`boosting: ${label.length} labels for ${this.q.rows} rows`);
      this.label.set(label);
      this.labelSource = label;
    }
    this.squaredErrorNext = true;
    this.unitHessian = true;
  }

  /** Sets every row's gradient and hessian (float32) for the next tree. */
  setGradients(grad: Float32Array, hess: Float32Array): void {
    this.grad.set(grad);
    this.hess.set(hess);
    this.k.interleaveGradients(this.ptr.grad, this.ptr.hess, this.setup.gpair, this.q.rows);
    this.squaredErrorNext = false;
    this.unitHessian = this.k.unitHessians(this.setup.gpair, this.q.rows) === 1;
  }

  /**
   * Starts a tree: every row back in the root node (0), whose histogram is built into `slot`;
   * returns the gradient sums (double; each shard's in row order, added in shard order).
   */
  buildRoot(slot: number): { G: number; H: number } {
    const ops = this.takePendingLeaves();
    const counts = this.unitHessian ? this.rootCounts : -1;
    this.op(ops, OP_ROOT, [this.slotPtrs[slot] as number, this.squaredErrorNext ? 1 : 0, counts]);
    this.execute(ops, [], 1);
    let G = 0;
    let H = 0;
    for (let s = 0; s < this.shards; s++) {
      G += this.sums[2 * s] as number;
      H += this.sums[2 * s + 1] as number;
    }
    if (this.unitHessian && counts < 0) this.rememberRootCounts(slot);
    const merge: number[] = [];
    this.op(merge, OP_MERGE, [this.slotPtrs[slot] as number, 0, G, H]);
    this.runPlan([], merge, 1, true);
    return { G, H };
  }

  /**
   * One tree level: partitions the rows of every split node into its children, builds the
   * histograms of `builds` (one child of each split), fills the sibling of each by
   * `subtracts[j]`, and returns the best splits of `requests` (the two children of build `j`
   * are requests `2j` and `2j + 1`).
   */
  splitAndBuild(splits: readonly NodeSplit[], builds: readonly BuildTask[], subtracts: readonly SubtractTask[],
    requests: readonly SplitRequest[]): SplitCandidate[] {
    if (subtracts.length !== builds.length || requests.length !== 2 * builds.length) {
      throw new RangeError(`boosting: ${builds.length} builds need as many subtractions and twice as many split requests`);
    }
    const shardOps = this.takePendingLeaves();
    for (const t of splits) {
      this.ensureNodes(Math.max(t.left, t.right));
      this.op(shardOps, OP_PARTITION, [t.node, t.left, t.right, t.feature, t.splitBin, this.missingLeft(t)]);
    }
    const unit = this.unitHessian ? 1 : 0;
    builds.forEach((b, j) => this.op(shardOps, OP_BUILD, [b.node, this.slotPtrs[b.slot] as number, j, unit]));
    const specs = this.writeRequests(requests);
    const nodeOps: number[] = [];
    const groups = Math.max(1, Math.min(this.threads, builds.length));
    builds.forEach((b, j) => {
      const group = j % groups;
      const sub = subtracts[j] as SubtractTask;
      this.op(nodeOps, OP_MERGE, [this.slotPtrs[b.slot] as number, j, b.G, b.H], group);
      this.op(nodeOps, OP_SUBTRACT, [this.slotPtrs[sub.out] as number, this.slotPtrs[sub.parent] as number, this.slotPtrs[sub.built] as number], group);
      this.op(nodeOps, OP_EVALUATE, specs[2 * j] as number[], group);
      this.op(nodeOps, OP_EVALUATE, specs[2 * j + 1] as number[], group);
    });
    this.execute(shardOps, nodeOps, builds.length, groups);
    return this.readCandidates(requests.length);
  }

  /**
   * Queues prediction updates for the rows of partitioned leaves and of the last level's splits
   * (whose children are leaves; their rows are not partitioned): they run at the start of the
   * next plan, or when the predictions are read.
   */
  queueLeafValues(leaves: readonly LeafUpdate[], splitLeaves: readonly SplitLeafUpdate[]): void {
    const ops = this.pendingLeaves;
    for (const l of leaves) this.op(ops, OP_LEAF, [l.node, l.value]);
    for (const { split: t, leftValue, rightValue } of splitLeaves) {
      this.op(ops, OP_SPLIT_LEAF, [t.node, t.feature, t.splitBin, this.missingLeft(t), leftValue, rightValue]);
    }
  }

  /** The float32 predictions on the training rows, every queued update applied (a view: copy it to keep it). */
  predictions(): Float32Array {
    const ops = this.takePendingLeaves();
    if (ops.length > 0) this.execute(ops, [], 0);
    return this.preds;
  }

  /** Sets every prediction to `value`. */
  fillPredictions(value: number): void {
    this.predictions().fill(value);
  }

  /** The rows of `node` in the current tree, in ascending order within each shard. */
  rowsOf(node: number): Int32Array {
    const view = new Int32Array(this.arena.memory.buffer, this.nodes, this.shards * this.nodeCap * 2);
    const idx = new Int32Array(this.arena.memory.buffer, this.setup.idx, this.q.rows);
    const parts: Int32Array[] = [];
    for (let s = 0; s < this.shards; s++) {
      const o = (s * this.nodeCap + node) * 2;
      parts.push(idx.subarray(view[o] as number, view[o + 1] as number));
    }
    const out = new Int32Array(parts.reduce((a, p) => a + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }

  /** The best split of each requested node, by XGBoost's enumeration (see `SplitEvaluator.kernelParams`), on this thread. */
  bestSplits(requests: readonly SplitRequest[]): SplitCandidate[] {
    const ops: number[] = [];
    for (const args of this.writeRequests(requests)) this.op(ops, OP_EVALUATE, args);
    this.runPlan([], ops, 1, true);
    return this.readCandidates(requests.length);
  }

  /** Ends the run: the workers drop this engine and its arena goes back for reuse. Views into it must not be used afterwards. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.pool !== null && this.engineId >= 0) this.pool.unregister(this.engineId);
    if (!releaseArena(this.arena)) this.pool?.forgetMemory(this.arena.id);
  }

  private missingLeft(t: NodeSplit): number {
    return t.missingLeft && this.q.hasMissing[t.feature] === 1 ? 1 : 0;
  }

  private takePendingLeaves(): number[] {
    const ops = this.pendingLeaves;
    this.pendingLeaves = [];
    return ops;
  }

  /** Appends operation `kind` with `args` (node operations: for `group`) to `ops`. */
  private op(ops: number[], kind: number, args: readonly number[] = [], group = 0): void {
    ops.push(kind, ...args);
    for (let i = args.length; i < OP_FIELDS - 2; i++) ops.push(0);
    ops.push(group);
  }

  /**
   * Writes the feature lists of `requests` to the engine's memory; returns each request's
   * evaluation arguments: histogram, features, feature count, G, H, root gain, candidate block.
   */
  private writeRequests(requests: readonly SplitRequest[]): number[][] {
    const n = requests.length;
    const cols = this.q.cols;
    if (n > this.requestCapacity) {
      this.requestCapacity = Math.max(n, 2 * this.requestCapacity);
      this.ptr.features = this.arena.alloc(this.requestCapacity * cols * 4);
      this.ptr.candidate = this.arena.alloc(this.requestCapacity * CANDIDATE_STRIDE * 8);
    }
    const features = new Int32Array(this.arena.memory.buffer, this.ptr.features, n * cols);
    return requests.map((r, i) => {
      features.set(r.features, i * cols);
      return [this.slotPtrs[r.slot] as number, this.ptr.features + i * cols * 4, r.features.length, r.G, r.H, r.rootGain,
        this.ptr.candidate + i * CANDIDATE_STRIDE * 8];
    });
  }

  /** The candidates the kernels wrote for the last `n` requests. */
  private readCandidates(n: number): SplitCandidate[] {
    // One copy out of the shared memory: JavaScript reads it field by field slowly.
    const blocks = new Float64Array(this.arena.memory.buffer, this.ptr.candidate, n * CANDIDATE_STRIDE).slice();
    return Array.from({ length: n }, (_, i) => SplitCandidate.readFrom(blocks.subarray(i * CANDIDATE_STRIDE, i * CANDIDATE_STRIDE + CANDIDATE_FIELDS)));
  }

  /**
   * Runs `shardOps` on every shard, then `nodeOps` by group, as one plan claimed by every thread,
   * or in several plans when they do not fit one (`builds`: partial histograms per shard).
   */
  private execute(shardOps: readonly number[], nodeOps: readonly number[], builds: number, groups = 1): void {
    if (this.shards > 1) this.ensureScratch(builds);
    const nShard = shardOps.length / OP_FIELDS;
    const nNode = nodeOps.length / OP_FIELDS;
    if (nShard + nNode <= MAX_PLAN_OPS) {
      this.runPlan(shardOps, nodeOps, groups);
      return;
    }
    for (let i = 0; i < nShard; i += MAX_PLAN_OPS) this.runPlan(shardOps.slice(i * OP_FIELDS, (i + MAX_PLAN_OPS) * OP_FIELDS), [], groups);
    for (let i = 0; i < nNode; i += MAX_PLAN_OPS) this.runPlan([], nodeOps.slice(i * OP_FIELDS, (i + MAX_PLAN_OPS) * OP_FIELDS), groups);
  }

  /** Runs one plan, on this thread alone when `here`. */
  private runPlan(shardOps: readonly number[], nodeOps: readonly number[], groups: number, here = false): void {
    const plan = this.plan;
    const nShard = shardOps.length / OP_FIELDS;
    const nNode = nodeOps.length / OP_FIELDS;
    plan[PLAN_NODES] = this.nodes;
    plan[PLAN_NODE_CAP] = this.nodeCap;
    plan[PLAN_SUMS] = this.ptr.sums;
    plan[PLAN_SCRATCH] = this.scratch;
    plan[PLAN_SHARDS] = this.shards;
    plan[PLAN_SHARD_OPS] = nShard;
    plan[PLAN_NODE_OPS] = nNode;
    plan.set(shardOps, PLAN_START);
    plan.set(nodeOps, PLAN_START + shardOps.length);
    const shardUnits = nShard > 0 ? this.shards : 0;
    const groupUnits = nNode > 0 ? groups : 0;
    if (this.pool !== null && this.threads > 1 && !here) {
      this.pool.command(CMD_PLAN, this.engineId, shardUnits + groupUnits, shardUnits, this.threads, (u) => {
        if (u < shardUnits) runShard(plan, u, 0, this.setup, this.k);
        else runGroup(plan, u - shardUnits, this.setup, this.k);
      });
    } else {
      for (let u = 0; u < shardUnits; u++) runShard(plan, u, 0, this.setup, this.k);
      for (let g = 0; g < groupUnits; g++) runGroup(plan, g, this.setup, this.k);
    }
  }

  /**
   * Keeps the root's per-shard partial histograms (before they are added up): while the rows are
   * in their root order and every hessian is 1, their hessian halves are the rows' counts per bin,
   * the same each tree and exact in double, so later roots sum gradients only and copy them.
   */
  private rememberRootCounts(slot: number): void {
    const words = this.bins * 2;
    const copy = this.arena.float64(words * this.shards);
    const mem = this.arena.memory.buffer;
    for (let s = 0; s < this.shards; s++) {
      // Build 0's partials (see partialHistogram in levelPlan.ts).
      const from = s === 0 ? this.slotPtrs[slot] as number : this.scratch + (s - 1) * words * 8;
      copy.view.set(new Float64Array(mem, from, words), s * words);
    }
    this.rootCounts = copy.ptr;
  }

  /** Makes the node table hold node ids up to `node` (copying it when it grows). */
  private ensureNodes(node: number): void {
    if (node < this.nodeCap) return;
    let cap = Math.max(64, this.nodeCap);
    while (cap <= node) cap *= 2;
    const table = this.arena.int32(this.shards * cap * 2);
    if (this.nodeCap > 0) {
      const old = new Int32Array(this.arena.memory.buffer, this.nodes, this.shards * this.nodeCap * 2);
      for (let s = 0; s < this.shards; s++) table.view.set(old.subarray(s * this.nodeCap * 2, (s + 1) * this.nodeCap * 2), s * cap * 2);
    }
    this.nodes = table.ptr;
    this.nodeCap = cap;
  }

  /** Makes room for the partial histograms of `builds` builds of the shards after the first. */
  private ensureScratch(builds: number): void {
    if (builds <= this.scratchBuilds) return;
    const n = Math.max(builds, 2 * this.scratchBuilds, 8);
    this.scratch = this.arena.alloc(n * (this.shards - 1) * this.bins * 16);
    this.scratchBuilds = n;
  }
}

