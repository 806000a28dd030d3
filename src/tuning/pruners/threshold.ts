/** Optuna's `ThresholdPruner` (`optuna/pruners/_threshold.py`): prunes values outside [lower, upper] or NaN. */
import { ValueError } from "../../errors";
import { FrozenTrial, lastStep } from "../frozenTrial";
import { StudyView } from "../studyView";
import { Pruner } from "./base";
import { isFirstInIntervalStep } from "./intervalStep";

/** Options of {@link ThresholdPruner}; give `lower`, `upper` or both. */
export interface ThresholdPrunerOptions {
  lower?: number;
  upper?: number;
  /** No pruning before this step (default 0). */
  nWarmupSteps?: number;
  /** Decide only every this many steps after the warm-up (default 1). */
  intervalSteps?: number;
}

/** Prunes when the latest intermediate value leaves [lower, upper]. */
export class ThresholdPruner implements Pruner {
  private readonly lower: number;
  private readonly upper: number;
  private readonly nWarmupSteps: number;
  private readonly intervalSteps: number;

  constructor(options: ThresholdPrunerOptions) {
    if (options.lower === undefined && options.upper === undefined) throw new TypeError("Either lower or upper must be specified.");
    this.lower = options.lower ?? -Infinity;
    this.upper = options.upper ?? Infinity;
    this.nWarmupSteps = options.nWarmupSteps ?? 0;
    this.intervalSteps = options.intervalSteps ?? 1;
    if (this.lower > this.upper) throw new ValueError("lower should be smaller than upper.");
    if (this.nWarmupSteps < 0) throw new ValueError(`Number of warmup steps cannot be negative but got ${this.nWarmupSteps}.`);
    if (this.intervalSteps < 1) throw new ValueError(`Pruning interval steps must be at least 1 but got ${this.intervalSteps}.`);
  }

  prune(_study: StudyView, trial: FrozenTrial): boolean {
    const step = lastStep(trial);
    if (step === null || step < this.nWarmupSteps) return false;
    if (!isFirstInIntervalStep(step, trial.intermediateValues.keys(), this.nWarmupSteps, this.intervalSteps)) return false;
    const latest = trial.intermediateValues.get(step) as number;
    return Number.isNaN(latest) || latest < this.lower || latest > this.upper;
  }
}
