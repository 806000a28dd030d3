/**
 * The storage contract, after Optuna's `optuna/storages/_base.py`, made asynchronous so that
 * synchronous (SQLite) and networked (PostgreSQL) back ends fit the same shape.
 *
 * Finished trials are immutable: once COMPLETE, PRUNED or FAIL, a trial is never updated again.
 */
import { Distribution } from "../distributions";
import { UpdateFinishedTrialError } from "../errors";
import { FrozenTrial } from "../frozenTrial";
import { JsonValue } from "../json";
import { StudyDirection, TrialState } from "../state";
import type { StudyView } from "../studyView";

/**
 * Called with each trial that `failStaleTrials` failed (Optuna's `failed_trial_callback`), e.g.
 * to log it or to enqueue its parameters again.
 */
export type FailedTrialCallback = (study: StudyView, trial: FrozenTrial) => void | Promise<void>;

/** One study as listed by {@link Storage.getAllStudies}. */
export interface StudySummary {
  studyId: number;
  studyName: string;
  direction: StudyDirection;
  nTrials: number;
}

/** Options of {@link Storage.getAllTrials}. */
export interface GetTrialsOptions {
  /** Only trials in these states. */
  states?: readonly TrialState[];
  /** Trial ids the caller already holds (finished, hence unchanged): skipped for speed. */
  skipTrialIds?: ReadonlySet<number>;
}

/** A persistent or in-memory store of studies and trials. */
export interface Storage {
  /** Creates a study; throws DuplicatedStudyError when the name is taken. Returns its id. */
  createNewStudy(direction: StudyDirection, studyName?: string): Promise<number>;
  /** Deletes a study and its trials. */
  deleteStudy(studyId: number): Promise<void>;
  /** Id of a named study; throws KeyError when absent. */
  getStudyIdFromName(studyName: string): Promise<number>;
  getStudyNameFromId(studyId: number): Promise<string>;
  getStudyDirection(studyId: number): Promise<StudyDirection>;
  setStudyUserAttr(studyId: number, key: string, value: JsonValue): Promise<void>;
  setStudySystemAttr(studyId: number, key: string, value: JsonValue): Promise<void>;
  getStudyUserAttrs(studyId: number): Promise<Record<string, JsonValue>>;
  getStudySystemAttrs(studyId: number): Promise<Record<string, JsonValue>>;
  getAllStudies(): Promise<StudySummary[]>;

  /** Creates a trial numbered after all earlier ones (atomically), from a template when given. */
  createNewTrial(studyId: number, template?: FrozenTrial): Promise<FrozenTrial>;
  /**
   * Stores a parameter; throws ValueError when the name was stored in this study with an
   * incompatible distribution, and UpdateFinishedTrialError when the trial is finished.
   */
  setTrialParam(trialId: number, name: string, internal: number, distribution: Distribution): Promise<void>;
  /**
   * Sets state and value. Returns false (and changes nothing) when asked to move a trial to
   * RUNNING that is no longer WAITING: another worker took it.
   */
  setTrialStateValues(trialId: number, state: TrialState, value?: number | null): Promise<boolean>;
  setTrialIntermediateValue(trialId: number, step: number, value: number): Promise<void>;
  setTrialUserAttr(trialId: number, key: string, value: JsonValue): Promise<void>;
  setTrialSystemAttr(trialId: number, key: string, value: JsonValue): Promise<void>;
  getTrial(trialId: number): Promise<FrozenTrial>;
  getTrialIdFromStudyIdTrialNumber(studyId: number, number: number): Promise<number>;
  /** Trials of a study ordered by number. */
  getAllTrials(studyId: number, options?: GetTrialsOptions): Promise<FrozenTrial[]>;

  /** Heartbeat interval in seconds, or null when heartbeats are off. */
  readonly heartbeatInterval: number | null;
  /** Records that a RUNNING trial is alive. */
  recordHeartbeat(trialId: number): Promise<void>;
  /**
   * Records a heartbeat without yielding to the event loop, when the back end can (SQLite);
   * returns false when it could not, and the caller falls back to {@link Storage.recordHeartbeat}.
   */
  recordHeartbeatSync?(trialId: number): boolean;
  /** RUNNING trials whose last heartbeat is older than the grace period. */
  getStaleTrialIds(studyId: number): Promise<number[]>;
  /** Called with each trial failed as stale; absent or null when none. */
  readonly failedTrialCallback?: FailedTrialCallback | null;

  /** Releases connections. */
  close(): Promise<void>;
}

/** Throws unless `trial` may still be updated. */
export function assertUpdatable(trialId: number, state: TrialState): void {
  if (state === "COMPLETE" || state === "PRUNED" || state === "FAIL") {
    throw new UpdateFinishedTrialError(`Trial#${trialId} has already finished and can not be updated.`);
  }
}
