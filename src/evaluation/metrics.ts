import { ValueError } from "../errors";

/** float64 machine epsilon: scikit-learn's guard against division by a zero target in MAPE. */
export const FLOAT64_EPSILON = 2.220446049250313e-16;

function checkPair(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, metric: string): void {
  if (yTrue.length !== yPred.length) {
    throw new ValueError(`${metric}: yTrue has ${yTrue.length} values but yPred has ${yPred.length}`);
  }
  if (yTrue.length === 0) throw new ValueError(`${metric}: yTrue and yPred are empty`);
}

/** Mean squared error, as scikit-learn's `mean_squared_error`. */
export function mse(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  checkPair(yTrue, yPred, "mse");
  let sum = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const e = (yTrue[i] as number) - (yPred[i] as number);
    sum += e * e;
  }
  return sum / yTrue.length;
}

/** Root mean squared error, as scikit-learn's `mean_squared_error(squared=False)`. */
export function rmse(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  checkPair(yTrue, yPred, "rmse");
  return Math.sqrt(mse(yTrue, yPred));
}

/** Mean absolute error, as scikit-learn's `mean_absolute_error`. */
export function mae(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  checkPair(yTrue, yPred, "mae");
  let sum = 0;
  for (let i = 0; i < yTrue.length; i++) sum += Math.abs((yTrue[i] as number) - (yPred[i] as number));
  return sum / yTrue.length;
}

/**
 * Mean absolute percentage error as a fraction (0.1 = 10 %), as scikit-learn's
 * `mean_absolute_percentage_error`: each error is divided by `max(|yTrue|, eps)`
 * with `eps` the float64 machine epsilon, so a zero target gives a huge but finite term.
 */
export function mape(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  checkPair(yTrue, yPred, "mape");
  let sum = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const t = yTrue[i] as number;
    sum += Math.abs(t - (yPred[i] as number)) / Math.max(Math.abs(t), FLOAT64_EPSILON);
  }
  return sum / yTrue.length;
}

/**
 * Coefficient of determination, as scikit-learn's `r2_score`: 1 for a perfect fit;
 * when `yTrue` is constant, 1 if the predictions are exact and 0 otherwise.
 */
export function r2(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  checkPair(yTrue, yPred, "r2");
  const n = yTrue.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += yTrue[i] as number;
  mean /= n;
  let ssRes = 0;
  let ssTot = 0;
  for (let i = 0; i < n; i++) {
    const t = yTrue[i] as number;
    const e = t - (yPred[i] as number);
    ssRes += e * e;
    ssTot += (t - mean) * (t - mean);
  }
  if (ssTot === 0) return ssRes === 0 ? 1 : 0;
  return 1 - ssRes / ssTot;
}
