import { ValueError } from "../../errors";
import type { Booster, EvalsLog } from "./booster";

/**
 * What a callback receives as `model`: the booster in `train`, the per-fold boosters in `cv`.
 */
export type CallbackModel = Booster | CvBoosters;

/** The models of a `cv` run, one per fold (XGBoost's `_PackedBooster`). */
export interface CvBoosters {
  readonly kind: "cv";
  readonly boosters: readonly Booster[];
  /** Sets `bestIteration` / `bestScore` on every fold's booster. */
  setBest(iteration: number, score: number): void;
}

/**
 * Hooks around training, after XGBoost's `TrainingCallback` (python-package/xgboost/callback.py).
 * `beforeIteration` / `afterIteration` returning true stop training; an exception thrown
 * by a hook (such as the tuner's `TrialPruned`) propagates out of `train` / `cv`.
 */
export interface TrainingCallback {
  beforeTraining?(model: CallbackModel): void;
  afterTraining?(model: CallbackModel): void;
  beforeIteration?(model: CallbackModel, epoch: number, evalsLog: EvalsLog): boolean | void;
  afterIteration?(model: CallbackModel, epoch: number, evalsLog: EvalsLog): boolean | void;
}

/** Options of {@link EarlyStopping}. */
export interface EarlyStoppingOptions {
  /** Stop after this many rounds without improvement. */
  rounds: number;
  /** Metric to watch (default: the last one of the data set). */
  metricName?: string;
  /** Eval set to watch (default: the last one). */
  dataName?: string;
  /** Whether larger is better (default false: all regression metrics decrease). */
  maximize?: boolean;
  /** Minimum change counted as an improvement (default 0). */
  minDelta?: number;
}

/**
 * Stops training when the watched score has not improved for `rounds` rounds, recording
 * the best round on the model (XGBoost's `EarlyStopping`).
 */
export class EarlyStopping implements TrainingCallback {
  private best = NaN;
  private stale = 0;
  private started = false;
  readonly rounds: number;

  constructor(private readonly options: EarlyStoppingOptions) {
    if (!Number.isInteger(options.rounds) || options.rounds < 1) {
      throw new ValueError(`EarlyStopping: rounds must be an integer >= 1, got ${options.rounds}`);
    }
    this.rounds = options.rounds;
  }

  afterIteration(model: CallbackModel, epoch: number, evalsLog: EvalsLog): boolean {
    const names = Object.keys(evalsLog);
    if (names.length === 0) throw new ValueError("EarlyStopping: must have at least 1 validation dataset for early stopping");
    const dataName = this.options.dataName ?? (names[names.length - 1] as string);
    const dataLog = evalsLog[dataName];
    if (dataLog === undefined) throw new ValueError(`EarlyStopping: no eval set named "${dataName}"`);
    const metrics = Object.keys(dataLog);
    const metricName = this.options.metricName ?? (metrics[metrics.length - 1] as string);
    const history = dataLog[metricName];
    if (history === undefined || history.length === 0) throw new ValueError(`EarlyStopping: no metric "${metricName}" for "${dataName}"`);
    const score = history[history.length - 1] as number;
    const minDelta = this.options.minDelta ?? 0;
    const improved = this.options.maximize === true ? score - minDelta > this.best : this.best - minDelta > score;
    if (!this.started || improved) {
      this.started = true;
      this.best = score;
      this.stale = 0;
      setBest(model, epoch, score);
    } else {
      this.stale++;
    }
    return this.stale >= this.rounds;
  }
}

function setBest(model: CallbackModel, epoch: number, score: number): void {
  if ("kind" in model && model.kind === "cv") {
    model.setBest(epoch, score);
  } else {
    const b = model as Booster;
    b.bestIteration = epoch;
    b.bestScore = score;
  }
}
