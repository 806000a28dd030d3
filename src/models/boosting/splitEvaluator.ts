import type { ResolvedParams } from "./params";

const f32 = Math.fround;
/** XGBoost's `kRtEps`: splits must gain more than this. */
export const RT_EPS = 1e-6;
/** Relative margin of the split screening in `enumerateFeature` (float32 error is ~1e-6). */
const SCREEN_TOL = 1e-4;

/** The best split found for a node so far (XGBoost's `SplitEntry`). */
export class SplitCandidate {
  loss = 0;
  feature = 0;
  /** Rows whose local bin is <= splitBin go left (-1: only missing values go left). */
  splitBin = -1;
  threshold = 0;
  defaultLeft = false;
  leftG = 0;
  leftH = 0;
  rightG = 0;
  rightH = 0;
  /** Largest screening score seen for this node (see `enumerateFeature`). */
  screen = -Infinity;

  /** XGBoost's `SplitEntry::NeedReplace`: larger loss wins, ties go to the lower feature. */
  needReplace(loss: number, feature: number): boolean {
    if (loss === Infinity || loss === -Infinity) return false;
    if (this.feature <= feature) return loss > this.loss;
    return !(this.loss > loss);
  }

  /** Takes `other` when it is better by {@link needReplace}. */
  merge(other: SplitCandidate): void {
    const screen = Math.max(this.screen, other.screen);
    if (this.needReplace(other.loss, other.feature)) Object.assign(this, other);
    this.screen = screen;
  }
}

/**
 * Leaf weights and split gains exactly as XGBoost 1.7 computes them
 * (src/tree/param.h, split_evaluator.h, hist/evaluate_splits.h): sums in double,
 * parameters and weights in float32, loss changes rounded to float32.
 */
export class SplitEvaluator {
  readonly eta: number;
  readonly lambda: number;
  readonly alpha: number;
  readonly minChildWeight: number;
  readonly maxDeltaStep: number;
  readonly gamma: number;

  constructor(p: ResolvedParams) {
    this.eta = f32(p.eta);
    this.lambda = f32(p.lambda);
    this.alpha = f32(p.alpha);
    this.minChildWeight = f32(p.minChildWeight);
    this.maxDeltaStep = f32(p.maxDeltaStep);
    this.gamma = f32(p.gamma);
  }

  /** Optimal (unshrunk) leaf weight: computed in double, returned in float32. */
  weight(g: number, h: number): number {
    if (h < this.minChildWeight || h <= 0) return 0;
    const a = this.alpha;
    const t = g > a ? g - a : g < -a ? g + a : 0;
    let w = -t / (h + this.lambda);
    if (this.maxDeltaStep !== 0 && Math.abs(w) > this.maxDeltaStep) w = w < 0 ? -this.maxDeltaStep : this.maxDeltaStep;
    return f32(w);
  }

  /**
   * Gain of a node or split side with sums (g, h), in XGBoost's float32 form
   * `-(2 T w + (h + lambda) w^2)` with `T` the L1-thresholded gradient sum and `w` the
   * float32 leaf weight. This reproduces XGBoost 1.7.4's split choices, predictions and
   * evaluation history exactly on the reference cases; its recorded loss changes agree
   * to about 1e-4 relative (it rounds some intermediate sums differently).
   */
  gain(g: number, h: number): number {
    const h32 = f32(h);
    if (h32 <= 0) return 0;
    const a = this.alpha;
    const t = f32(g > a ? g - a : g < -a ? g + a : 0);
    const w = this.weight(g, h);
    return -f32(f32(f32(2 * t) * w) + f32(f32(h32 + this.lambda) * f32(w * w)));
  }

  /** The node's own gain (XGBoost's `root_gain`), float32. */
  nodeGain(g: number, h: number): number {
    return this.gain(g, h);
  }

  /**
   * Enumerates the cut points of feature `f` in `hist` (XGBoost's `EnumerateSplit`), forward
   * (missing values right) and, when the node has missing values of `f`, backward
   * (missing values left), updating `best`.
   */
  enumerateFeature(hist: Float64Array, f: number, cutPtrs: Int32Array, cutValues: Float32Array,
    minValue: number, mayHaveMissing: boolean, G: number, H: number, rootGain: number, best: SplitCandidate): void {
    const b0 = cutPtrs[f] as number;
    const b1 = cutPtrs[f + 1] as number;
    const mcw = this.minChildWeight;
    const lambda = this.lambda;
    const alpha = this.alpha;
    // Screening: the float32 loss differs from the double-precision score
    // T_l^2/(H_l+lambda) + T_r^2/(H_r+lambda) by far less than SCREEN_TOL of its magnitude,
    // so a cut scoring below the best score seen minus that margin cannot win and its
    // exact float32 loss is not computed. Exact whenever max_delta_step is 0.
    const screening = this.maxDeltaStep === 0;
    const tolBase = SCREEN_TOL * Math.abs(rootGain);
    let screen = best.screen;
    let lg = 0;
    let lh = 0;
    for (let i = b0; i < b1; i++) {
      lg += hist[i << 1] as number;
      lh += hist[(i << 1) + 1] as number;
      if (lh >= mcw) {
        const rg = G - lg;
        const rh = H - lh;
        if (rh >= mcw) {
          if (screening) {
            const tl = lg > alpha ? lg - alpha : lg < -alpha ? lg + alpha : 0;
            const tr = rg > alpha ? rg - alpha : rg < -alpha ? rg + alpha : 0;
            const score = (tl * tl) / (lh + lambda) + (tr * tr) / (rh + lambda);
            if (score < screen - (tolBase + SCREEN_TOL * Math.abs(screen))) continue;
            if (score > screen) screen = score;
          }
          const loss = f32(f32(this.gain(lg, lh) + this.gain(rg, rh)) - rootGain);
          if (best.needReplace(loss, f)) {
            best.loss = loss;
            best.feature = f;
            best.splitBin = i - b0;
            best.threshold = cutValues[i] as number;
            best.defaultLeft = false;
            best.leftG = lg;
            best.leftH = lh;
            best.rightG = rg;
            best.rightH = rh;
          }
        }
      }
    }
    best.screen = screen;
    if (!mayHaveMissing || (lg === G && lh === H)) return;
    let eg = 0;
    let eh = 0;
    for (let i = b1 - 1; i >= b0; i--) {
      eg += hist[i << 1] as number;
      eh += hist[(i << 1) + 1] as number;
      if (eh >= mcw) {
        const cg = G - eg;
        const ch = H - eh;
        if (ch >= mcw) {
          const loss = f32(f32(this.gain(cg, ch) + this.gain(eg, eh)) - rootGain);
          if (best.needReplace(loss, f)) {
            best.loss = loss;
            best.feature = f;
            best.splitBin = i - b0 - 1;
            best.threshold = i === b0 ? minValue : (cutValues[i - 1] as number);
            best.defaultLeft = true;
            best.leftG = cg;
            best.leftH = ch;
            best.rightG = eg;
            best.rightH = eh;
          }
        }
      }
    }
  }

  /** XGBoost's `CPUExpandEntry::IsValid` (depth is checked by the caller). */
  isValid(c: SplitCandidate): boolean {
    if (c.loss <= RT_EPS) return false;
    if (c.leftH === 0 || c.rightH === 0) return false;
    return !(c.loss < this.gamma);
  }
}
