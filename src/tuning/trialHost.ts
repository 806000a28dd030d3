/**
 * What a running {@link Trial} needs from its study: the view samplers and pruners see, the
 * sampler, the pruner and the storage. `Study` implements it; the trial depends on this, not on
 * `Study`, so that the study (which creates trials) and the trial do not import each other.
 */
import type { Distribution } from "./distributions";
import type { Pruner } from "./pruners/base";
import type { Sampler } from "./samplers/base";
import type { Storage } from "./storages/base";
import type { StudyView } from "./studyView";

/** The study as a running trial sees it. */
export interface TrialHost extends StudyView {
  /** Storage id of the study. */
  readonly studyId: number;
  readonly storage: Storage;
  readonly sampler: Sampler;
  readonly pruner: Pruner;
  /** Throws Optuna's error when `name` was used in this study with an incompatible distribution. */
  checkParamCompatibility(name: string, distribution: Distribution): void;
}
