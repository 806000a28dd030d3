/**
 * Optuna's `HyperbandPruner` (`optuna/pruners/_hyperband.py`): several successive-halving
 * brackets with different early-stopping rates; each trial is assigned to a bracket by
 * `crc32("<study name>_<trial number>")`, and both pruner and sampler see only its bracket.
 */
import { ValueError } from "../../errors";
import { FrozenTrial, lastStep } from "../frozenTrial";
import { JsonValue } from "../json";
import { StudyDirection } from "../state";
import { StudyView, TrialFilter } from "../studyView";
import { Pruner } from "./base";
import { crc32 } from "./crc32";
import { SuccessiveHalvingPruner } from "./successiveHalving";

/** Options of {@link HyperbandPruner}. */
export interface HyperbandOptions {
  /** Default 1. */
  minResource?: number;
  /** Steps of a full run, or "auto" (last step of the first completed trial + 1). */
  maxResource?: number | "auto";
  /** Default 3. */
  reductionFactor?: number;
  /** Default 0. */
  bootstrapCount?: number;
}

/** Hyperband over asynchronous successive-halving brackets. */
export class HyperbandPruner implements Pruner {
  private readonly minResource: number;
  private maxResource: number | "auto";
  private readonly reductionFactor: number;
  private readonly bootstrapCount: number;
  private readonly pruners: SuccessiveHalvingPruner[] = [];
  private totalBudget = 0;
  private readonly budgets: number[] = [];
  private nBrackets: number | null = null;

  constructor(options: HyperbandOptions = {}) {
    this.minResource = options.minResource ?? 1;
    this.maxResource = options.maxResource ?? "auto";
    this.reductionFactor = options.reductionFactor ?? 3;
    this.bootstrapCount = options.bootstrapCount ?? 0;
    if (this.bootstrapCount > 0 && this.maxResource === "auto") {
      throw new ValueError(`bootstrap_count > 0 and max_resource == 'auto' are mutually incompatible, bootstrap_count is ${this.bootstrapCount}`);
    }
  }

  prune(study: StudyView, trial: FrozenTrial): boolean {
    if (this.pruners.length === 0) {
      this.initialize(study);
      if (this.pruners.length === 0) return false;
    }
    const bracketId = this.bracketId(study.studyName, trial.number);
    return (this.pruners[bracketId] as SuccessiveHalvingPruner).prune(this.bracketStudy(study, bracketId), trial);
  }

  /** @internal The bracket of a trial (0 before the pruner is initialised). */
  bracketId(studyName: string, trialNumber: number): number {
    if (this.pruners.length === 0 || this.nBrackets === null) return 0;
    let n = crc32(`${studyName}_${trialNumber}`) % this.totalBudget;
    for (let b = 0; b < this.nBrackets; b++) {
      n -= this.budgets[b] as number;
      if (n < 0) return b;
    }
    throw new Error("unreachable: bracket budget exhausted");
  }

  /** @internal A view of the study restricted to one bracket's trials. */
  bracketStudy(study: StudyView, bracketId: number): StudyView {
    return new BracketStudyView(study, this, bracketId);
  }

  private initialize(study: StudyView): void {
    if (this.maxResource === "auto") {
      const steps = study.getTrials({ states: ["COMPLETE"] }).map(lastStep).filter((s): s is number => s !== null);
      if (steps.length === 0) return;
      this.maxResource = Math.max(...steps) + 1;
    }
    this.nBrackets ??= Math.floor(Math.log(this.maxResource / this.minResource) / Math.log(this.reductionFactor)) + 1;
    for (let b = 0; b < this.nBrackets; b++) {
      const s = this.nBrackets - 1 - b;
      const budget = Math.ceil((this.nBrackets * this.reductionFactor ** s) / (s + 1));
      this.totalBudget += budget;
      this.budgets.push(budget);
      this.pruners.push(
        new SuccessiveHalvingPruner({ minResource: this.minResource, reductionFactor: this.reductionFactor, minEarlyStoppingRate: b, bootstrapCount: this.bootstrapCount }),
      );
    }
  }
}

class BracketStudyView implements StudyView {
  constructor(
    private readonly study: StudyView,
    private readonly pruner: HyperbandPruner,
    private readonly bracket: number,
  ) {}

  get studyName(): string {
    return this.study.studyName;
  }

  get direction(): StudyDirection {
    return this.study.direction;
  }

  getTrials(filter?: TrialFilter): FrozenTrial[] {
    return this.study.getTrials(filter).filter((t) => this.pruner.bracketId(this.study.studyName, t.number) === this.bracket);
  }

  setTrialSystemAttr(trialId: number, key: string, value: JsonValue): void {
    this.study.setTrialSystemAttr(trialId, key, value);
  }

  stop(): void {
    this.study.stop();
  }
}

/** Optuna's `_filter_study`: under a HyperbandPruner, samplers see only the trial's bracket. */
export function filterStudy(study: StudyView & { readonly pruner: Pruner }, trial: FrozenTrial): StudyView {
  const pruner = study.pruner;
  if (pruner instanceof HyperbandPruner) return pruner.bracketStudy(study, pruner.bracketId(study.studyName, trial.number));
  return study;
}
