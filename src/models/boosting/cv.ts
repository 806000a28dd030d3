import { ValueError } from "../../errors";
import { Random } from "../../util/random";
import type { Booster, EvalsLog } from "./booster";
import { CvBoosters, EarlyStopping, TrainingCallback } from "./callback";
import { DMatrix } from "./dmatrix";
import { BoosterParams, MetricName, resolveParams } from "./params";
import { BoostingSession } from "./session";

/** One fold: row indices of its training and test parts. */
export interface CvFold {
  readonly train: ArrayLike<number>;
  readonly test: ArrayLike<number>;
}

/** Options of {@link cv}, after `xgboost.cv`'s keyword arguments. */
export interface CvOptions {
  /** Explicit folds (e.g. from KFold / RepeatedKFold); overrides `nfold`. */
  folds?: readonly CvFold[];
  /** Number of folds when `folds` is absent (default 3, as xgb.cv). */
  nfold?: number;
  /** Boosting rounds (default 10). */
  numBoostRound?: number;
  /** Stop when the mean test score of the last metric has not improved for this many rounds. */
  earlyStoppingRounds?: number;
  /** Metrics (override the params' eval_metric). */
  metrics?: MetricName | MetricName[];
  /** Seed of the fold shuffle when `folds` is absent (default 0). */
  seed?: number;
  /** Shuffle rows before making folds (default true). */
  shuffle?: boolean;
  /** Hooks; they receive the mean scores as the evals log. */
  callbacks?: readonly TrainingCallback[];
}

/** Per round: `train-<metric>-mean`, `train-<metric>-std`, `test-<metric>-mean`, `test-<metric>-std`. */
export type CvResult = Record<string, number[]>;

/**
 * Cross-validated boosting (XGBoost's `xgboost.cv`): trains one booster per fold round by
 * round, logging the mean and (population) standard deviation of each metric over folds.
 * With early stopping the result is cut at the best round, as xgb.cv does.
 */
export function cv(params: BoosterParams, dtrain: DMatrix, options: CvOptions = {}): CvResult {
  const withMetrics: BoosterParams = options.metrics === undefined ? params : { ...params, eval_metric: options.metrics };
  const resolved = resolveParams(withMetrics);
  const rounds = options.numBoostRound ?? 10;
  if (!Number.isInteger(rounds) || rounds < 0) throw new ValueError(`cv: numBoostRound must be an integer >= 0, got ${rounds}`);
  const folds = options.folds ?? makeFolds(dtrain.rows, options.nfold ?? 3, options.seed ?? 0, options.shuffle ?? true);
  if (folds.length === 0) throw new ValueError("cv: folds must not be empty");
  const sessions: BoostingSession[] = [];
  const tests: DMatrix[] = [];
  const callbacks: TrainingCallback[] = [...(options.callbacks ?? [])];
  if (options.earlyStoppingRounds !== undefined) callbacks.push(new EarlyStopping({ rounds: options.earlyStoppingRounds }));
  const result: CvResult = {};
  const log: EvalsLog = {};
  let bestIteration: number | null = null;
  try {
    for (const fold of folds) {
      const tr = dtrain.slice(fold.train);
      const te = dtrain.slice(fold.test);
      sessions.push(new BoostingSession(resolved, withMetrics, tr));
      tests.push(te);
    }
    const model: CvBoosters = {
      kind: "cv",
      boosters: sessions.map((s) => s.booster),
      setBest(iteration: number, score: number): void {
        bestIteration = iteration;
        for (const b of this.boosters as Booster[]) {
          b.bestIteration = iteration;
          b.bestScore = score;
        }
      },
    };
    for (const cb of callbacks) cb.beforeTraining?.(model);
    for (let epoch = 0; epoch < rounds; epoch++) {
      let stop = false;
      for (const cb of callbacks) if (cb.beforeIteration?.(model, epoch, log) === true) stop = true;
      if (stop) break;
      const perFold = sessions.map((s, k) => {
        s.updateOneIter();
        return s.evalSet([[s.dtrain, "train"], [tests[k] as DMatrix, "test"]]);
      });
      const first = perFold[0] ?? [];
      first.forEach((r, j) => {
        const values = perFold.map((f) => (f[j] as { value: number }).value);
        const mean = values.reduce((a, v) => a + v, 0) / values.length;
        const std = Math.sqrt(values.reduce((a, v) => a + (v - mean) * (v - mean), 0) / values.length);
        (result[`${r.data}-${r.metric}-mean`] ??= []).push(mean);
        (result[`${r.data}-${r.metric}-std`] ??= []).push(std);
        ((log[r.data] ??= {})[r.metric] ??= []).push(mean);
      });
      for (const cb of callbacks) if (cb.afterIteration?.(model, epoch, log) === true) stop = true;
      if (stop) break;
    }
    for (const cb of callbacks) cb.afterTraining?.(model);
  } finally {
    for (const s of sessions) s.close();
  }
  if (options.earlyStoppingRounds !== undefined && bestIteration !== null) {
    const keep = (bestIteration as number) + 1;
    for (const key of Object.keys(result)) result[key] = (result[key] as number[]).slice(0, keep);
  }
  return result;
}

/** Shuffled (or ordered) folds of `nfold` nearly equal parts, as xgb.cv's `mknfold`. */
export function makeFolds(rows: number, nfold: number, seed: number, shuffle: boolean): CvFold[] {
  if (!Number.isInteger(nfold) || nfold < 2 || nfold > rows) {
    throw new ValueError(`cv: nfold must be an integer in [2, ${rows}], got ${nfold}`);
  }
  const order = shuffle ? new Random(seed).permutation(rows) : Int32Array.from({ length: rows }, (_, i) => i);
  const folds: CvFold[] = [];
  for (let k = 0; k < nfold; k++) {
    const b = Math.floor((k * rows) / nfold);
    const e = Math.floor(((k + 1) * rows) / nfold);
    const test = order.slice(b, e);
    const train = Int32Array.from([...order.subarray(0, b), ...order.subarray(e)]);
    folds.push({ train, test });
  }
  return folds;
}
