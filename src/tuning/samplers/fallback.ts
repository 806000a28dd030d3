/**
 * The part of relative samplers (CMA-ES, the GP) that hands every parameter outside the relative
 * search space (categoricals for CMA-ES, dynamic parameters) to an independent sampler, and
 * forwards the trial hooks to it.
 */
import { Distribution, ParamValue } from "../distributions";
import { FrozenTrial } from "../frozenTrial";
import { TrialState } from "../state";
import { StudyView } from "../studyView";
import { Sampler, SearchSpace } from "./base";

/** A sampler whose independent step is another sampler's. */
export abstract class WithIndependentSampler implements Sampler {
  constructor(protected readonly independent: Sampler) {}

  abstract inferRelativeSearchSpace(study: StudyView, trial: FrozenTrial): SearchSpace;

  abstract sampleRelative(study: StudyView, trial: FrozenTrial, searchSpace: SearchSpace): Record<string, ParamValue>;

  sampleIndependent(study: StudyView, trial: FrozenTrial, name: string, distribution: Distribution): ParamValue {
    return this.independent.sampleIndependent(study, trial, name, distribution);
  }

  beforeTrial(study: StudyView, trial: FrozenTrial): void {
    this.independent.beforeTrial?.(study, trial);
  }

  afterTrial(study: StudyView, trial: FrozenTrial, state: TrialState, value: number | null): void {
    this.independent.afterTrial?.(study, trial, state, value);
  }
}
