import { NotFittedError } from "./errors";
import type { Matrix } from "./util/matrix";

// The estimator contract, below both preprocess (transformers) and models (regressors).

/**
 * A model saved as plain JSON: which class (`kind`), the constructor options,
 * and the learned state. Loading it never executes code.
 */
export interface EstimatorJSON<P extends object = object, S extends object = object> {
  readonly kind: string;
  readonly params: P;
  readonly state: S | null;
}

/**
 * The one shape of every regressor, after scikit-learn: options in the constructor,
 * `fit` learns, `predict` uses what was learned, learned state kept apart.
 */
export interface Regressor<P extends object = object> {
  /** The class name used in saved JSON, e.g. "Ridge". */
  readonly kind: string;
  /** Learns from `X` (rows x features) and targets `y`; returns `this`. */
  fit(X: Matrix, y: ArrayLike<number>): this;
  /** Predicts one value per row of `X`. */
  predict(X: Matrix): Float64Array;
  /** A copy of the constructor options. */
  getParams(): P;
  /** An unfitted copy with the same options. */
  clone(): Regressor<P>;
  /** Options and learned state as plain JSON. */
  toJSON(): EstimatorJSON<P>;
}

/**
 * The one shape of every transformer: `fit` learns from a table, `transform` applies.
 * `I` is the input type (a frame of named columns or a matrix), `O` the output.
 */
export interface Transformer<I, O> {
  readonly kind: string;
  fit(input: I): this;
  transform(input: I): O;
  fitTransform(input: I): O;
  getFeatureNamesOut(): string[];
  toJSON(): EstimatorJSON;
}

/** Throws `NotFittedError` when `state` is null, naming the estimator. */
export function checkIsFitted<S>(state: S | null | undefined, name: string): asserts state is S {
  if (state === null || state === undefined) {
    throw new NotFittedError(`This ${name} instance is not fitted yet. Call 'fit' before using it.`);
  }
}
