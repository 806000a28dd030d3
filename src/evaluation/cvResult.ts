/** What a cross-validation returns: kept apart so that its listeners need not import the runner. */

/** Per-fold results, after scikit-learn's `cross_validate` dictionary. */
export interface CrossValidateResult {
  /** Seconds fitting, per fold. */
  fitTime: number[];
  /** Seconds predicting and scoring the test rows, per fold. */
  scoreTime: number[];
  /** Test scores per scoring name, per fold. */
  test: Record<string, number[]>;
  /** Train scores per scoring name, per fold (with `returnTrainScore`). */
  train?: Record<string, number[]>;
}
