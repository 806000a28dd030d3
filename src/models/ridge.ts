import { ValueError } from "../errors";
import type { Matrix } from "../util/matrix";
import { checkIsFitted, type EstimatorJSON, type Regressor } from "./base";
import { choleskySolve } from "./linalg";
import { checkPredictX, checkXy } from "./validation";

/** Options of {@link Ridge}, scikit-learn's defaults. */
export interface RidgeParams {
  /** L2 penalty strength (default 1). */
  alpha?: number;
  /** Fit an unpenalised intercept (default true). */
  fitIntercept?: boolean;
}

/** What {@link Ridge} learns. */
export interface RidgeState {
  coef: number[];
  intercept: number;
}

/**
 * Linear least squares with an L2 penalty, after scikit-learn's `Ridge`: the exact solution
 * of `(Xc'Xc + alpha I) w = Xc'yc` on centred data by Cholesky, intercept from the means.
 */
export class Ridge implements Regressor<RidgeParams> {
  readonly kind = "Ridge";
  private readonly params: Required<RidgeParams>;
  /** Learned coefficients and intercept, null until fitted. */
  state: RidgeState | null = null;

  constructor(params: RidgeParams = {}) {
    this.params = { alpha: params.alpha ?? 1, fitIntercept: params.fitIntercept ?? true };
    if (!(this.params.alpha >= 0)) throw new ValueError(`Ridge: alpha must be >= 0, got ${this.params.alpha}`);
  }

  fit(X: Matrix, y: ArrayLike<number>): this {
    checkXy(X, y, "Ridge");
    const { rows: n, cols: d, data } = X;
    const xMean = new Float64Array(d);
    let yMean = 0;
    if (this.params.fitIntercept) {
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < d; j++) xMean[j] = (xMean[j] as number) + (data[i * d + j] as number);
        yMean += y[i] as number;
      }
      for (let j = 0; j < d; j++) xMean[j] = (xMean[j] as number) / n;
      yMean /= n;
    }
    const gram = new Float64Array(d * d);
    const rhs = new Float64Array(d);
    const centred = new Float64Array(d);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < d; j++) centred[j] = (data[i * d + j] as number) - (xMean[j] as number);
      const yi = (y[i] as number) - yMean;
      for (let a = 0; a < d; a++) {
        const ca = centred[a] as number;
        if (ca === 0) continue;
        rhs[a] = (rhs[a] as number) + ca * yi;
        for (let b = a; b < d; b++) gram[a * d + b] = (gram[a * d + b] as number) + ca * (centred[b] as number);
      }
    }
    for (let a = 0; a < d; a++) {
      gram[a * d + a] = (gram[a * d + a] as number) + this.params.alpha;
      for (let b = 0; b < a; b++) gram[a * d + b] = gram[b * d + a] as number;
    }
    const coef = choleskySolve(gram, rhs, d, "Ridge");
    let intercept = yMean;
    for (let j = 0; j < d; j++) intercept -= (xMean[j] as number) * (coef[j] as number);
    this.state = { coef: Array.from(coef), intercept };
    return this;
  }

  predict(X: Matrix): Float64Array {
    checkIsFitted(this.state, "Ridge");
    const { coef, intercept } = this.state;
    checkPredictX(X, coef.length, "Ridge");
    return linearPredict(X, coef, intercept);
  }

  getParams(): RidgeParams {
    return { ...this.params };
  }

  clone(): Ridge {
    return new Ridge(this.getParams());
  }

  toJSON(): EstimatorJSON<RidgeParams, RidgeState> {
    return { kind: this.kind, params: this.getParams(), state: this.state };
  }

  /** Rebuilds a Ridge saved with `toJSON`. */
  static fromJSON(json: EstimatorJSON<RidgeParams, RidgeState>): Ridge {
    const model = new Ridge(json.params);
    model.state = json.state;
    return model;
  }
}

/** `X w + b` for each row. */
export function linearPredict(X: Matrix, coef: ArrayLike<number>, intercept: number): Float64Array {
  const { rows, cols, data } = X;
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let s = intercept;
    for (let j = 0; j < cols; j++) s += (data[i * cols + j] as number) * (coef[j] as number);
    out[i] = s;
  }
  return out;
}
