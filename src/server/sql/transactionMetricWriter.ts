/**
 * The write path of metric-only batches for drivers without a one-statement form (SQLite):
 * a whole group of batches in one transaction, so a busy server pays one commit (one WAL
 * append) for many requests. Each batch checks its run first; a batch whose run is missing
 * or not active writes nothing and gets MLflow's error, without failing the others.
 */
import type { SqlDriver } from "./driver";
import type { GroupWriter } from "./groupCommit";
import { insertMetrics, runStageError, type MetricBatch } from "./metricRows";

/** Writes groups of metric-only batches in one transaction of `driver` (a {@link GroupWriter}). */
export class TransactionMetricWriter implements GroupWriter<MetricBatch> {
  constructor(private readonly driver: SqlDriver) {}

  weight(batch: MetricBatch): number {
    return batch.metrics.length;
  }

  writeGroup(batches: readonly MetricBatch[]): Promise<readonly (Error | null)[]> {
    return this.driver.transaction(async (tx) => {
      const outcomes: (Error | null)[] = [];
      for (const { runId, metrics } of batches) {
        const rows = await tx.all("SELECT lifecycle_stage FROM runs WHERE run_uuid = ?", [runId]);
        const refused = runStageError(runId, rows[0] === undefined ? undefined : String(rows[0].lifecycle_stage));
        if (refused === null) await insertMetrics(tx, runId, metrics);
        outcomes.push(refused);
      }
      return outcomes;
    });
  }
}
