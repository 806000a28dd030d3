import { ValueError } from "../errors";
import type { Matrix } from "../util/matrix";
import { Random } from "../util/random";
import { checkIsFitted, type EstimatorJSON, type Regressor } from "./base";
import { growForestTrees } from "./forest/growForestTrees";
import { growInWorkers } from "./forest/growInWorkers";
import { presort } from "./tree/presort";
import { predictRow, treeFromJSON, treeToJSON, type TreeArrays, type TreeJSON } from "./tree/treeArrays";
import { checkTreeParams, growthLimits, type TreeShapeParams } from "./tree/treeParams";
import { checkPredictX, checkXy } from "./validation";
import { resolveJobs } from "./workerPath";

/** Options of {@link RandomForestRegressor}, scikit-learn's defaults. */
export interface RandomForestRegressorParams extends TreeShapeParams {
  /** Number of trees (default 100). */
  nEstimators?: number;
  /** Grow each tree on a bootstrap sample of the rows (default true). */
  bootstrap?: boolean;
  /** Seed of the bootstrap samples and feature subsets (default 0). */
  seed?: number;
  /** Worker threads used by `fitAsync` (-1: one per core; default 1). The trees do not depend on it. */
  nJobs?: number;
}

/** What {@link RandomForestRegressor} learns. */
export interface RandomForestRegressorState {
  nFeatures: number;
  trees: TreeJSON[];
}

/**
 * A random forest of CART regression trees averaged, after scikit-learn's
 * `RandomForestRegressor`. The columns are sorted once per fit and shared by all trees;
 * each tree draws its bootstrap sample from its own seed (derived from `seed`), so the
 * forest is the same whatever the number of threads. `fit` grows the trees on the calling
 * thread; `fitAsync` spreads them over `nJobs` worker threads.
 */
export class RandomForestRegressor implements Regressor<RandomForestRegressorParams> {
  readonly kind = "RandomForestRegressor";
  private readonly params: RandomForestRegressorParams;
  private trees: TreeArrays[] | null = null;
  private nFeatures = 0;

  constructor(params: RandomForestRegressorParams = {}) {
    checkTreeParams(params, "RandomForestRegressor");
    this.params = {
      nEstimators: 100,
      bootstrap: true,
      seed: 0,
      nJobs: 1,
      maxDepth: null,
      minSamplesSplit: 2,
      minSamplesLeaf: 1,
      maxFeatures: 1,
      ...params,
    };
    const n = this.params.nEstimators as number;
    if (!(Number.isInteger(n) && n >= 1)) throw new ValueError(`RandomForestRegressor: nEstimators must be a positive integer, got ${n}`);
  }

  private treeSeeds(): number[] {
    const random = new Random(this.params.seed ?? 0);
    const seeds: number[] = [];
    for (let t = 0; t < (this.params.nEstimators as number); t++) seeds.push(random.nextUint32());
    return seeds;
  }

  fit(X: Matrix, y: ArrayLike<number>): this {
    checkXy(X, y, "RandomForestRegressor");
    const data = presort(X, y);
    this.trees = growForestTrees(data, growthLimits(this.params, X.cols), this.params.bootstrap ?? true, this.treeSeeds());
    this.nFeatures = X.cols;
    return this;
  }

  /** As `fit`, growing the trees on `nJobs` worker threads (needs the built library, see `npm run build`). */
  async fitAsync(X: Matrix, y: ArrayLike<number>): Promise<this> {
    const seeds = this.treeSeeds();
    const jobs = resolveJobs(this.params.nJobs, seeds.length);
    if (jobs <= 1) return this.fit(X, y);
    checkXy(X, y, "RandomForestRegressor");
    const data = presort(X, y);
    this.trees = await growInWorkers(data, growthLimits(this.params, X.cols), this.params.bootstrap ?? true, seeds, jobs);
    this.nFeatures = X.cols;
    return this;
  }

  predict(X: Matrix): Float64Array {
    checkIsFitted(this.trees, "RandomForestRegressor");
    checkPredictX(X, this.nFeatures, "RandomForestRegressor");
    const out = new Float64Array(X.rows);
    for (const tree of this.trees) {
      for (let i = 0; i < X.rows; i++) out[i] = (out[i] as number) + predictRow(tree, X.data, i * X.cols);
    }
    const k = this.trees.length;
    for (let i = 0; i < X.rows; i++) out[i] = (out[i] as number) / k;
    return out;
  }

  /** The fitted trees (see {@link TreeArrays}). */
  get estimators(): readonly TreeArrays[] {
    checkIsFitted(this.trees, "RandomForestRegressor");
    return this.trees;
  }

  getParams(): RandomForestRegressorParams {
    return { ...this.params };
  }

  clone(): RandomForestRegressor {
    return new RandomForestRegressor(this.getParams());
  }

  toJSON(): EstimatorJSON<RandomForestRegressorParams, RandomForestRegressorState> {
    return {
      kind: this.kind,
      params: this.getParams(),
      state: this.trees === null ? null : { nFeatures: this.nFeatures, trees: this.trees.map(treeToJSON) },
    };
  }

  /** Rebuilds a RandomForestRegressor saved with `toJSON`. */
  static fromJSON(json: EstimatorJSON<RandomForestRegressorParams, RandomForestRegressorState>): RandomForestRegressor {
    const model = new RandomForestRegressor(json.params);
    if (json.state !== null) {
      model.trees = json.state.trees.map(treeFromJSON);
      model.nFeatures = json.state.nFeatures;
    }
    return model;
  }
}
