/**
 * Optuna's `SuccessiveHalvingPruner` (asynchronous successive halving,
 * `optuna/pruners/_successive_halving.py`): at rung r (step minResource * rf^(s + r)) a trial
 * survives only if it is in the top 1/reductionFactor of the values recorded at that rung.
 * Rung values are stored as trial system attributes `completed_rung_<r>`.
 */
import { ValueError } from "../../errors";
import { FrozenTrial, lastStep } from "../frozenTrial";
import { StudyDirection } from "../state";
import { StudyView } from "../studyView";
import { Pruner } from "./base";

/** Options of {@link SuccessiveHalvingPruner}. */
export interface SuccessiveHalvingOptions {
  /** First rung's step, or "auto" (last step of the first completed trial / 100). */
  minResource?: number | "auto";
  /** Default 4. */
  reductionFactor?: number;
  /** Rung offset s (default 0). */
  minEarlyStoppingRate?: number;
  /** Trials needed at a rung before any is promoted (default 0). */
  bootstrapCount?: number;
}

/** Asynchronous successive halving. */
export class SuccessiveHalvingPruner implements Pruner {
  private minResource: number | null;
  private readonly reductionFactor: number;
  private readonly minEarlyStoppingRate: number;
  private readonly bootstrapCount: number;

  constructor(options: SuccessiveHalvingOptions = {}) {
    const minResource = options.minResource ?? "auto";
    this.reductionFactor = options.reductionFactor ?? 4;
    this.minEarlyStoppingRate = options.minEarlyStoppingRate ?? 0;
    this.bootstrapCount = options.bootstrapCount ?? 0;
    if (typeof minResource === "number" && minResource < 1) {
      throw new ValueError(`The value of \`min_resource\` is ${minResource}, but must be either \`min_resource >= 1\` or 'auto'`);
    }
    if (this.reductionFactor < 2) throw new ValueError(`The value of \`reduction_factor\` is ${this.reductionFactor}, but must be \`reduction_factor >= 2\``);
    if (this.minEarlyStoppingRate < 0) {
      throw new ValueError(`The value of \`min_early_stopping_rate\` is ${this.minEarlyStoppingRate}, but must be \`min_early_stopping_rate >= 0\``);
    }
    if (this.bootstrapCount < 0) throw new ValueError(`The value of \`bootstrap_count\` is ${this.bootstrapCount}, but must be \`bootstrap_count >= 0\``);
    if (this.bootstrapCount > 0 && minResource === "auto") {
      throw new ValueError(`bootstrap_count > 0 and min_resource == 'auto' are mutually incompatible, bootstrap_count is ${this.bootstrapCount}`);
    }
    this.minResource = minResource === "auto" ? null : minResource;
  }

  prune(study: StudyView, trial: FrozenTrial): boolean {
    const step = lastStep(trial);
    if (step === null) return false;
    let rung = currentRung(trial);
    const value = trial.intermediateValues.get(step) as number;
    let trials: FrozenTrial[] | undefined;
    for (;;) {
      if (this.minResource === null) {
        trials ??= study.getTrials();
        this.minResource = estimateMinResource(trials);
        if (this.minResource === null) return false;
      }
      const rungPromotionStep = this.minResource * this.reductionFactor ** (this.minEarlyStoppingRate + rung);
      if (step < rungPromotionStep) return false;
      if (Number.isNaN(value)) return true;
      trials ??= study.getTrials();
      const key = completedRungKey(rung);
      study.setTrialSystemAttr(trial.trialId, key, value);
      const competing = trials.filter((t) => key in t.systemAttrs && t.trialId !== trial.trialId).map((t) => t.systemAttrs[key] as number);
      competing.push(value);
      if (competing.length <= this.bootstrapCount) return true;
      if (!isPromotable(value, competing, this.reductionFactor, study.direction)) return true;
      rung++;
    }
  }
}

function estimateMinResource(trials: readonly FrozenTrial[]): number | null {
  const steps = trials.filter((t) => t.state === "COMPLETE").map(lastStep).filter((s): s is number => s !== null);
  if (steps.length === 0) return null;
  return Math.max(Math.floor(Math.max(...steps) / 100), 1);
}

function currentRung(trial: FrozenTrial): number {
  let rung = 0;
  while (completedRungKey(rung) in trial.systemAttrs) rung++;
  return rung;
}

/** System attribute key of a rung: `completed_rung_<r>`. */
export function completedRungKey(rung: number): string {
  return `completed_rung_${rung}`;
}

function isPromotable(value: number, competing: number[], reductionFactor: number, direction: StudyDirection): boolean {
  let promotableIdx = Math.floor(competing.length / reductionFactor) - 1;
  if (promotableIdx === -1) promotableIdx = 0;
  competing.sort((a, b) => a - b);
  if (direction === "MAXIMIZE") return value >= (competing[competing.length - 1 - promotableIdx] as number);
  return value <= (competing[promotableIdx] as number);
}
