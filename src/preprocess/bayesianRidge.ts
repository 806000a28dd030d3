import { ValueError } from "../errors";
import { checkIsFitted, type EstimatorJSON, type Regressor } from "../estimator";
import type { Matrix } from "../util/matrix";
import { symmetricEigen } from "../util/symmetricEigen";

/** Options of {@link BayesianRidge}, with scikit-learn 1.2's names and defaults. */
export interface BayesianRidgeOptions {
  readonly nIter?: number;
  readonly tol?: number;
  readonly alpha1?: number;
  readonly alpha2?: number;
  readonly lambda1?: number;
  readonly lambda2?: number;
  readonly fitIntercept?: boolean;
}

interface BayesianRidgeState {
  readonly coef: number[];
  readonly intercept: number;
  readonly alpha: number;
  readonly lambda: number;
  readonly nIter: number;
}

const DEFAULTS: Required<BayesianRidgeOptions> = {
  nIter: 300,
  tol: 1e-3,
  alpha1: 1e-6,
  alpha2: 1e-6,
  lambda1: 1e-6,
  lambda2: 1e-6,
  fitIntercept: true,
};

/**
 * scikit-learn's BayesianRidge: ridge regression whose noise precision (alpha) and weight
 * precision (lambda) are found by MacKay's evidence updates. IterativeImputer's default model.
 */
/** Centred sufficient statistics of a regression: row count, means, X'X, X'y and y'y. */
export interface CentredMoments {
  readonly n: number;
  readonly xMean: Float64Array;
  readonly yMean: number;
  /** d x d, row-major, symmetric. */
  readonly gram: Float64Array;
  readonly xty: Float64Array;
  readonly yy: number;
}

/** What the evidence updates need of the centred data, all O(d^2). */
interface Spectral {
  readonly d: number;
  readonly eig: Float64Array;
  readonly v: Float64Array;
  readonly vtXty: Float64Array;
  readonly gram: Float64Array;
  readonly xty: Float64Array;
  readonly yy: number;
}

/** Posterior mean weights for (alpha, lambda), and |y - Xw|^2 from the Gram matrix. */
function posteriorMean(sp: Spectral, alpha: number, lambda: number): { coef: Float64Array; sse: number } {
  const { d, eig, v, vtXty, gram, xty } = sp;
  const coef = new Float64Array(d);
  for (let k = 0; k < d; k++) {
    const w = (vtXty[k] as number) / ((eig[k] as number) + lambda / alpha);
    for (let a = 0; a < d; a++) coef[a] = (coef[a] as number) + (v[a * d + k] as number) * w;
  }
  let sse = sp.yy;
  for (let a = 0; a < d; a++) {
    const ca = coef[a] as number;
    sse -= 2 * ca * (xty[a] as number);
    for (let b = 0; b < d; b++) sse += ca * (gram[a * d + b] as number) * (coef[b] as number);
  }
  return { coef, sse: Math.max(sse, 0) };
}

export class BayesianRidge implements Regressor<BayesianRidgeOptions> {
  readonly kind = "BayesianRidge";
  private readonly options: Required<BayesianRidgeOptions>;
  private state: BayesianRidgeState | null = null;

  constructor(options: BayesianRidgeOptions = {}) {
    this.options = { ...DEFAULTS, ...options };
    if (!(this.options.nIter >= 1)) throw new ValueError(`BayesianRidge: nIter must be >= 1, got ${this.options.nIter}`);
  }

  getParams(): BayesianRidgeOptions {
    return { ...this.options };
  }

  clone(): BayesianRidge {
    return new BayesianRidge(this.options);
  }

  fit(X: Matrix, y: ArrayLike<number>): this {
    const n = X.rows;
    const d = X.cols;
    if (y.length !== n) throw new ValueError(`BayesianRidge: X has ${n} rows but y has ${y.length} values`);
    const o = this.options;
    const xMean = new Float64Array(d);
    let yMean = 0;
    if (o.fitIntercept) {
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < d; j++) xMean[j] = (xMean[j] as number) + (X.data[i * d + j] as number);
        yMean += y[i] as number;
      }
      for (let j = 0; j < d; j++) xMean[j] = (xMean[j] as number) / n;
      yMean /= n;
    }
    const gram = new Float64Array(d * d);
    const xty = new Float64Array(d);
    const xi = new Float64Array(d);
    let yy0 = 0;
    for (let i = 0; i < n; i++) {
      for (let a = 0; a < d; a++) xi[a] = (X.data[i * d + a] as number) - (xMean[a] as number);
      const yi = (y[i] as number) - yMean;
      yy0 += yi * yi;
      for (let a = 0; a < d; a++) {
        const xa = xi[a] as number;
        xty[a] = (xty[a] as number) + xa * yi;
        for (let b = a; b < d; b++) gram[a * d + b] = (gram[a * d + b] as number) + xa * (xi[b] as number);
      }
    }
    for (let a = 0; a < d; a++) for (let b = 0; b < a; b++) gram[a * d + b] = gram[b * d + a] as number;
    return this.fitMoments({ n, xMean, yMean, gram, xty, yy: yy0 });
  }

  /**
   * Fits from the centred moments of the data (what `fit` computes in one pass), so that a
   * caller holding them for several regressions over the same rows need not pass over the rows
   * again. The result is bit-identical to `fit` on those rows.
   */
  fitMoments(m: CentredMoments): this {
    const o = this.options;
    const { n, xMean, yMean, gram, xty } = m;
    const d = xMean.length;
    const yy0 = m.yy;
    const { values: eig, vectors: v } = symmetricEigen(gram, d);
    // Only min(n, d) singular values exist; the Gram matrix's other eigenvalues are round-off zeros.
    for (let k = 0; k < d; k++) if ((eig[k] as number) < 0) eig[k] = 0;
    const vtXty = new Float64Array(d);
    for (let k = 0; k < d; k++) {
      let s = 0;
      for (let a = 0; a < d; a++) s += (v[a * d + k] as number) * (xty[a] as number);
      vtXty[k] = s;
    }
    const eps = 2.220446049250313e-16;
    let alpha = 1 / (yy0 / n + eps);
    let lambda = 1;
    const spectral: Spectral = { d, eig, v, vtXty, gram, xty, yy: yy0 };
    let coefOld: Float64Array | null = null;
    let iter = 0;
    for (; iter < o.nIter; iter++) {
      const { coef, sse } = posteriorMean(spectral, alpha, lambda);
      let gamma = 0;
      for (let k = 0; k < d; k++) gamma += (alpha * (eig[k] as number)) / (lambda + alpha * (eig[k] as number));
      let coefSq = 0;
      for (let a = 0; a < d; a++) coefSq += (coef[a] as number) ** 2;
      lambda = (gamma + 2 * o.lambda1) / (coefSq + 2 * o.lambda2);
      alpha = (n - gamma + 2 * o.alpha1) / (sse + 2 * o.alpha2);
      if (coefOld !== null) {
        let change = 0;
        for (let a = 0; a < d; a++) change += Math.abs((coefOld[a] as number) - (coef[a] as number));
        if (change < o.tol) break;
      }
      coefOld = coef;
    }
    const { coef } = posteriorMean(spectral, alpha, lambda);
    let intercept = 0;
    if (o.fitIntercept) {
      intercept = yMean;
      for (let a = 0; a < d; a++) intercept -= (xMean[a] as number) * (coef[a] as number);
    }
    this.state = { coef: Array.from(coef), intercept, alpha, lambda, nIter: Math.min(iter + 1, o.nIter) };
    return this;
  }

  predict(X: Matrix): Float64Array {
    const state = this.state;
    checkIsFitted(state, this.kind);
    const d = state.coef.length;
    if (X.cols !== d) throw new ValueError(`BayesianRidge: X has ${X.cols} columns, the model was fitted on ${d}`);
    const out = new Float64Array(X.rows);
    for (let i = 0; i < X.rows; i++) {
      let p = state.intercept;
      for (let a = 0; a < d; a++) p += (X.data[i * d + a] as number) * (state.coef[a] as number);
      out[i] = p;
    }
    return out;
  }

  /** Learned coefficients, intercept and precisions. */
  get fitted(): BayesianRidgeState {
    checkIsFitted(this.state, this.kind);
    return this.state;
  }

  toJSON(): EstimatorJSON<BayesianRidgeOptions, BayesianRidgeState> {
    return { kind: this.kind, params: this.getParams(), state: this.state };
  }

  static fromJSON(json: EstimatorJSON): BayesianRidge {
    const model = new BayesianRidge(json.params as BayesianRidgeOptions);
    model.state = json.state as BayesianRidgeState | null;
    return model;
  }
}
