/**
 * Optuna's `fail_stale_trials`: RUNNING trials whose worker stopped sending heartbeats for
 * longer than the grace period are marked FAIL, so a killed worker leaves no trial stuck RUNNING.
 */
import type { Study } from "../study";

/** Fails the study's stale trials; returns the numbers of the trials it failed. */
export async function failStaleTrials(study: Study): Promise<number[]> {
  const storage = study.storage;
  if (storage.heartbeatInterval === null) return [];
  const failed: number[] = [];
  for (const trialId of await storage.getStaleTrialIds(study.studyId)) {
    try {
      if (await storage.setTrialStateValues(trialId, "FAIL")) failed.push((await storage.getTrial(trialId)).number);
    } catch {
      // Another worker finished or failed it first.
    }
  }
  return failed;
}
