/**
 * Optuna's `fail_stale_trials`: RUNNING trials whose worker stopped sending heartbeats for
 * longer than the grace period are marked FAIL, so a killed worker leaves no trial stuck RUNNING.
 * A trial whose recorded worker process is known to be gone (same machine) is failed at once.
 * The storage's `failedTrialCallback` then sees each trial failed here.
 */
import type { FrozenTrial } from "../frozenTrial";
import type { StudyView } from "../studyView";
import type { Storage } from "./base";
import { WORKER_PROCESS_KEY, workerProcessGone } from "./workerProcess";

/** What {@link failStaleTrials} needs of a study (a `Study` is one). */
export interface HeartbeatStudy extends StudyView {
  readonly studyId: number;
  readonly storage: Storage;
}

/** Fails the study's stale trials; returns the numbers of the trials it failed. */
export async function failStaleTrials(study: HeartbeatStudy): Promise<number[]> {
  const storage = study.storage;
  if (storage.heartbeatInterval === null) return [];
  const candidates = new Set(await storage.getStaleTrialIds(study.studyId));
  for (const t of await storage.getAllTrials(study.studyId, { states: ["RUNNING"] })) {
    if (workerProcessGone(t.systemAttrs[WORKER_PROCESS_KEY])) candidates.add(t.trialId);
  }
  const failed: FrozenTrial[] = [];
  for (const trialId of candidates) {
    try {
      if (await storage.setTrialStateValues(trialId, "FAIL")) failed.push(await storage.getTrial(trialId));
    } catch {
      // Another worker finished or failed it first.
    }
  }
  for (const trial of failed) await storage.failedTrialCallback?.(study, trial);
  return failed.map((t) => t.number);
}
