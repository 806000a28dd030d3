/**
 * A snapshot of a trial (Optuna's `optuna/trial/_frozen.py`): what storages return,
 * what callbacks and samplers see, and what `tell` finalises.
 */
import { Distribution, ParamValue } from "./distributions";
import { JsonValue } from "./json";
import { TrialState } from "./state";

/** A trial's full record. Treat as read-only outside storages. */
export interface FrozenTrial {
  /** Storage-wide id. */
  trialId: number;
  /** 0-based number within its study. */
  number: number;
  state: TrialState;
  /** Objective value (single objective), or null while unset. */
  value: number | null;
  datetimeStart: Date | null;
  datetimeComplete: Date | null;
  /** External parameter values by name. */
  params: Record<string, ParamValue>;
  distributions: Record<string, Distribution>;
  userAttrs: Record<string, JsonValue>;
  systemAttrs: Record<string, JsonValue>;
  /** Reported values by step. */
  intermediateValues: Map<number, number>;
}

/** A fresh trial record with no params, values or attributes. */
export function emptyFrozenTrial(state: TrialState = "RUNNING"): FrozenTrial {
  return {
    trialId: -1,
    number: -1,
    state,
    value: null,
    datetimeStart: null,
    datetimeComplete: null,
    params: {},
    distributions: {},
    userAttrs: {},
    systemAttrs: {},
    intermediateValues: new Map(),
  };
}

/** The largest reported step, or null (Optuna's `FrozenTrial.last_step`). */
export function lastStep(trial: FrozenTrial): number | null {
  let best: number | null = null;
  for (const step of trial.intermediateValues.keys()) if (best === null || step > best) best = step;
  return best;
}

/** Seconds from start to completion, or null while running. */
export function durationSeconds(trial: FrozenTrial): number | null {
  if (trial.datetimeStart === null || trial.datetimeComplete === null) return null;
  return (trial.datetimeComplete.getTime() - trial.datetimeStart.getTime()) / 1000;
}

/** A deep copy (distributions are immutable and shared). */
export function copyFrozenTrial(trial: FrozenTrial): FrozenTrial {
  return {
    ...trial,
    datetimeStart: trial.datetimeStart === null ? null : new Date(trial.datetimeStart.getTime()),
    datetimeComplete: trial.datetimeComplete === null ? null : new Date(trial.datetimeComplete.getTime()),
    params: { ...trial.params },
    distributions: { ...trial.distributions },
    userAttrs: structuredClone(trial.userAttrs),
    systemAttrs: structuredClone(trial.systemAttrs),
    intermediateValues: new Map(trial.intermediateValues),
  };
}

/** Fields of {@link createTrial}. */
export interface CreateTrialOptions {
  state?: TrialState;
  value?: number | null;
  params?: Record<string, ParamValue>;
  distributions?: Record<string, Distribution>;
  userAttrs?: Record<string, JsonValue>;
  systemAttrs?: Record<string, JsonValue>;
  intermediateValues?: Map<number, number> | Record<number, number>;
}

/** A finished trial built by hand, for `study.addTrial` (Optuna's `create_trial`). Defaults to COMPLETE. */
export function createTrial(options: CreateTrialOptions): FrozenTrial {
  const trial = emptyFrozenTrial(options.state ?? "COMPLETE");
  const now = new Date();
  trial.value = options.value ?? null;
  trial.params = { ...(options.params ?? {}) };
  trial.distributions = { ...(options.distributions ?? {}) };
  for (const name of Object.keys(trial.params)) {
    const dist = trial.distributions[name];
    if (dist === undefined) throw new Error(`createTrial: parameter "${name}" has no distribution.`);
    if (!dist.contains(dist.toInternalRepr(trial.params[name] as ParamValue))) throw new Error(`createTrial: value ${String(trial.params[name])} of "${name}" is outside its distribution.`);
  }
  trial.userAttrs = structuredClone(options.userAttrs ?? {});
  trial.systemAttrs = structuredClone(options.systemAttrs ?? {});
  const iv = options.intermediateValues ?? new Map<number, number>();
  trial.intermediateValues = iv instanceof Map ? new Map(iv) : new Map(Object.entries(iv).map(([k, v]) => [Number(k), v]));
  trial.datetimeStart = now;
  trial.datetimeComplete = trial.state === "RUNNING" || trial.state === "WAITING" ? null : now;
  return trial;
}
