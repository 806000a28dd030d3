import { ValueError } from "../../errors";
import type { Matrix } from "../../util/matrix";
import type { EstimatorJSON, Regressor } from "../base";
import { checkIsFitted } from "../base";
import { Booster, BoosterJSON } from "./booster";
import type { TrainingCallback } from "./callback";
import { DMatrix } from "./dmatrix";
import { BoosterParams, resolveParams } from "./params";
import { train } from "./train";

/** Constructor options of {@link XGBRegressor}: booster parameters plus the sklearn wrapper's. */
export interface XGBRegressorParams extends BoosterParams {
  /** Number of boosting rounds (default 100, as in xgboost.XGBRegressor). */
  n_estimators?: number;
  /** Early stopping on the last eval set passed to `fit` (default none). */
  early_stopping_rounds?: number;
}

/** Extra arguments of {@link XGBRegressor.fit}. */
export interface XGBFitOptions {
  /** Evaluation sets `[X, y]`, named validation_0, validation_1, ... */
  evalSet?: ReadonlyArray<readonly [Matrix, ArrayLike<number>]>;
  callbacks?: readonly TrainingCallback[];
}

/**
 * The booster as an estimator (xgboost's `XGBRegressor`): options in the constructor,
 * `fit` trains with `train`, `predict` uses the best iteration when early stopping ran.
 */
export class XGBRegressor implements Regressor<XGBRegressorParams> {
  readonly kind = "XGBRegressor";
  /** The trained booster, null before `fit`. */
  booster_: Booster | null = null;
  private readonly params: XGBRegressorParams;

  constructor(params: XGBRegressorParams = {}) {
    const { n_estimators, early_stopping_rounds, ...booster } = params;
    if (n_estimators !== undefined && (!Number.isInteger(n_estimators) || n_estimators < 0)) {
      throw new ValueError(`XGBRegressor: parameter "n_estimators" must be an integer >= 0, got ${n_estimators}`);
    }
    if (early_stopping_rounds !== undefined && (!Number.isInteger(early_stopping_rounds) || early_stopping_rounds < 1)) {
      throw new ValueError(`XGBRegressor: parameter "early_stopping_rounds" must be an integer >= 1, got ${early_stopping_rounds}`);
    }
    resolveParams(booster);
    this.params = { ...params };
  }

  fit(X: Matrix, y: ArrayLike<number>, options: XGBFitOptions = {}): this {
    const { n_estimators, early_stopping_rounds, ...boosterParams } = this.params;
    const dtrain = new DMatrix(X, { label: y });
    const evals = (options.evalSet ?? []).map(([Xe, ye], i) => [new DMatrix(Xe, { label: ye }), `validation_${i}`] as const);
    this.booster_ = train(boosterParams, dtrain, {
      numBoostRound: n_estimators ?? 100,
      evals,
      earlyStoppingRounds: early_stopping_rounds,
      callbacks: options.callbacks,
    });
    return this;
  }

  predict(X: Matrix): Float64Array {
    checkIsFitted(this.booster_, this.kind);
    return Float64Array.from(this.booster_.predict(X, { iterationRange: this.predictionRange() }));
  }

  /** The trees `predict` uses: up to the best iteration when early stopping ran, else all ([0, 0]). */
  private predictionRange(): [number, number] {
    const b = this.booster_ as Booster;
    return b.bestIteration !== null && this.params.early_stopping_rounds !== undefined ? [0, b.bestIteration + 1] : [0, 0];
  }

  /**
   * The booster as `predict` uses it: a copy holding only the trees up to the best iteration
   * when early stopping ran (what XGBoost's `Booster.predict` on all trees then agrees with).
   */
  predictionBooster(): Booster {
    checkIsFitted(this.booster_, this.kind);
    const b = this.booster_;
    const [, end] = this.predictionRange();
    if (end === 0) return b;
    const copy = new Booster(b.params, b.objective, b.huberSlope, b.baseScore, b.numFeature, b.featureNames);
    copy.trees.push(...b.trees.slice(0, end));
    return copy;
  }

  getParams(): XGBRegressorParams {
    return { ...this.params };
  }

  clone(): XGBRegressor {
    return new XGBRegressor(this.getParams());
  }

  /** Feature importance of the fitted booster (see `Booster.getScore`). */
  featureImportances(type: Parameters<Booster["getScore"]>[0] = "gain"): Record<string, number> {
    checkIsFitted(this.booster_, this.kind);
    return this.booster_.getScore(type);
  }

  toJSON(): EstimatorJSON<XGBRegressorParams, BoosterJSON> {
    return { kind: this.kind, params: this.getParams(), state: this.booster_ === null ? null : this.booster_.toJSON() };
  }

  static fromJSON(json: EstimatorJSON<XGBRegressorParams, BoosterJSON>): XGBRegressor {
    if (json.kind !== "XGBRegressor") throw new ValueError(`XGBRegressor.fromJSON: kind is "${json.kind}", expected "XGBRegressor"`);
    const m = new XGBRegressor(json.params);
    m.booster_ = json.state === null ? null : Booster.fromJSON(json.state);
    return m;
  }
}
