import { parseArgs } from "node:util";
import { MlflowClient, metricsToRecord, openStores, tagsToRecord, type Experiment, type Run } from "../tracking";
import { printJsonLine, type Command } from "./command";
import { formatTable } from "./table";

const USAGE = `usage: mlflow-demo-ts runs [--experiment NAME] [--tracking-uri URI] [--kill-running] [--json]

Lists the runs of an MLflow store with their metrics (newest first).
  --experiment NAME   only this experiment (default: every active experiment)
  --tracking-uri URI  the store (default: MLFLOW_TRACKING_URI, else ./mlruns); it must exist
  --kill-running      close runs still marked RUNNING (e.g. left by a killed process) as KILLED
  --json              print one JSON object as the last line`;

function when(ms: number | null): string {
  return ms === null ? "" : new Date(ms).toISOString().replace("T", " ").slice(0, 19);
}

/** `mlflow-demo-ts runs`: list the tracked runs and their metrics. */
export const runsCommand: Command = {
  summary: "list MLflow runs with their metrics",
  usage: USAGE,
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      options: {
        experiment: { type: "string" },
        "tracking-uri": { type: "string" },
        "kill-running": { type: "boolean", default: false },
        json: { type: "boolean", default: false },
      },
      strict: true,
    });
    // Reading never creates a store: a mistyped folder is an error, not an empty new store.
    const client = new MlflowClient(openStores(values["tracking-uri"], { mustExist: true }));
    let experiments: Experiment[];
    if (values.experiment !== undefined) {
      const e = await client.getExperimentByName(values.experiment);
      if (e === null) {
        process.stderr.write(`mlflow-demo-ts runs: no experiment named "${values.experiment}" in ${client.trackingUri}\n`);
        return 1;
      }
      experiments = [e];
    } else {
      experiments = (await client.searchExperiments({ maxResults: 50_000 })).items;
    }
    const killed: string[] = [];
    if (values["kill-running"]) {
      const running = await client.listRunningRuns(experiments.map((e) => e.experimentId));
      killed.push(...(await client.killRuns(running)));
    }
    const report: Array<{ experiment: Experiment; runs: Run[] }> = [];
    for (const experiment of experiments) {
      report.push({ experiment, runs: await client.searchAllRuns([experiment.experimentId]) });
    }
    process.stdout.write(`Tracking URI: ${client.trackingUri}\n`);
    if (killed.length > 0) process.stdout.write(`Closed ${killed.length} RUNNING run(s) as KILLED: ${killed.join(", ")}\n`);
    for (const { experiment, runs } of report) {
      process.stdout.write(`\nExperiment "${experiment.name}" (id ${experiment.experimentId}): ${runs.length} run(s)\n`);
      if (runs.length === 0) continue;
      const metricKeys = [...new Set(runs.flatMap((r) => r.data.metrics.map((m) => m.key)))].sort();
      const rows = runs.map((r) => {
        const metrics = metricsToRecord(r.data.metrics);
        return [r.info.runId.slice(0, 8), r.info.runName, r.info.status, when(r.info.startTime), ...metricKeys.map((k) => metrics[k] ?? "")];
      });
      process.stdout.write(formatTable(["run", "name", "status", "started (UTC)", ...metricKeys], rows) + "\n");
    }
    if (values.json) {
      printJsonLine({
        trackingUri: client.trackingUri,
        killed,
        experiments: report.map(({ experiment, runs }) => ({
          experimentId: experiment.experimentId,
          name: experiment.name,
          runs: runs.map((r) => ({
            runId: r.info.runId,
            runName: r.info.runName,
            status: r.info.status,
            startTime: r.info.startTime,
            endTime: r.info.endTime,
            metrics: metricsToRecord(r.data.metrics),
            params: tagsToRecord(r.data.params),
            tags: tagsToRecord(r.data.tags),
          })),
        })),
      });
    }
    return 0;
  },
};
