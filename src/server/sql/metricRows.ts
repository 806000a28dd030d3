/**
 * Metric rows as MLflow's SQL store writes them: every point appended to `metrics`, and the
 * latest value per key kept in `latest_metrics` as the max by (step, timestamp, value).
 * NaN is stored as `is_nan = 1` (value 0 in `metrics`, -Number.MAX_VALUE in
 * `latest_metrics`), and the database's upsert compares those stored values.
 */
import type { Metric } from "../../tracking/entities";
import { MlflowError } from "../../tracking/errors";
import type { SqlTx, SqlValue } from "./driver";

/** One validated metric-only batch for one run. */
export interface MetricBatch {
  readonly runId: string;
  readonly metrics: readonly Metric[];
}

/** The error MLflow gives a batch for a run in `stage` (undefined: no such run); null when it may be written. */
export function runStageError(runId: string, stage: string | undefined): MlflowError | null {
  if (stage === undefined) return MlflowError.notFound(`Run with id=${runId} not found`);
  if (stage !== "active") return MlflowError.invalidParameterValue(`The run ${runId} must be in the 'active' state. Current state is ${stage}.`);
  return null;
}

/** MLflow's order of the latest value within one batch: max by (step, timestamp, value), NaN lowest. */
export function isLater(a: Metric, b: Metric): boolean {
  if (a.step !== b.step) return a.step > b.step;
  if (a.timestamp !== b.timestamp) return a.timestamp > b.timestamp;
  return (Number.isNaN(b.value) ? -Infinity : b.value) < (Number.isNaN(a.value) ? -Infinity : a.value);
}

/** The value a latest-metric row stores (NaN as -Number.MAX_VALUE, flagged by `is_nan`). */
export function storedLatestValue(value: number): number {
  return Number.isNaN(value) ? -Number.MAX_VALUE : value;
}

/**
 * Whether the upsert of `a` replaces a stored `b`: the `ON CONFLICT ... WHERE` condition of
 * the latest-metrics upsert, on stored values, so folding batches with it in JS gives what
 * upserting them one after the other gives.
 */
export function replacesStored(a: Metric, b: Metric): boolean {
  if (a.step !== b.step) return a.step > b.step;
  if (a.timestamp !== b.timestamp) return a.timestamp > b.timestamp;
  return storedLatestValue(a.value) > storedLatestValue(b.value);
}

/** The latest metric of each key in one batch, in first-seen key order. */
export function latestByKey(metrics: readonly Metric[]): Map<string, Metric> {
  const latest = new Map<string, Metric>();
  for (const m of metrics) {
    const prev = latest.get(m.key);
    if (prev === undefined || isLater(m, prev)) latest.set(m.key, m);
  }
  return latest;
}

/** The upsert keeping the latest value: replaces a stored row only when {@link replacesStored}. */
export const UPSERT_LATEST_CONDITION = `ON CONFLICT (run_uuid, key) DO UPDATE SET value = excluded.value, is_nan = excluded.is_nan, timestamp = excluded.timestamp, step = excluded.step
  WHERE excluded.step > latest_metrics.step
     OR (excluded.step = latest_metrics.step AND excluded.timestamp > latest_metrics.timestamp)
     OR (excluded.step = latest_metrics.step AND excluded.timestamp = latest_metrics.timestamp AND excluded.value > latest_metrics.value)`;

/** Appends one batch's points of a run (in order) and upserts its latest values, inside `tx`. */
export async function insertMetrics(tx: SqlTx, runId: string, metrics: readonly Metric[]): Promise<void> {
  if (metrics.length === 0) return;
  const chunk = 100;
  for (let start = 0; start < metrics.length; start += chunk) {
    const part = metrics.slice(start, start + chunk);
    const values: SqlValue[] = [];
    for (const m of part) {
      const isNan = Number.isNaN(m.value);
      values.push(runId, m.key, isNan ? 0 : m.value, isNan ? 1 : 0, m.timestamp, m.step);
    }
    await tx.run(
      `INSERT INTO metrics (run_uuid, key, value, is_nan, timestamp, step) VALUES ${part.map(() => "(?, ?, ?, ?, ?, ?)").join(", ")}`,
      values,
    );
  }
  // Distinct keys, so one multi-row upsert never touches a row twice.
  const latest = [...latestByKey(metrics).values()];
  for (let start = 0; start < latest.length; start += chunk) {
    const part = latest.slice(start, start + chunk);
    const values: SqlValue[] = [];
    for (const m of part) values.push(runId, m.key, storedLatestValue(m.value), Number.isNaN(m.value) ? 1 : 0, m.timestamp, m.step);
    await tx.run(
      `INSERT INTO latest_metrics (run_uuid, key, value, is_nan, timestamp, step) VALUES ${part.map(() => "(?, ?, ?, ?, ?, ?)").join(", ")}
       ${UPSERT_LATEST_CONDITION}`,
      values,
    );
  }
}
