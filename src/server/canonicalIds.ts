/**
 * Experiment ids in one form, decided once at the edge of the server. MLflow's SQL store
 * reads an experiment id with Python's `int()`, so `01`, ` 1` and `+1` all reach
 * experiment 1; a permission check comparing the raw strings would miss them. Every id a
 * request carries is rewritten to its canonical decimal before it is authorized and
 * before any handler sees it, so the check and the store always agree.
 */
import type { Params } from "./requestParams";

/** Python's `int()` on ASCII text: surrounding whitespace, an optional `+`, digits with single `_` between them. */
const PYTHON_INT = /^[ \t\n\r\f\v]*\+?([0-9]+(?:_[0-9]+)*)[ \t\n\r\f\v]*$/;

/**
 * The canonical form of an experiment id: the decimal digits without leading zeros when
 * the text reads as a non-negative integer (as MLflow's store reads it); otherwise the
 * text unchanged (a store then finds no such experiment).
 */
export function canonicalExperimentId(id: string): string {
  const m = PYTHON_INT.exec(id);
  if (m === null) return id;
  return BigInt((m[1] as string).replace(/_/g, "")).toString();
}

function canonicalValue(value: unknown): unknown {
  if (typeof value === "string") return canonicalExperimentId(value);
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return String(value);
  return value;
}

/** The request's parameters with `experiment_id` and `experiment_ids` canonical (other fields untouched). */
export function canonicalizeIds(params: Params): Params {
  const out: Params = { ...params };
  if (out.experiment_id !== undefined && out.experiment_id !== null) out.experiment_id = canonicalValue(out.experiment_id);
  const ids = out.experiment_ids;
  if (Array.isArray(ids)) out.experiment_ids = ids.map(canonicalValue);
  else if (ids !== undefined && ids !== null) out.experiment_ids = canonicalValue(ids);
  return out;
}
