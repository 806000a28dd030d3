/**
 * What samplers and pruners may see and do with a study: a synchronous view over the study's
 * trial cache (refreshed from storage before every trial), so that pruning decisions can be
 * taken inside a synchronous training loop.
 */
import { FrozenTrial } from "./frozenTrial";
import { JsonValue } from "./json";
import { StudyDirection, TrialState } from "./state";

/** Options of {@link StudyView.getTrials}. */
export interface TrialFilter {
  /** Only trials in these states (all when omitted). */
  states?: readonly TrialState[];
}

/** The study as samplers and pruners see it. */
export interface StudyView {
  readonly studyName: string;
  readonly direction: StudyDirection;
  /** Trials ordered by number, from the cache. Do not mutate them. */
  getTrials(filter?: TrialFilter): FrozenTrial[];
  /** Sets a system attribute now in the cache and, in the background, in the storage. */
  setTrialSystemAttr(trialId: number, key: string, value: JsonValue): void;
  /** Asks the optimisation loop to stop after the running trials. */
  stop(): void;
}
