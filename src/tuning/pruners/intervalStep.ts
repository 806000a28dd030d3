/** Optuna's `_is_first_in_interval_step`, shared by the percentile and threshold pruners. */

/**
 * True when `step` is the first reported step at or after the latest pruning checkpoint
 * (`nWarmupSteps + k * intervalSteps`), i.e. no earlier step of this trial already reached it.
 */
export function isFirstInIntervalStep(step: number, steps: Iterable<number>, nWarmupSteps: number, intervalSteps: number): boolean {
  const nearestLowerPruningStep = Math.floor((step - nWarmupSteps) / intervalSteps) * intervalSteps + nWarmupSteps;
  let secondLast = -1;
  for (const s of steps) if (s > secondLast && s !== step) secondLast = s;
  return secondLast < nearestLowerPruningStep;
}
