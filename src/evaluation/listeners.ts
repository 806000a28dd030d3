import type { Regressor } from "../models/base";
import type { CrossValidateResult } from "./cvResult";

/**
 * Observes cross-validations, so that tracking (which evaluation must not import) can log
 * them: `started` before the first fold, `finished` (awaited) with the result.
 */
export interface CrossValidateListener {
  started?(estimator: Regressor): void;
  finished?(estimator: Regressor, result: CrossValidateResult): void | Promise<void>;
  /** Called instead of `finished` when a fold threw. */
  failed?(estimator: Regressor): void;
}

const listeners = new Set<CrossValidateListener>();

/** Adds a listener; returns the function that removes it. */
export function addCrossValidateListener(listener: CrossValidateListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** @internal Called by `crossValidate`. */
export function notifyStarted(estimator: Regressor): void {
  for (const l of listeners) l.started?.(estimator);
}

/** @internal Called by `crossValidate`. */
export async function notifyFinished(estimator: Regressor, result: CrossValidateResult): Promise<void> {
  for (const l of [...listeners]) await l.finished?.(estimator, result);
}

/** @internal Called by `crossValidate` when a fold threw. */
export function notifyFailed(estimator: Regressor): void {
  for (const l of listeners) l.failed?.(estimator);
}
