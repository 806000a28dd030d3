import { ValueError } from "../errors";
import type { Matrix } from "../util/matrix";
import { checkIsFitted, type EstimatorJSON, type Regressor } from "./base";
import { solveL1SvrDual } from "./liblinearSvr";
import { linearPredict } from "./ridge";
import { checkPredictX, checkXy } from "./validation";

/** Options of {@link LinearSVR}, scikit-learn's defaults. */
export interface LinearSVRParams {
  /** Width of the insensitive tube (default 0). */
  epsilon?: number;
  /** Stopping tolerance (default 1e-4). */
  tol?: number;
  /** Inverse regularisation strength (default 1). */
  C?: number;
  /** Learn an intercept through an appended constant column (default true). */
  fitIntercept?: boolean;
  /** Value of that constant column; the intercept is penalised like the weights (default 1). */
  interceptScaling?: number;
  /** Outer iterations of coordinate descent (default 1000). */
  maxIter?: number;
  /** Seed of the coordinate shuffles (default 0). */
  seed?: number;
}

/** What {@link LinearSVR} learns. */
export interface LinearSVRState {
  coef: number[];
  intercept: number;
  /** Outer iterations run. */
  nIter: number;
  /** liblinear's dual objective at the solution. */
  dualObjective: number;
}

/**
 * Linear support-vector regression with the epsilon-insensitive (L1) loss, after
 * scikit-learn's `LinearSVR`: liblinear's dual coordinate descent, intercept through an
 * appended column of `interceptScaling`. On unscaled targets in the hundreds of thousands
 * the defaults are degenerate (every dual variable hits C in the first pass, it stops
 * after two iterations, the intercept equals the row count), exactly as in scikit-learn.
 */
export class LinearSVR implements Regressor<LinearSVRParams> {
  readonly kind = "LinearSVR";
  private readonly params: Required<LinearSVRParams>;
  /** Learned state, null until fitted. */
  state: LinearSVRState | null = null;

  constructor(params: LinearSVRParams = {}) {
    this.params = {
      epsilon: params.epsilon ?? 0,
      tol: params.tol ?? 1e-4,
      C: params.C ?? 1,
      fitIntercept: params.fitIntercept ?? true,
      interceptScaling: params.interceptScaling ?? 1,
      maxIter: params.maxIter ?? 1000,
      seed: params.seed ?? 0,
    };
    if (!(this.params.C > 0)) throw new ValueError(`LinearSVR: C must be > 0, got ${this.params.C}`);
    if (!(this.params.epsilon >= 0)) throw new ValueError(`LinearSVR: epsilon must be >= 0, got ${this.params.epsilon}`);
    if (!(Number.isInteger(this.params.maxIter) && this.params.maxIter > 0)) {
      throw new ValueError(`LinearSVR: maxIter must be a positive integer, got ${this.params.maxIter}`);
    }
  }

  fit(X: Matrix, y: ArrayLike<number>): this {
    checkXy(X, y, "LinearSVR");
    const { fitIntercept, interceptScaling } = this.params;
    const solution = solveL1SvrDual({
      data: X.data,
      rows: X.rows,
      cols: X.cols,
      bias: fitIntercept ? interceptScaling : 0,
      y,
      C: this.params.C,
      p: this.params.epsilon,
      tol: this.params.tol,
      maxIter: this.params.maxIter,
      seed: this.params.seed,
    });
    const w = solution.w;
    this.state = {
      coef: Array.from(w.subarray(0, X.cols)),
      intercept: fitIntercept ? interceptScaling * (w[X.cols] as number) : 0,
      nIter: solution.nIter,
      dualObjective: solution.dualObjective,
    };
    return this;
  }

  predict(X: Matrix): Float64Array {
    checkIsFitted(this.state, "LinearSVR");
    checkPredictX(X, this.state.coef.length, "LinearSVR");
    return linearPredict(X, this.state.coef, this.state.intercept);
  }

  getParams(): LinearSVRParams {
    return { ...this.params };
  }

  clone(): LinearSVR {
    return new LinearSVR(this.getParams());
  }

  toJSON(): EstimatorJSON<LinearSVRParams, LinearSVRState> {
    return { kind: this.kind, params: this.getParams(), state: this.state };
  }

  /** Rebuilds a LinearSVR saved with `toJSON`. */
  static fromJSON(json: EstimatorJSON<LinearSVRParams, LinearSVRState>): LinearSVR {
    const model = new LinearSVR(json.params);
    model.state = json.state;
    return model;
  }
}
