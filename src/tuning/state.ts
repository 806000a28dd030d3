/** Life-cycle state of a trial, spelled as Optuna stores it in its RDB schema. */
export type TrialState = "RUNNING" | "COMPLETE" | "PRUNED" | "FAIL" | "WAITING";

/** The trial states by name, for `TrialState.COMPLETE`-style use. */
export const TrialState = {
  RUNNING: "RUNNING",
  COMPLETE: "COMPLETE",
  PRUNED: "PRUNED",
  FAIL: "FAIL",
  WAITING: "WAITING",
} as const satisfies Record<string, TrialState>;

/** True for COMPLETE, PRUNED and FAIL (Optuna's `TrialState.is_finished`). */
export function isFinished(state: TrialState): boolean {
  return state === "COMPLETE" || state === "PRUNED" || state === "FAIL";
}

/** Direction of optimisation, spelled as Optuna stores it. */
export type StudyDirection = "MINIMIZE" | "MAXIMIZE";

/** Accepts Optuna's spellings ("minimize", "MAXIMIZE"...) and returns the stored one. */
export function parseDirection(direction: string): StudyDirection {
  const upper = direction.toUpperCase();
  if (upper !== "MINIMIZE" && upper !== "MAXIMIZE") {
    throw new Error(`direction must be "minimize" or "maximize", got "${direction}"`);
  }
  return upper;
}
