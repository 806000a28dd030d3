/**
 * Optuna's `PercentilePruner` (`optuna/pruners/_percentile.py`): prunes when the trial's best
 * intermediate value so far is worse than the given percentile of the COMPLETE trials'
 * values at the same step.
 */
import { ValueError } from "../../errors";
import { FrozenTrial, lastStep } from "../frozenTrial";
import { StudyDirection } from "../state";
import { StudyView } from "../studyView";
import { Pruner } from "./base";
import { isFirstInIntervalStep } from "./intervalStep";

/** Options shared by {@link PercentilePruner} and MedianPruner. */
export interface PercentilePrunerOptions {
  /** No pruning until this many trials completed (default 5). */
  nStartupTrials?: number;
  /** No pruning before this step (default 0). */
  nWarmupSteps?: number;
  /** Decide only every this many steps after the warm-up (default 1). */
  intervalSteps?: number;
  /** Need at least this many completed trials reporting the step (default 1). */
  nMinTrials?: number;
}

/** Prunes trials below a percentile of completed trials at the same step. */
export class PercentilePruner implements Pruner {
  private readonly nStartupTrials: number;
  private readonly nWarmupSteps: number;
  private readonly intervalSteps: number;
  private readonly nMinTrials: number;

  /** @param percentile in [0, 100]; for minimisation, larger values prune less. */
  constructor(
    private readonly percentile: number,
    options: PercentilePrunerOptions = {},
  ) {
    this.nStartupTrials = options.nStartupTrials ?? 5;
    this.nWarmupSteps = options.nWarmupSteps ?? 0;
    this.intervalSteps = options.intervalSteps ?? 1;
    this.nMinTrials = options.nMinTrials ?? 1;
    if (!(percentile >= 0 && percentile <= 100)) throw new ValueError(`Percentile must be between 0 and 100 inclusive but got ${percentile}.`);
    if (this.nStartupTrials < 0) throw new ValueError(`Number of startup trials cannot be negative but got ${this.nStartupTrials}.`);
    if (this.nWarmupSteps < 0) throw new ValueError(`Number of warmup steps cannot be negative but got ${this.nWarmupSteps}.`);
    if (this.intervalSteps < 1) throw new ValueError(`Pruning interval steps must be at least 1 but got ${this.intervalSteps}.`);
    if (this.nMinTrials < 1) throw new ValueError(`Number of trials for pruning must be at least 1 but got ${this.nMinTrials}.`);
  }

  prune(study: StudyView, trial: FrozenTrial): boolean {
    const completed = study.getTrials({ states: ["COMPLETE"] });
    if (completed.length === 0 || completed.length < this.nStartupTrials) return false;
    const step = lastStep(trial);
    if (step === null || step < this.nWarmupSteps) return false;
    if (!isFirstInIntervalStep(step, trial.intermediateValues.keys(), this.nWarmupSteps, this.intervalSteps)) return false;
    const best = bestIntermediateValue(trial, study.direction);
    if (Number.isNaN(best)) return true;
    const p = percentileOverTrials(completed, study.direction, step, this.percentile, this.nMinTrials);
    if (Number.isNaN(p)) return false;
    return study.direction === "MAXIMIZE" ? best < p : best > p;
  }
}

/** `np.nanmin` / `np.nanmax` of the trial's intermediate values (NaN when all are NaN). */
export function bestIntermediateValue(trial: FrozenTrial, direction: StudyDirection): number {
  let best = NaN;
  for (const v of trial.intermediateValues.values()) {
    if (Number.isNaN(v)) continue;
    if (Number.isNaN(best) || (direction === "MAXIMIZE" ? v > best : v < best)) best = v;
  }
  return best;
}

/** `np.nanpercentile` (linear interpolation) of completed trials' values at `step`. */
export function percentileOverTrials(completed: readonly FrozenTrial[], direction: StudyDirection, step: number, percentile: number, nMinTrials: number): number {
  const values: number[] = [];
  for (const t of completed) {
    const v = t.intermediateValues.get(step);
    if (v !== undefined) values.push(v);
  }
  if (values.length < nMinTrials) return NaN;
  const q = direction === "MAXIMIZE" ? 100 - percentile : percentile;
  return nanPercentile(values, q);
}

/** NumPy's default (linear) percentile, ignoring NaN; NaN when nothing is left. */
export function nanPercentile(values: readonly number[], q: number): number {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const position = ((sorted.length - 1) * q) / 100;
  const lo = Math.floor(position);
  const hi = Math.min(lo + 1, sorted.length - 1);
  const frac = position - lo;
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return frac === 0 ? a : a + (b - a) * frac;
}
