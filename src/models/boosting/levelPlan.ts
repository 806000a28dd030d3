/**
 * Row shards and the plan of one tree level's work. The training rows are cut into a fixed number
 * of contiguous shards that depends only on the row count; each shard keeps its own rows of every
 * node in its own part of the row index and sums its own partial histograms, which are added in
 * shard order. So the sums, hence the trees, are the same at any thread count, and a thread keeps
 * working on the same rows (in its own core's cache) level after level and tree after tree.
 *
 * A plan is a list of operations in a Float64Array after a header, in two phases. Every shard
 * runs all the shard operations, in order, on its own rows ({@link runShard}); then each group
 * runs its node operations: adding up a built node's partial histograms, the sibling by
 * subtraction, and the split evaluation of both ({@link runGroup}).
 */
import type { EngineSetup } from "./parallelProtocol";
import { TASK_HEADER } from "./parallelProtocol";
import type { KernelExports } from "./wasmKernels";

/** A shard has at least this many rows (below it, a thread's share is too small to pay). */
export const SHARD_MIN_ROWS = 16_384;
/** At most this many shards (a power of two, so that they deal evenly to 2, 4 or 8 threads). */
export const MAX_SHARDS = 8;

/** The number of shards of `rows` rows: the largest power of two <= MAX_SHARDS with SHARD_MIN_ROWS rows each. */
export function shardCount(rows: number): number {
  let s = 1;
  while (s < MAX_SHARDS && rows >= 2 * s * SHARD_MIN_ROWS) s *= 2;
  return s;
}

/** The rows `[begin, end)` of shard `s` of `shards`. */
export function shardRows(rows: number, shards: number, s: number): [number, number] {
  const size = Math.ceil(rows / shards);
  return [Math.min(rows, s * size), Math.min(rows, (s + 1) * size)];
}

/** Plan header fields (after the task header): the node table and its capacity per shard (nodes). */
export const PLAN_NODES = TASK_HEADER;
export const PLAN_NODE_CAP = TASK_HEADER + 1;
/** Per-shard gradient sums (two float64 each). */
export const PLAN_SUMS = TASK_HEADER + 2;
/** Partial histograms of shards >= 1: build `j`, shard `s` at `scratch + (j * (shards - 1) + s - 1) * bins * 16`. */
export const PLAN_SCRATCH = TASK_HEADER + 3;
export const PLAN_SHARDS = TASK_HEADER + 4;
/** Shard operations, then node operations. */
export const PLAN_SHARD_OPS = TASK_HEADER + 5;
export const PLAN_NODE_OPS = TASK_HEADER + 6;
/** Where the operations start. */
export const PLAN_START = TASK_HEADER + 7;
/** Fields per operation: kind, seven arguments, and (node operations) the group. */
export const OP_FIELDS = 9;

// Shard operations.
/**
 * The tree's root: all the shard's rows into node 0, in order; (squared error, 1) their gradients
 * from preds and label; their gradient sums (double, in row order) into sums[shard]; their
 * histogram (build number 0). Args: histogram offset, squared error (0/1), known per-shard hessian
 * sums (`counts + s * bins * 16`) or -1.
 */
export const OP_ROOT = 1;
/** node, left, right, feature, splitBin, missingLeft. */
export const OP_PARTITION = 2;
/** node, histogram offset, build number j, every hessian 1 (0/1: the gradients are read alone). */
export const OP_BUILD = 3;
/** node, float32 value. */
export const OP_LEAF = 4;
/** node, feature, splitBin, missingLeft, left value, right value. */
export const OP_SPLIT_LEAF = 5;
// Node operations.
/** histogram offset, build number j, G, H: adds the shards' partials in shard order, fills the implicit bins. */
export const OP_MERGE = 6;
/** out, parent, built (histogram offsets). */
export const OP_SUBTRACT = 7;
/** histogram, features offset, feature count, G, H, root gain, candidate offset. */
export const OP_EVALUATE = 8;

/** Where shard `s` (>= 1) sums its partial histogram of build `j` (shard 0 sums into the build's own slot). */
export function partialHistogram(plan: Float64Array, j: number, s: number, histBytes: number): number {
  return (plan[PLAN_SCRATCH] as number) + (j * ((plan[PLAN_SHARDS] as number) - 1) + s - 1) * histBytes;
}

/** Runs every shard operation of `plan` on shard `s`, as thread `thread` (which picks the partition scratch). */
export function runShard(plan: Float64Array, s: number, thread: number, e: EngineSetup, k: KernelExports): void {
  const shards = plan[PLAN_SHARDS] as number;
  const [r0, r1] = shardRows(e.rows, shards, s);
  const nodeBase = (plan[PLAN_NODES] as number) + s * (plan[PLAN_NODE_CAP] as number) * 8;
  const histBytes = e.bins * 16;
  const tmp = e.tmp + thread * e.rows * 4;
  const ops = plan[PLAN_SHARD_OPS] as number;
  for (let i = 0, o = PLAN_START; i < ops; i++, o += OP_FIELDS) {
    const a = plan[o + 1] as number;
    switch (plan[o]) {
      case OP_ROOT: {
        const hist = s === 0 ? a : partialHistogram(plan, 0, s, histBytes);
        const counts = plan[o + 3] as number;
        k.buildRoot(hist, e.idx, nodeBase, r0, r1, e.gpair, e.grad, e.preds, e.label, plan[o + 2] as number, e.entries,
          e.wide ? 1 : 0, e.rowPtr, e.bins, counts < 0 ? -1 : counts + s * histBytes, (plan[PLAN_SUMS] as number) + s * 16);
        break;
      }
      case OP_PARTITION:
        k.partitionNode(e.idx, tmp, e.colBins, e.rows, nodeBase + a * 8, nodeBase + (plan[o + 2] as number) * 8,
          nodeBase + (plan[o + 3] as number) * 8, plan[o + 4] as number, plan[o + 5] as number, plan[o + 6] as number);
        break;
      case OP_BUILD: {
        const hist = s === 0 ? plan[o + 2] as number : partialHistogram(plan, plan[o + 3] as number, s, histBytes);
        k.buildNode(hist, e.idx, nodeBase + a * 8, e.gpair, e.grad, plan[o + 4] as number, e.entries, e.wide ? 1 : 0,
          e.rowPtr, e.bins);
        break;
      }
      case OP_LEAF:
        k.addNodeLeafValue(e.preds, e.idx, nodeBase + a * 8, plan[o + 2] as number);
        break;
      case OP_SPLIT_LEAF:
        k.addNodeSplitLeafValues(e.preds, e.idx, e.colBins, e.rows, nodeBase + a * 8, plan[o + 2] as number,
          plan[o + 3] as number, plan[o + 4] as number, plan[o + 5] as number, plan[o + 6] as number);
        break;
      default:
        throw new Error(`boosting: unknown shard operation ${plan[o]}`);
    }
  }
}

/** Runs the node operations of `plan` that belong to group `g`, in order. */
export function runGroup(plan: Float64Array, g: number, e: EngineSetup, k: KernelExports): void {
  const shards = plan[PLAN_SHARDS] as number;
  const histBytes = e.bins * 16;
  const first = PLAN_START + (plan[PLAN_SHARD_OPS] as number) * OP_FIELDS;
  const ops = plan[PLAN_NODE_OPS] as number;
  for (let i = 0, o = first; i < ops; i++, o += OP_FIELDS) {
    if (plan[o + 8] !== g) continue;
    const a = plan[o + 1] as number;
    switch (plan[o]) {
      case OP_MERGE: {
        const j = plan[o + 2] as number;
        for (let s = 1; s < shards; s++) k.addHistogram(a, partialHistogram(plan, j, s, histBytes), e.bins);
        k.fillImplicitBins(a, e.cutPtrs, e.implicitBin, e.cols, plan[o + 3] as number, plan[o + 4] as number);
        break;
      }
      case OP_SUBTRACT:
        k.subtractHistogram(a, plan[o + 2] as number, plan[o + 3] as number, e.bins);
        break;
      case OP_EVALUATE:
        k.evaluateNode(a, plan[o + 2] as number, plan[o + 3] as number, e.cutPtrs, e.cutValues, e.minValues, e.hasMissing,
          plan[o + 4] as number, plan[o + 5] as number, plan[o + 6] as number, e.splitParams, plan[o + 7] as number);
        break;
      default:
        throw new Error(`boosting: unknown node operation ${plan[o]}`);
    }
  }
}
