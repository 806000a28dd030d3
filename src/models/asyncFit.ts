import type { Matrix } from "../util/matrix";

/** A regressor that can also fit on worker threads (e.g. a random forest with `nJobs`). */
export interface AsyncFittable {
  /** As `fit`, possibly spreading the work over worker threads; the result does not depend on it. */
  fitAsync(X: Matrix, y: ArrayLike<number>): Promise<unknown>;
}

/** Whether `estimator` offers `fitAsync`. */
export function hasFitAsync(estimator: object): estimator is AsyncFittable {
  return typeof (estimator as Partial<AsyncFittable>).fitAsync === "function";
}
