import { ValueError } from "../errors";
import type { EvalsLog } from "../models/boosting/booster";
import type { CallbackModel, TrainingCallback } from "../models/boosting/callback";
import { TrialPruned } from "../tuning/errors";
import type { Trial } from "../tuning/trial";

/**
 * Reports a booster's evaluation metric to a trial after every round and prunes through the
 * booster's callbacks (optuna-integration's `XGBoostPruningCallback`). The observation key is
 * `<eval set>-<metric>`, e.g. "test-rmse" in `cv` or "validation_0-rmse" in `train`.
 */
export class XGBoostPruningCallback implements TrainingCallback {
  private readonly dataName: string;
  private readonly metricName: string;

  constructor(
    private readonly trial: Trial,
    readonly observationKey: string,
  ) {
    const dash = observationKey.indexOf("-");
    if (dash <= 0 || dash === observationKey.length - 1) {
      throw new ValueError(`XGBoostPruningCallback: observationKey must look like "test-rmse", got "${observationKey}"`);
    }
    this.dataName = observationKey.slice(0, dash);
    this.metricName = observationKey.slice(dash + 1);
  }

  afterIteration(_model: CallbackModel, epoch: number, evalsLog: EvalsLog): boolean {
    const history = evalsLog[this.dataName]?.[this.metricName];
    if (history === undefined || history.length === 0) {
      throw new ValueError(`XGBoostPruningCallback: the evaluation log has no "${this.observationKey}"`);
    }
    this.trial.report(history[history.length - 1] as number, epoch);
    if (this.trial.shouldPrune()) throw new TrialPruned(`Trial was pruned at iteration ${epoch}.`);
    return false;
  }
}
