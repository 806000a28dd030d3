/**
 * PostgreSQL's write path for metric-only batches (`runs/log-batch` with metrics only, as a
 * training loop sends them): one prepared statement writes a whole group of batches, for any
 * number of runs, with the run checks, the metric rows and the latest-value upserts; it is
 * atomic on its own (one implicit transaction, one durable commit). Rows are passed as
 * column arrays, so the statement text never changes and is planned once per connection.
 * Batches whose run is missing or not active write nothing and get MLflow's error for it.
 */
import type { Metric } from "../../tracking/entities";
import type { SqlValue } from "./driver";
import type { GroupWriter } from "./groupCommit";
import { latestByKey, replacesStored, runStageError, storedLatestValue, UPSERT_LATEST_CONDITION, type MetricBatch } from "./metricRows";
import type { PostgresDriver } from "./postgresDriver";

// Bump the name whenever the text changes: a connection keeps a name's first text.
const STATEMENT_NAME = "mlflow_log_metric_batches_v1";
const STATEMENT = `
WITH run AS (
  SELECT run_uuid, lifecycle_stage FROM runs WHERE run_uuid = ANY($1::text[])
),
ok AS (SELECT run_uuid FROM run WHERE lifecycle_stage = 'active'),
ins AS (
  INSERT INTO metrics (run_uuid, key, value, is_nan, timestamp, step)
  SELECT v.run_uuid, v.key, v.value, v.is_nan, v.timestamp, v.step
  FROM unnest($2::text[], $3::text[], $4::float8[], $5::integer[], $6::bigint[], $7::bigint[])
       WITH ORDINALITY AS v(run_uuid, key, value, is_nan, timestamp, step, n)
  WHERE v.run_uuid IN (SELECT run_uuid FROM ok)
  ORDER BY v.n
),
up AS (
  INSERT INTO latest_metrics (run_uuid, key, value, is_nan, timestamp, step)
  SELECT l.run_uuid, l.key, l.value, l.is_nan, l.timestamp, l.step
  FROM unnest($8::text[], $9::text[], $10::float8[], $11::integer[], $12::bigint[], $13::bigint[])
       WITH ORDINALITY AS l(run_uuid, key, value, is_nan, timestamp, step, n)
  WHERE l.run_uuid IN (SELECT run_uuid FROM ok)
  ORDER BY l.n
  ${UPSERT_LATEST_CONDITION}
)
SELECT run_uuid, lifecycle_stage FROM run`;

/** Column arrays of metric rows, as the statement's unnest takes them. */
class MetricColumns {
  readonly runIds: string[] = [];
  readonly keys: string[] = [];
  readonly values: number[] = [];
  readonly isNan: number[] = [];
  readonly timestamps: number[] = [];
  readonly steps: number[] = [];

  push(runId: string, m: Metric, value: number): void {
    this.runIds.push(runId);
    this.keys.push(m.key);
    this.values.push(value);
    this.isNan.push(Number.isNaN(m.value) ? 1 : 0);
    this.timestamps.push(m.timestamp);
    this.steps.push(m.step);
  }

  params(): SqlValue[][] {
    return [this.runIds, this.keys, this.values, this.isNan, this.timestamps, this.steps];
  }
}

/** Writes groups of metric-only batches to PostgreSQL in one statement (a {@link GroupWriter}). */
export class PostgresMetricWriter implements GroupWriter<MetricBatch> {
  constructor(private readonly driver: PostgresDriver) {}

  weight(batch: MetricBatch): number {
    return batch.metrics.length;
  }

  async writeGroup(batches: readonly MetricBatch[]): Promise<readonly (Error | null)[]> {
    const rows = new MetricColumns();
    // Each batch's own latest values as one batch computes them, then folded across the
    // group with the upsert's own condition: the same result as upserting batch after batch.
    const latest = new Map<string, { runId: string; metric: Metric }>();
    for (const { runId, metrics } of batches) {
      for (const m of metrics) rows.push(runId, m, Number.isNaN(m.value) ? 0 : m.value);
      for (const m of latestByKey(metrics).values()) {
        const id = `${runId}\u0000${m.key}`;
        const prev = latest.get(id);
        if (prev === undefined || replacesStored(m, prev.metric)) latest.set(id, { runId, metric: m });
      }
    }
    // One order for every writer's row locks on latest_metrics (no deadlock between groups).
    const latestRows = new MetricColumns();
    for (const id of [...latest.keys()].sort()) {
      const { runId, metric } = latest.get(id) as { runId: string; metric: Metric };
      latestRows.push(runId, metric, storedLatestValue(metric.value));
    }
    const runIds = [...new Set(batches.map((b) => b.runId))];
    const found = await this.driver.prepared(STATEMENT_NAME, STATEMENT, [runIds, ...rows.params(), ...latestRows.params()]);
    const stages = new Map(found.map((r) => [String(r.run_uuid), String(r.lifecycle_stage)]));
    return batches.map((b) => runStageError(b.runId, stages.get(b.runId)));
  }
}
