/**
 * Tuning errors, named after Optuna's (`optuna/exceptions.py`).
 */

/** Thrown by an objective to tell the study that the trial was pruned (Optuna's `TrialPruned`). */
export class TrialPruned extends Error {
  override name = "TrialPruned";
  constructor(message = "Trial was pruned.") {
    super(message);
  }
}

/** A study with the requested name already exists in the storage (Optuna's `DuplicatedStudyError`). */
export class DuplicatedStudyError extends Error {
  override name = "DuplicatedStudyError";
}

/** A study, trial or attribute looked up by key does not exist (Python's `KeyError`). */
export class KeyError extends Error {
  override name = "KeyError";
}

/** A storage-level failure, e.g. an update of a finished trial (Optuna's `StorageInternalError`). */
export class StorageInternalError extends Error {
  override name = "StorageInternalError";
}

/** An operation that the trial's state does not allow (Optuna's `UpdateFinishedTrialError`). */
export class UpdateFinishedTrialError extends Error {
  override name = "UpdateFinishedTrialError";
}
