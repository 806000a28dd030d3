import { ValueError } from "../../errors";
import type { Booster, EvalsLog } from "./booster";
import { EarlyStopping, TrainingCallback } from "./callback";
import { DMatrix } from "./dmatrix";
import { BoosterParams, resolveParams } from "./params";
import { BoostingSession } from "./session";

/** Options of {@link train}, after `xgboost.train`'s keyword arguments. */
export interface TrainOptions {
  /** Number of boosting rounds (default 10). */
  numBoostRound?: number;
  /** Data sets evaluated after every round, with their names, e.g. `[[dtest, "test"]]`. */
  evals?: ReadonlyArray<readonly [DMatrix, string]>;
  /** Stop when the last metric of the last eval set has not improved for this many rounds. */
  earlyStoppingRounds?: number;
  /** Hooks called around each round. */
  callbacks?: readonly TrainingCallback[];
}

/**
 * Trains a booster (XGBoost's `xgboost.train`): per round, grow one tree, evaluate
 * every metric on every eval set into `booster.evalsResult`, then call the callbacks'
 * `afterIteration`; stops early when one returns true. With `earlyStoppingRounds`, the
 * best round is kept in `booster.bestIteration` (all trees are kept, as XGBoost does).
 */
export function train(params: BoosterParams, dtrain: DMatrix, options: TrainOptions = {}): Booster {
  const resolved = resolveParams(params);
  if (!(dtrain instanceof DMatrix)) throw new ValueError("train: dtrain must be a DMatrix");
  const rounds = options.numBoostRound ?? 10;
  if (!Number.isInteger(rounds) || rounds < 0) {
    throw new ValueError(`train: numBoostRound must be an integer >= 0, got ${rounds}`);
  }
  const evals = options.evals ?? [];
  for (const [dm, name] of evals) {
    if (!(dm instanceof DMatrix)) throw new ValueError(`train: evals entry "${name}" is not a DMatrix`);
    if (dm.cols !== dtrain.cols) {
      throw new ValueError(`train: evals entry "${name}" has ${dm.cols} features, dtrain has ${dtrain.cols}`);
    }
  }
  const callbacks: TrainingCallback[] = [...(options.callbacks ?? [])];
  if (options.earlyStoppingRounds !== undefined) {
    if (evals.length === 0) throw new ValueError("train: earlyStoppingRounds needs at least one data set in evals");
    callbacks.push(new EarlyStopping({ rounds: options.earlyStoppingRounds }));
  }
  const session = new BoostingSession(resolved, params, dtrain);
  const booster = session.booster;
  const log: EvalsLog = {};
  try {
    for (const cb of callbacks) cb.beforeTraining?.(booster);
    for (let epoch = 0; epoch < rounds; epoch++) {
      let stop = false;
      for (const cb of callbacks) if (cb.beforeIteration?.(booster, epoch, log) === true) stop = true;
      if (stop) break;
      session.updateOneIter();
      for (const r of session.evalSet(evals)) {
        const data = (log[r.data] ??= {});
        (data[r.metric] ??= []).push(r.value);
      }
      for (const cb of callbacks) if (cb.afterIteration?.(booster, epoch, log) === true) stop = true;
      if (stop) break;
    }
    for (const cb of callbacks) cb.afterTraining?.(booster);
  } finally {
    session.close();
  }
  booster.evalsResult = log;
  return booster;
}
