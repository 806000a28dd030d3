import { ValueError } from "../errors";
import type { Matrix } from "../util/matrix";

/** Throws unless `X` and `y` are non-empty, agree in rows, and hold only finite numbers. */
export function checkXy(X: Matrix, y: ArrayLike<number>, estimator: string): void {
  if (X.rows !== y.length) {
    throw new ValueError(`${estimator}.fit: X has ${X.rows} rows but y has ${y.length} values`);
  }
  if (X.rows === 0 || X.cols === 0) {
    throw new ValueError(`${estimator}.fit: X is empty (${X.rows} x ${X.cols})`);
  }
  checkFinite(X, estimator, "fit");
  for (let i = 0; i < y.length; i++) {
    if (!Number.isFinite(y[i] as number)) {
      throw new ValueError(`${estimator}.fit: y[${i}] is ${y[i]}; targets must be finite numbers`);
    }
  }
}

/** Throws unless `X` has `nFeatures` columns of finite numbers. */
export function checkPredictX(X: Matrix, nFeatures: number, estimator: string): void {
  if (X.cols !== nFeatures) {
    throw new ValueError(`${estimator}.predict: X has ${X.cols} features, but the model was fitted with ${nFeatures}`);
  }
  checkFinite(X, estimator, "predict");
}

function checkFinite(X: Matrix, estimator: string, method: string): void {
  const d = X.data;
  for (let p = 0; p < d.length; p++) {
    if (!Number.isFinite(d[p] as number)) {
      const row = Math.floor(p / X.cols);
      throw new ValueError(
        `${estimator}.${method}: X contains ${d[p]} at row ${row}, column ${p - row * X.cols}; impute or drop missing values first`,
      );
    }
  }
}
