import { ValueError } from "../errors";
import type { Matrix } from "../util/matrix";
import { checkIsFitted, type EstimatorJSON, type Regressor } from "./base";
import { KDTree } from "./kdTree";
import { checkPredictX, checkXy } from "./validation";

/** Options of {@link KNeighborsRegressor}, scikit-learn's defaults. */
export interface KNeighborsRegressorParams {
  /** Number of neighbours averaged (default 5). */
  nNeighbors?: number;
  /** Rows per k-d tree leaf (default 30). */
  leafSize?: number;
}

/** What {@link KNeighborsRegressor} keeps: the training rows and targets. */
export interface KNeighborsRegressorState {
  rows: number;
  cols: number;
  X: number[];
  y: number[];
}

interface Fitted {
  X: Matrix;
  y: Float64Array;
  tree: KDTree;
}

/**
 * k-nearest-neighbour regression with uniform weights and Euclidean distance, after
 * scikit-learn's `KNeighborsRegressor`: exact neighbours through a k-d tree; equal distances
 * are broken by the lower training row.
 */
export class KNeighborsRegressor implements Regressor<KNeighborsRegressorParams> {
  readonly kind = "KNeighborsRegressor";
  private readonly params: Required<KNeighborsRegressorParams>;
  private fitted: Fitted | null = null;

  constructor(params: KNeighborsRegressorParams = {}) {
    this.params = { nNeighbors: params.nNeighbors ?? 5, leafSize: params.leafSize ?? 30 };
    if (!(Number.isInteger(this.params.nNeighbors) && this.params.nNeighbors >= 1)) {
      throw new ValueError(`KNeighborsRegressor: nNeighbors must be a positive integer, got ${this.params.nNeighbors}`);
    }
  }

  fit(X: Matrix, y: ArrayLike<number>): this {
    checkXy(X, y, "KNeighborsRegressor");
    if (this.params.nNeighbors > X.rows) {
      throw new ValueError(
        `KNeighborsRegressor: nNeighbors=${this.params.nNeighbors} is greater than the ${X.rows} training rows`,
      );
    }
    const data = Float64Array.from(X.data);
    this.fitted = {
      X: { rows: X.rows, cols: X.cols, data },
      y: Float64Array.from(y),
      tree: new KDTree(data, X.rows, X.cols, this.params.leafSize),
    };
    return this;
  }

  /** Indices (training rows) and Euclidean distances of the `nNeighbors` nearest rows to each row of `X`. */
  kneighbors(X: Matrix): { indices: Int32Array; distances: Float64Array } {
    checkIsFitted(this.fitted, "KNeighborsRegressor");
    checkPredictX(X, this.fitted.X.cols, "KNeighborsRegressor");
    const k = this.params.nNeighbors;
    const indices = new Int32Array(X.rows * k);
    const distances = new Float64Array(X.rows * k);
    this.fitted.tree.queryAll(X.data, X.rows, k, indices, distances);
    for (let p = 0; p < distances.length; p++) distances[p] = Math.sqrt(distances[p] as number);
    return { indices, distances };
  }

  predict(X: Matrix): Float64Array {
    checkIsFitted(this.fitted, "KNeighborsRegressor");
    checkPredictX(X, this.fitted.X.cols, "KNeighborsRegressor");
    const k = this.params.nNeighbors;
    const y = this.fitted.y;
    const indices = new Int32Array(X.rows * k);
    const distances = new Float64Array(X.rows * k);
    this.fitted.tree.queryAll(X.data, X.rows, k, indices, distances);
    const out = new Float64Array(X.rows);
    for (let i = 0; i < X.rows; i++) {
      let s = 0;
      for (let a = 0; a < k; a++) s += y[indices[i * k + a] as number] as number;
      out[i] = s / k;
    }
    return out;
  }

  getParams(): KNeighborsRegressorParams {
    return { ...this.params };
  }

  clone(): KNeighborsRegressor {
    return new KNeighborsRegressor(this.getParams());
  }

  toJSON(): EstimatorJSON<KNeighborsRegressorParams, KNeighborsRegressorState> {
    const f = this.fitted;
    return {
      kind: this.kind,
      params: this.getParams(),
      state: f === null ? null : { rows: f.X.rows, cols: f.X.cols, X: Array.from(f.X.data), y: Array.from(f.y) },
    };
  }

  /** Rebuilds a KNeighborsRegressor saved with `toJSON` (the tree is rebuilt). */
  static fromJSON(json: EstimatorJSON<KNeighborsRegressorParams, KNeighborsRegressorState>): KNeighborsRegressor {
    const model = new KNeighborsRegressor(json.params);
    const s = json.state;
    if (s !== null) model.fit({ rows: s.rows, cols: s.cols, data: Float64Array.from(s.X) }, s.y);
    return model;
  }
}
