import type { Random } from "../../util/random";
import { ColumnSampler } from "./columnSampler";
import type { HistEngine } from "./histEngine";
import type { ResolvedParams } from "./params";
import type { QuantizedMatrix } from "./quantized";
import { SplitCandidate, SplitEvaluator } from "./splitEvaluator";
import { RegTree, TreeBuilder } from "./tree";
import type { BuildTask, NodeSplit, SplitRequest, SubtractTask } from "./workUnits";

const f32 = Math.fround;

/** A grown tree, its leaves whose rows are partitioned, and the deepest level's splits (whose are not). */
export interface GrownTree {
  readonly tree: RegTree;
  readonly builder: TreeBuilder;
  /** Leaf node ids whose rows are partitioned (`engine.rowsOf(leaf)`). */
  readonly leaves: number[];
  /** The deepest level's splits, left unpartitioned: their children are leaves without rows of their own. */
  readonly lastSplits: NodeSplit[];
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
  constructor(q: QuantizedMatrix, private readonly p: ResolvedParams,
    private readonly engine: HistEngine, rng: Random, private readonly keepLeafRows = false) {
    this.evaluator = new SplitEvaluator(p);
    this.sampler = new ColumnSampler(q.cols, p.colsampleBytree, p.colsampleBylevel, p.colsampleBynode, rng);
    this.allFeatures = Int32Array.from({ length: q.cols }, (_, i) => i);
    engine.setSplitParams(this.evaluator.kernelParams());
  }

  /** Grows a tree from the gradients currently in the engine. */
  grow(): GrownTree {
    const { p, engine, evaluator: ev } = this;
    const sampling = this.sampler.active;
    if (sampling) this.sampler.newTree();
    const slot: number[] = [engine.allocSlot()];
    const { G, H } = engine.buildRoot(slot[0] as number);
    const rootWeight = ev.weight(G, H);
    const builder = new TreeBuilder(rootWeight, f32(rootWeight * ev.eta), H);
    const sumG: number[] = [G];
    const sumH: number[] = [H];
    const rootGain: number[] = [ev.nodeGain(G, H)];
    const best: SplitCandidate[] = [];
    if (sampling) this.sampler.newLevel();
    best[0] = engine.bestSplits([this.request(slot[0] as number, G, H, rootGain[0] as number, sampling)])[0] as SplitCandidate;

    const partitioned = new Set<number>([0]);
    const lastSplits: NodeSplit[] = [];
    let expand = [0];
    let depth = 0;
    while (expand.length > 0) {
      const valid: number[] = [];
      const splits: NodeSplit[] = [];
      for (const nid of expand) {
        const c = best[nid] as SplitCandidate;
        if (!ev.isValid(c)) continue;
        const lw = ev.weight(c.leftG, c.leftH);
        const rw = ev.weight(c.rightG, c.rightH);
        const baseWeight = ev.weight(c.leftG + c.rightG, c.leftH + c.rightH);
        const [l, r] = builder.expand(nid, c.feature, c.threshold, c.defaultLeft, c.loss,
          baseWeight, f32(lw * ev.eta), c.leftH, f32(rw * ev.eta), c.rightH);
        splits.push({ node: nid, left: l, right: r, feature: c.feature, splitBin: c.splitBin, missingLeft: c.defaultLeft });
        sumG[l] = c.leftG;
        sumH[l] = c.leftH;
        sumG[r] = c.rightG;
        sumH[r] = c.rightH;
        rootGain[l] = ev.nodeGain(c.leftG, c.leftH);
        rootGain[r] = ev.nodeGain(c.rightG, c.rightH);
        if (depth + 1 < p.maxDepth) valid.push(splits.length - 1);
      }
      if (!this.keepLeafRows && depth + 1 >= p.maxDepth) {
        // The children are leaves: their predictions are updated straight from the split.
        lastSplits.push(...splits);
        break;
      }
      for (const t of splits) {
        partitioned.add(t.left);
        partitioned.add(t.right);
      }
      const builds: BuildTask[] = [];
      const subtracts: SubtractTask[] = [];
      for (const k of valid) {
        const t = splits[k] as NodeSplit;
        // XGBoost's choice: build the child with the smaller hessian sum (the right one only when
        // strictly smaller), subtract for its sibling. Known before the rows are partitioned, it
        // lets one plan partition and build.
        const small = (sumH[t.right] as number) < (sumH[t.left] as number) ? t.right : t.left;
        const large = small === t.left ? t.right : t.left;
        slot[small] = engine.allocSlot();
        slot[large] = engine.allocSlot();
        builds.push({ node: small, slot: slot[small] as number, G: sumG[small] as number, H: sumH[small] as number });
        subtracts.push({ out: slot[large] as number, parent: slot[t.node] as number, built: slot[small] as number });
      }
      const next: number[] = [];
      const requests: SplitRequest[] = [];
      if (valid.length > 0 && sampling) this.sampler.newLevel();
      for (const k of valid) {
        const t = splits[k] as NodeSplit;
        for (const child of [t.left, t.right]) {
          requests.push(this.request(slot[child] as number, sumG[child] as number, sumH[child] as number, rootGain[child] as number, sampling));
          next.push(child);
        }
      }
      engine.splitAndBuild(splits, builds, subtracts, requests).forEach((c, i) => { best[next[i] as number] = c; });
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
    for (let nid = 0; nid < tree.left.length; nid++) if (tree.left[nid] === -1 && partitioned.has(nid)) leaves.push(nid);
    return { tree, builder, leaves, lastSplits };
  }

  private request(slot: number, G: number, H: number, rootGain: number, sampling: boolean): SplitRequest {
    return { slot, features: sampling ? this.sampler.forNode() : this.allFeatures, G, H, rootGain };
  }
}
