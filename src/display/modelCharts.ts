import type { Run } from "../tracking/entities";
import type { PlotlyChart } from "./plotly";

/** The figures of one compared model that the comparison table and chart show (a `ModelComparisonRow` fits). */
export interface ComparedModel {
  readonly name: string;
  readonly testRmse: number;
  readonly trainRmse: number;
  readonly testMape: number;
  readonly trainMape: number;
  readonly fitTime: number;
}

/** Comparison rows as table rows, RMSE in whole PLN and MAPE in percent. */
export function comparisonRecords(rows: readonly ComparedModel[]): Record<string, string | number>[] {
  return rows.map((r) => ({
    model: r.name,
    "test RMSE": Math.round(r.testRmse),
    "train RMSE": Math.round(r.trainRmse),
    "test MAPE %": Number((100 * r.testMape).toFixed(2)),
    "train MAPE %": Number((100 * r.trainMape).toFixed(2)),
    "fit s / fold": Number(r.fitTime.toFixed(3)),
  }));
}

/** Grouped bars of mean cross-validated RMSE, train next to test, one group per model. */
export function comparisonChart(rows: readonly ComparedModel[], title = "Mean 5-fold RMSE by model (lower is better)"): PlotlyChart {
  const names = rows.map((r) => r.name);
  return {
    data: [
      { type: "bar", name: "train RMSE", x: names, y: rows.map((r) => r.trainRmse), marker: { color: "#9ECAE9" } },
      { type: "bar", name: "test RMSE", x: names, y: rows.map((r) => r.testRmse), marker: { color: "#4C78A8" } },
    ],
    layout: {
      title: { text: title },
      barmode: "group",
      yaxis: { title: { text: "RMSE (PLN)" } },
      margin: { t: 50, r: 20 },
    },
  };
}

/** Options of {@link runsRecords}. */
export interface RunsRecordsOptions {
  /** Metric keys to show as columns (default: every metric key of the runs, sorted). */
  readonly metrics?: readonly string[];
  /** Param keys to show as columns (default: none). */
  readonly params?: readonly string[];
}

/** Runs read back from a tracking store as table rows: name, short id, status, seconds, then params and latest metrics. */
export function runsRecords(runs: readonly Run[], options: RunsRecordsOptions = {}): Record<string, string | number | null>[] {
  const metricKeys = options.metrics ?? [...new Set(runs.flatMap((r) => r.data.metrics.map((m) => m.key)))].sort();
  const paramKeys = options.params ?? [];
  return runs.map((run) => {
    const row: Record<string, string | number | null> = {
      run: run.info.runName,
      id: run.info.runId.slice(0, 8),
      status: run.info.status,
      seconds: run.info.endTime === null ? null : Number(((run.info.endTime - run.info.startTime) / 1000).toFixed(2)),
    };
    for (const key of paramKeys) row[key] = run.data.params.find((p) => p.key === key)?.value ?? null;
    for (const key of metricKeys) {
      const latest = run.data.metrics.filter((m) => m.key === key).sort((a, b) => b.step - a.step || b.timestamp - a.timestamp)[0];
      row[key] = latest === undefined ? null : latest.value;
    }
    return row;
  });
}
