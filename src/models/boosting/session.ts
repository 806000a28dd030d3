import { Random } from "../../util/random";
import { Booster } from "./booster";
import type { DMatrix } from "./dmatrix";
import { createEngine, startWorkers } from "./engineFactory";
import { HistGrower } from "./grower";
import type { HistEngine } from "./histEngine";
import { evaluateMetric } from "./metric";
import { computeGradients, estimateBaseScore, weightedQuantile } from "./objective";
import type { BoosterParams, ResolvedParams } from "./params";
import { addTreePrediction } from "./tree";

const f32 = Math.fround;

/** One evaluation result: data set name, metric name, value. */
export interface EvalResult {
  readonly data: string;
  readonly metric: string;
  readonly value: number;
}

/**
 * The state of one training run (XGBoost's learner plus its prediction caches): the
 * booster being grown, the float32 predictions on the training rows, and cached
 * predictions of each evaluation set, advanced one tree at a time.
 */
export class BoostingSession {
  readonly booster: Booster;
  private readonly engine: HistEngine;
  private readonly grower: HistGrower;
  private readonly rng: Random;
  private readonly label: Float32Array;
  private scratch: { preds: Float32Array; grad: Float32Array; hess: Float32Array } | null = null;
  private readonly evalCache = new Map<DMatrix, { preds: Float32Array; trees: number }>();

  constructor(readonly params: ResolvedParams, rawParams: BoosterParams, readonly dtrain: DMatrix) {
    this.label = dtrain.requireLabel();
    const base = params.baseScore ?? estimateBaseScore(params.objective, this.label, dtrain.weight, params.huberSlope);
    this.booster = new Booster({ ...rawParams }, params.objective, params.huberSlope, base, dtrain.cols, dtrain.featureNames);
    startWorkers(dtrain.rows, params.nthread);
    const q = dtrain.quantized(params.maxBin);
    this.engine = createEngine(q, params.nthread);
    this.engine.fillPredictions(this.booster.baseScore);
    this.rng = new Random(params.seed);
    // Absolute error refits each leaf from its rows' residuals, so it needs every leaf's rows.
    this.grower = new HistGrower(q, params, this.engine, this.rng, params.objective === "reg:absoluteerror");
  }

  /** Grows one tree and appends it to the booster. */
  updateOneIter(): void {
    const p = this.params;
    const engine = this.engine;
    if (p.objective === "reg:squarederror" && this.dtrain.weight === null && p.subsample >= 1) {
      engine.useSquaredError(this.label);
    } else {
      // Computed in private arrays, then copied: JavaScript reads and writes the engine's shared memory slowly.
      const s = (this.scratch ??= { preds: new Float32Array(this.dtrain.rows), grad: new Float32Array(this.dtrain.rows), hess: new Float32Array(this.dtrain.rows) });
      s.preds.set(engine.predictions());
      computeGradients(p.objective, p.huberSlope, s.preds, this.label, this.dtrain.weight, s.grad, s.hess);
      if (p.subsample < 1) {
        for (let i = 0; i < s.grad.length; i++) {
          if (this.rng.random() >= p.subsample) {
            s.grad[i] = 0;
            s.hess[i] = 0;
          }
        }
      }
      engine.setGradients(s.grad, s.hess);
    }
    const grown = this.grower.grow();
    let tree = grown.tree;
    if (p.objective === "reg:absoluteerror" && this.scratch !== null) {
      const preds = this.scratch.preds;
      const eta = f32(p.eta);
      for (const leaf of grown.leaves) {
        const rows = this.engine.rowsOf(leaf);
        if (rows.length === 0) continue;
        const residual = new Float64Array(rows.length);
        const w = this.dtrain.weight === null ? null : new Float64Array(rows.length);
        for (let i = 0; i < rows.length; i++) {
          const r = rows[i] as number;
          residual[i] = f32((this.label[r] as number) - (preds[r] as number));
          if (w !== null) w[i] = (this.dtrain.weight as Float32Array)[r] as number;
        }
        grown.builder.setLeaf(leaf, f32(weightedQuantile(residual, w, 0.5) * eta));
      }
      tree = grown.builder.freeze();
    }
    const cond = tree.splitCondition;
    this.engine.queueLeafValues(
      grown.leaves.map((node) => ({ node, value: cond[node] as number })),
      grown.lastSplits.map((split) => ({ split, leftValue: cond[split.left] as number, rightValue: cond[split.right] as number })),
    );
    this.booster.trees.push(tree);
  }

  /** Evaluates every metric on every eval set (XGBoost's `eval_set`), in order. */
  evalSet(evals: ReadonlyArray<readonly [DMatrix, string]>): EvalResult[] {
    const out: EvalResult[] = [];
    for (const [dm, name] of evals) {
      const preds = this.predictions(dm);
      const label = dm.requireLabel();
      for (const metric of this.params.evalMetric) {
        out.push({ data: name, metric, value: evaluateMetric(metric, preds, label, dm.weight, this.params.huberSlope) });
      }
    }
    return out;
  }

  /** Current float32 predictions for `dm`, from the caches. */
  predictions(dm: DMatrix): Float32Array {
    if (dm === this.dtrain) return this.engine.predictions();
    let c = this.evalCache.get(dm);
    if (c === undefined) {
      c = { preds: new Float32Array(dm.rows).fill(this.booster.baseScore), trees: 0 };
      this.evalCache.set(dm, c);
    }
    const trees = this.booster.trees;
    for (; c.trees < trees.length; c.trees++) {
      addTreePrediction(trees[c.trees]!, dm.values, dm.rows, dm.cols, c.preds);
    }
    return c.preds;
  }

  /** Releases worker threads. */
  close(): void {
    this.engine.close();
  }
}
