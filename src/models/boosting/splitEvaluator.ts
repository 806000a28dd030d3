import type { ResolvedParams } from "./params";

const f32 = Math.fround;
/** XGBoost's `kRtEps`: splits must gain more than this. */
export const RT_EPS = 1e-6;
/** Relative margin of the split screening (see `kernelParams`; float32 error is ~1e-6). */
const SCREEN_TOL = 1e-4;

/** The best split of a node (XGBoost's `SplitEntry`), as the evaluation kernel found it. */
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
  /** Reads a kernel candidate block into a new candidate. */
  static readFrom(block: Float64Array): SplitCandidate {
    const c = new SplitCandidate();
    c.loss = block[0] as number; c.feature = block[1] as number; c.splitBin = block[2] as number;
    c.threshold = block[3] as number; c.defaultLeft = block[4] === 1; c.leftG = block[5] as number;
    c.leftH = block[6] as number; c.rightG = block[7] as number; c.rightH = block[8] as number;
    return c;
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
   * The parameter block of the WebAssembly split enumeration (wasm/kernels.as.ts `evaluateNode`,
   * XGBoost's `EnumerateSplit`): minChildWeight, lambda, alpha, maxDeltaStep, screening, its margin.
   * Screening: the float32 loss differs from the double-precision score
   * T_l^2/(H_l+lambda) + T_r^2/(H_r+lambda) by far less than SCREEN_TOL of its magnitude, so a
   * cut scoring below the best score seen minus that margin cannot win and its exact float32
   * loss is not computed. Exact whenever max_delta_step is 0.
   */
  kernelParams(): number[] {
    return [this.minChildWeight, this.lambda, this.alpha, this.maxDeltaStep, this.maxDeltaStep === 0 ? 1 : 0, SCREEN_TOL];
  }

  /** XGBoost's `CPUExpandEntry::IsValid` (depth is checked by the caller). */
  isValid(c: SplitCandidate): boolean {
    if (c.loss <= RT_EPS) return false;
    if (c.leftH === 0 || c.rightH === 0) return false;
    return !(c.loss < this.gamma);
  }
}
