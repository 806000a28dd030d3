import type { Run } from "../tracking/entities";
import { formatPercent, formatPln, formatWhole } from "./format";
import type { PlotlyChart } from "./plotly";
import { transposeRecords } from "./table";

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

/** Above this ratio of the largest to the smallest bar, {@link comparisonChart} switches to a log axis. */
export const LOG_AXIS_RATIO = 5;

/**
 * Grouped bars of mean cross-validated RMSE, train next to test, one group per model, each bar
 * labelled with its value. When one model's error dwarfs the others' (more than
 * {@link LOG_AXIS_RATIO} times the smallest), the axis is logarithmic and a note says so and why.
 */
export function comparisonChart(rows: readonly ComparedModel[], title = "Mean 5-fold RMSE by model (lower is better)"): PlotlyChart {
  const names = rows.map((r) => r.name);
  const values = rows.flatMap((r) => [r.trainRmse, r.testRmse]).filter((v) => v > 0);
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const log = values.length > 0 && hi / lo > LOG_AXIS_RATIO;
  const tests = rows.map((r) => r.testRmse);
  const bestTest = Math.min(...tests);
  const worst = rows.find((r) => r.testRmse === Math.max(...tests));
  const label = (v: number): string => formatWhole(v);
  return {
    data: [
      { type: "bar", name: "train RMSE", x: names, y: rows.map((r) => r.trainRmse), text: rows.map((r) => label(r.trainRmse)), textposition: "outside", cliponaxis: false, marker: { color: "#9ECAE9" } },
      { type: "bar", name: "test RMSE", x: names, y: rows.map((r) => r.testRmse), text: rows.map((r) => label(r.testRmse)), textposition: "outside", cliponaxis: false, marker: { color: "#4C78A8" } },
    ],
    layout: {
      title: { text: title },
      barmode: "group",
      xaxis: { title: { text: "model" }, automargin: true },
      yaxis: {
        title: { text: log ? "RMSE (PLN, log scale)" : "RMSE (PLN)" },
        type: log ? "log" : "linear",
        automargin: true,
        // Log axes label minor ticks in a smaller font: label 1-2-5 steps instead, at the full size.
        ...(log ? logTicks(lo, hi) : {}),
      },
      legend: { orientation: "h", x: 1, xanchor: "right", y: 1.02, yanchor: "bottom" },
      annotations:
        log && worst !== undefined
          ? [
              {
                text: `Log scale: ${worst.name}'s test RMSE is ${Math.round(worst.testRmse / bestTest)}× the best one's`,
                xref: "paper", yref: "paper", x: 0, y: 1.02, xanchor: "left", yanchor: "bottom", showarrow: false,
              },
            ]
          : [],
      margin: { t: 90, r: 20 },
    },
  };
}

/** Tick values at 1, 2 and 5 times powers of ten spanning [lo, hi], labelled "20k", "500k". */
function logTicks(lo: number, hi: number): { tickvals: number[]; ticktext: string[] } {
  const tickvals: number[] = [];
  for (let p = Math.floor(Math.log10(lo)); p <= Math.ceil(Math.log10(hi)); p++) {
    for (const m of [1, 2, 5]) {
      const v = m * 10 ** p;
      if (v >= lo / 1.5 && v <= hi * 1.5) tickvals.push(v);
    }
  }
  const short = (v: number): string => (v >= 1e6 ? `${v / 1e6}M` : v >= 1e3 ? `${v / 1e3}k` : String(v));
  return { tickvals, ticktext: tickvals.map(short) };
}

/**
 * What the comparison shows, in sentences generated from its rows: the best model by test RMSE
 * (and by MAPE when another model wins there), how far its training error sits below its test
 * error, and which model is far off, if one is.
 */
export function comparisonFindings(rows: readonly ComparedModel[]): string[] {
  if (rows.length === 0) return [];
  const byRmse = [...rows].sort((a, b) => a.testRmse - b.testRmse);
  const byMape = [...rows].sort((a, b) => a.testMape - b.testMape);
  const best = byRmse[0] as ComparedModel;
  const second = byRmse[1];
  const bestMape = byMape[0] as ComparedModel;
  const out: string[] = [];
  out.push(
    `**${best.name}** has the lowest mean test RMSE, ${formatPln(best.testRmse)}` +
      (second === undefined ? "." : `, ${formatPercent(1 - best.testRmse / second.testRmse)} below ${second.name}'s ${formatPln(second.testRmse)}.`),
  );
  out.push(
    bestMape === best
      ? `It also has the lowest mean test MAPE, ${formatPercent(best.testMape)}.`
      : `By MAPE, **${bestMape.name}** is best (${formatPercent(bestMape.testMape)} against ${best.name}'s ${formatPercent(best.testMape)}).`,
  );
  const ratio = best.trainRmse / best.testRmse;
  out.push(
    ratio < 0.8
      ? `${best.name} overfits: its training RMSE (${formatPln(best.trainRmse)}) is ${formatPercent(ratio, 0)} of its test RMSE.`
      : `${best.name}'s training RMSE (${formatPln(best.trainRmse)}) is close to its test RMSE: little overfitting.`,
  );
  const worst = byRmse[byRmse.length - 1] as ComparedModel;
  if (worst !== best && worst.testRmse > LOG_AXIS_RATIO * best.testRmse) {
    out.push(`${worst.name} with default settings is far off: ${formatPln(worst.testRmse)}, ${Math.round(worst.testRmse / best.testRmse)}× the best.`);
  }
  return out;
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

/** A metric the runs table shows, with its row label (units included). */
export interface RunsTableMetric {
  readonly key: string;
  readonly label: string;
}

/**
 * Runs side by side: one column per run (by name), one row per field: id, status, the run's
 * time from start to end, then the chosen metrics under their labels. Narrow enough for a
 * slide where {@link runsRecords} with many metrics is too wide.
 */
export function runsTable(runs: readonly Run[], metrics: readonly RunsTableMetric[]): Record<string, unknown>[] {
  const records = runsRecords(runs, { metrics: metrics.map((m) => m.key) }).map((r) => {
    const row: Record<string, unknown> = { run: r["run"], "run id": r["id"], status: r["status"], "run time (s)": r["seconds"] };
    for (const m of metrics) row[m.label] = r[m.key];
    return row;
  });
  return transposeRecords(records, "run", { header: "" });
}
