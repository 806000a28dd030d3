import type { Random } from "../../util/random";
import { ColumnSampler } from "./columnSampler";
import type { HistEngine } from "./histEngine";
import type { ResolvedParams } from "./params";
import type { QuantizedMatrix } from "./quantized";
import { SplitCandidate, SplitEvaluator } from "./splitEvaluator";
import { RegTree, TreeBuilder } from "./tree";
import type { BuildTask, PartitionTask, SplitRequest, SubtractTask } from "./workUnits";

const f32 = Math.fround;

/** A grown tree and, for each leaf, its rows as a range of the engine's row index. */
export interface GrownTree {
  readonly tree: RegTree;
  readonly builder: TreeBuilder;
  /** Leaf node ids, with `leafBegin[i]..leafEnd[i]` their rows in `engine.idx`. */
  readonly leaves: number[];
  readonly leafBegin: number[];
  readonly leafEnd: number[];
  /** The deepest level's splits, left unpartitioned: their two leaves have no row range. */
  readonly lastSplits: LeafSplit[];
}

/** A split whose children are leaves, with the rows `idx[begin..end)` of its node. */
export interface LeafSplit extends PartitionTask {
  readonly left: number;
  readonly right: number;
}

/**
 * Grows one regression tree depth-wise on histograms, as XGBoost 1.7's
 * `grow_quantile_histmaker` does: all nodes of a level are split together, children are
 * numbered in that order, the smaller child's histogram is built and its sibling's obtained
 * by subtraction from the parent.
 */
export class HistGrower {
  private readonly evaluator: SplitEvaluator;
  private readonly sampler: ColumnSampler;
  private readonly allFeatures: Int32Array;

  /** `keepLeafRows`: partition the deepest level too, so every leaf has its row range. */
  constructor(private readonly q: QuantizedMatrix, private readonly p: ResolvedParams,
    private readonly engine: HistEngine, rng: Random, private readonly keepLeafRows = false) {
    this.evaluator = new SplitEvaluator(p);
    this.sampler = new ColumnSampler(q.cols, p.colsampleBytree, p.colsampleBylevel, p.colsampleBynode, rng);
    this.allFeatures = Int32Array.from({ length: q.cols }, (_, i) => i);
    engine.setSplitParams(this.evaluator.kernelParams());
  }

  /** Grows a tree from the gradients currently in the engine. */
  grow(): GrownTree {
    const { q, p, engine, evaluator: ev } = this;
    const n = q.rows;
    engine.resetRows();
    const { G, H } = engine.gradientSums();
    const sampling = this.sampler.active;
    if (sampling) this.sampler.newTree();
    const rootWeight = ev.weight(G, H);
    const builder = new TreeBuilder(rootWeight, f32(rootWeight * ev.eta), H);
    const begin: number[] = [0];
    const end: number[] = [n];
    const sumG: number[] = [G];
    const sumH: number[] = [H];
    const rootGain: number[] = [ev.nodeGain(G, H)];
    const slot: number[] = [engine.allocSlot()];
    const best: SplitCandidate[] = [];
    engine.run([{ slot: slot[0] as number, begin: 0, end: n, G, H }], []);
    if (sampling) this.sampler.newLevel();
    best[0] = engine.bestSplits([this.request(slot[0] as number, G, H, rootGain[0] as number, sampling)])[0] as SplitCandidate;

    const lastSplits: LeafSplit[] = [];
    let expand = [0];
    let depth = 0;
    while (expand.length > 0) {
      const valid: number[] = [];
      const applied: number[] = [];
      const tasks: PartitionTask[] = [];
      for (const nid of expand) {
        const c = best[nid] as SplitCandidate;
        if (!ev.isValid(c)) continue;
        const lw = ev.weight(c.leftG, c.leftH);
        const rw = ev.weight(c.rightG, c.rightH);
        const baseWeight = ev.weight(c.leftG + c.rightG, c.leftH + c.rightH);
        const [l, r] = builder.expand(nid, c.feature, c.threshold, c.defaultLeft, c.loss,
          baseWeight, f32(lw * ev.eta), c.leftH, f32(rw * ev.eta), c.rightH);
        applied.push(nid);
        tasks.push({ begin: begin[nid] as number, end: end[nid] as number, feature: c.feature, splitBin: c.splitBin, missingLeft: c.defaultLeft });
        sumG[l] = c.leftG;
        sumH[l] = c.leftH;
        sumG[r] = c.rightG;
        sumH[r] = c.rightH;
        rootGain[l] = ev.nodeGain(c.leftG, c.leftH);
        rootGain[r] = ev.nodeGain(c.rightG, c.rightH);
        if (depth + 1 < p.maxDepth) valid.push(nid);
      }
      if (!this.keepLeafRows && depth + 1 >= p.maxDepth) {
        // The children are leaves: their predictions are updated straight from the split.
        tasks.forEach((t, k) => lastSplits.push({ ...t, left: builder.leftOf(applied[k] as number), right: builder.rightOf(applied[k] as number) }));
        break;
      }
      const mids = engine.partition(tasks);
      applied.forEach((nid, k) => {
        const l = builder.leftOf(nid);
        const r = builder.rightOf(nid);
        begin[l] = begin[nid] as number;
        end[l] = mids[k] as number;
        begin[r] = mids[k] as number;
        end[r] = end[nid] as number;
      });
      const next: number[] = [];
      if (valid.length > 0) {
        const builds: BuildTask[] = [];
        const subtracts: SubtractTask[] = [];
        for (const nid of valid) {
          const l = builder.leftOf(nid);
          const r = builder.rightOf(nid);
          const leftSmaller = (end[l] as number) - (begin[l] as number) < (end[r] as number) - (begin[r] as number);
          const small = leftSmaller ? l : r;
          const large = leftSmaller ? r : l;
          slot[small] = engine.allocSlot();
          slot[large] = engine.allocSlot();
          builds.push({ slot: slot[small] as number, begin: begin[small] as number, end: end[small] as number,
            G: sumG[small] as number, H: sumH[small] as number });
          subtracts.push({ out: slot[large] as number, parent: slot[nid] as number, built: slot[small] as number });
        }
        engine.run(builds, subtracts);
        if (sampling) this.sampler.newLevel();
        const requests: SplitRequest[] = [];
        for (const nid of valid) {
          for (const child of [builder.leftOf(nid), builder.rightOf(nid)]) {
            requests.push(this.request(slot[child] as number, sumG[child] as number, sumH[child] as number, rootGain[child] as number, sampling));
            next.push(child);
          }
        }
        engine.bestSplits(requests).forEach((c, i) => { best[next[i] as number] = c; });
      }
      for (const nid of expand) {
        const s = slot[nid];
        if (s !== undefined && s >= 0) {
          engine.freeSlot(s);
          slot[nid] = -1;
        }
      }
      expand = next;
      depth++;
    }
    for (const s of slot) if (s !== undefined && s >= 0) engine.freeSlot(s);
    const tree = builder.freeze();
    const leaves: number[] = [];
    const leafBegin: number[] = [];
    const leafEnd: number[] = [];
    for (let nid = 0; nid < tree.left.length; nid++) {
      if (tree.left[nid] === -1 && begin[nid] !== undefined) {
        leaves.push(nid);
        leafBegin.push(begin[nid] as number);
        leafEnd.push(end[nid] as number);
      }
    }
    return { tree, builder, leaves, leafBegin, leafEnd, lastSplits };
  }

  private request(slot: number, G: number, H: number, rootGain: number, sampling: boolean): SplitRequest {
    return { slot, features: sampling ? this.sampler.forNode() : this.allFeatures, G, H, rootGain };
  }
}
