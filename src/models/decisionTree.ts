import type { Matrix } from "../util/matrix";
import { Random } from "../util/random";
import { checkIsFitted, type EstimatorJSON, type Regressor } from "./base";
import { growTree } from "./tree/growTree";
import { presort } from "./tree/presort";
import { predictRow, treeFromJSON, treeToJSON, type TreeArrays, type TreeJSON } from "./tree/treeArrays";
import { checkTreeParams, growthLimits, type TreeShapeParams } from "./tree/treeParams";
import { checkPredictX, checkXy } from "./validation";

/** Options of {@link DecisionTreeRegressor}, scikit-learn's defaults. */
export interface DecisionTreeRegressorParams extends TreeShapeParams {
  /** Seed of the feature subsets (used only when maxFeatures < 1; default 0). */
  seed?: number;
}

/** What {@link DecisionTreeRegressor} learns. */
export interface DecisionTreeRegressorState {
  nFeatures: number;
  tree: TreeJSON;
}

/**
 * A CART regression tree (squared error), after scikit-learn's `DecisionTreeRegressor`:
 * exact best split over every distinct threshold, thresholds halfway between neighbouring
 * values, `x <= threshold` goes left. With all features, they are examined in column order,
 * the first of equally good splits winning.
 */
export class DecisionTreeRegressor implements Regressor<DecisionTreeRegressorParams> {
  readonly kind = "DecisionTreeRegressor";
  private readonly params: DecisionTreeRegressorParams;
  private tree: TreeArrays | null = null;
  private nFeatures = 0;

  constructor(params: DecisionTreeRegressorParams = {}) {
    checkTreeParams(params, "DecisionTreeRegressor");
    this.params = { maxDepth: null, minSamplesSplit: 2, minSamplesLeaf: 1, maxFeatures: 1, seed: 0, ...params };
  }

  fit(X: Matrix, y: ArrayLike<number>): this {
    checkXy(X, y, "DecisionTreeRegressor");
    const limits = growthLimits(this.params, X.cols);
    this.tree = growTree(presort(X, y), null, limits, new Random(this.params.seed ?? 0));
    this.nFeatures = X.cols;
    return this;
  }

  predict(X: Matrix): Float64Array {
    checkIsFitted(this.tree, "DecisionTreeRegressor");
    checkPredictX(X, this.nFeatures, "DecisionTreeRegressor");
    const out = new Float64Array(X.rows);
    for (let i = 0; i < X.rows; i++) out[i] = predictRow(this.tree, X.data, i * X.cols);
    return out;
  }

  /** The fitted tree's arrays (see {@link TreeArrays}). */
  get treeArrays(): TreeArrays {
    checkIsFitted(this.tree, "DecisionTreeRegressor");
    return this.tree;
  }

  getParams(): DecisionTreeRegressorParams {
    return { ...this.params };
  }

  clone(): DecisionTreeRegressor {
    return new DecisionTreeRegressor(this.getParams());
  }

  toJSON(): EstimatorJSON<DecisionTreeRegressorParams, DecisionTreeRegressorState> {
    return {
      kind: this.kind,
      params: this.getParams(),
      state: this.tree === null ? null : { nFeatures: this.nFeatures, tree: treeToJSON(this.tree) },
    };
  }

  /** Rebuilds a DecisionTreeRegressor saved with `toJSON`. */
  static fromJSON(json: EstimatorJSON<DecisionTreeRegressorParams, DecisionTreeRegressorState>): DecisionTreeRegressor {
    const model = new DecisionTreeRegressor(json.params);
    if (json.state !== null) {
      model.tree = treeFromJSON(json.state.tree);
      model.nFeatures = json.state.nFeatures;
    }
    return model;
  }
}
