import type { Regressor } from "../models/base";
import { hasFitAsync } from "../models/asyncFit";
import { takeRows, takeValues, type Matrix } from "../util/matrix";
import type { Fold } from "./kFold";

/** A fold with its rows already taken out: reused when several models see the same folds. */
export interface FoldData extends Fold {
  readonly XTrain: Matrix;
  readonly yTrain: Float64Array;
  readonly XTest: Matrix;
  readonly yTest: Float64Array;
}

/** Whether `fold` already carries its rows. */
export function isFoldData(fold: Fold): fold is FoldData {
  return (fold as Partial<FoldData>).XTrain !== undefined;
}

/** Takes a fold's train and test rows out of `X` and `y`. */
export function materializeFold(X: Matrix, y: ArrayLike<number>, fold: Fold): FoldData {
  return {
    train: fold.train,
    test: fold.test,
    XTrain: takeRows(X, fold.train),
    yTrain: takeValues(y, fold.train),
    XTest: takeRows(X, fold.test),
    yTest: takeValues(y, fold.test),
  };
}
import { getScorer } from "./scoring";

/** Scores and timings of one fold, as one row of scikit-learn's `cross_validate`. */
export interface FoldOutcome {
  /** Seconds spent in `fit`. */
  fitTime: number;
  /** Seconds spent predicting and scoring the test rows (train scoring excluded, as in scikit-learn). */
  scoreTime: number;
  /** One test score per scoring name, in the order asked. */
  test: number[];
  /** One train score per scoring name, or null when not asked. */
  train: number[] | null;
}

const seconds = (start: number): number => (performance.now() - start) / 1000;

function scoreAll(model: Regressor, X: Matrix, y: Float64Array, scoring: readonly string[]): number[] {
  const pred = model.predict(X);
  return scoring.map((name) => getScorer(name).score(y, pred));
}

/**
 * Fits `model` (a fresh clone) on the fold's train rows and scores it, on this thread.
 * `useAsyncFit` lets a model with `fitAsync` (a forest with nJobs) use its own workers.
 */
export async function runFold(
  model: Regressor,
  X: Matrix,
  y: ArrayLike<number>,
  fold: Fold,
  scoring: readonly string[],
  returnTrainScore: boolean,
  useAsyncFit: boolean,
): Promise<{ outcome: FoldOutcome; model: Regressor }> {
  const { XTrain, yTrain, XTest, yTest } = isFoldData(fold) ? fold : materializeFold(X, y, fold);
  let start = performance.now();
  if (useAsyncFit && hasFitAsync(model)) await model.fitAsync(XTrain, yTrain);
  else model.fit(XTrain, yTrain);
  const fitTime = seconds(start);
  start = performance.now();
  const test = scoreAll(model, XTest, yTest, scoring);
  const scoreTime = seconds(start);
  const train = returnTrainScore ? scoreAll(model, XTrain, yTrain, scoring) : null;
  return { outcome: { fitTime, scoreTime, test, train }, model };
}
