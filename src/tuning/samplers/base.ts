/**
 * The sampler contract, after Optuna's `optuna/samplers/_base.py`: a relative (joint) step
 * over an inferred search space at the start of a trial, then an independent step for each
 * parameter that the relative step did not cover.
 */
import { Distribution, ParamValue } from "../distributions";
import { FrozenTrial } from "../frozenTrial";
import { TrialState } from "../state";
import { StudyView } from "../studyView";

/** A parameter search space: distributions by parameter name. */
export type SearchSpace = Record<string, Distribution>;

/** Proposes parameter values for trials. */
export interface Sampler {
  /** The space sampled jointly by {@link Sampler.sampleRelative} (empty for independent samplers). */
  inferRelativeSearchSpace(study: StudyView, trial: FrozenTrial): SearchSpace;
  /** Values for the relative search space, keyed by name (may omit names). */
  sampleRelative(study: StudyView, trial: FrozenTrial, searchSpace: SearchSpace): Record<string, ParamValue>;
  /** A value for one parameter not covered by the relative step. */
  sampleIndependent(study: StudyView, trial: FrozenTrial, name: string, distribution: Distribution): ParamValue;
  /** Called when a trial starts, before any sampling. */
  beforeTrial?(study: StudyView, trial: FrozenTrial): void;
  /** Called when a trial finishes, before its state is stored. */
  afterTrial?(study: StudyView, trial: FrozenTrial, state: TrialState, value: number | null): void;
}
