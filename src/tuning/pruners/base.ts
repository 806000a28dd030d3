/**
 * The pruner contract (Optuna's `optuna/pruners/_base.py`): one synchronous decision per
 * reported step, taken from the study's cached trials.
 */
import { FrozenTrial } from "../frozenTrial";
import { StudyView } from "../studyView";

/** Decides whether a running trial should stop early. */
export interface Pruner {
  /** True when `trial` (RUNNING, with its intermediate values so far) should be pruned. */
  prune(study: StudyView, trial: FrozenTrial): boolean;
}
