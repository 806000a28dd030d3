import { ValueError } from "../errors";
import { mae, mape, mse, r2, rmse } from "./metrics";

/** A metric turned into a score where greater is better, as scikit-learn's scorers. */
export interface Scorer {
  /** The name the scores are reported under, e.g. "neg_root_mean_squared_error". */
  readonly name: string;
  /** Score of predictions `yPred` against `yTrue`. */
  score(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number;
}

type Metric = (yTrue: ArrayLike<number>, yPred: ArrayLike<number>) => number;

/** scikit-learn's negated scorer names, plus plain names reporting the metric itself. */
const SCORERS: Readonly<Record<string, { metric: Metric; sign: 1 | -1 }>> = {
  neg_root_mean_squared_error: { metric: rmse, sign: -1 },
  neg_mean_squared_error: { metric: mse, sign: -1 },
  neg_mean_absolute_error: { metric: mae, sign: -1 },
  neg_mean_absolute_percentage_error: { metric: mape, sign: -1 },
  r2: { metric: r2, sign: 1 },
  rmse: { metric: rmse, sign: 1 },
  mse: { metric: mse, sign: 1 },
  mae: { metric: mae, sign: 1 },
  mape: { metric: mape, sign: 1 },
};

/** The scoring names `getScorer` accepts. */
export const SCORING_NAMES: readonly string[] = Object.keys(SCORERS);

/** The scorer named `name` (scikit-learn's names such as "neg_root_mean_squared_error", or "rmse", "mape", ...). */
export function getScorer(name: string): Scorer {
  const entry = SCORERS[name];
  if (entry === undefined) {
    throw new ValueError(`scoring: unknown scoring name "${name}"; valid names: ${SCORING_NAMES.join(", ")}`);
  }
  const { metric, sign } = entry;
  return { name, score: (yTrue, yPred) => sign * metric(yTrue, yPred) };
}
