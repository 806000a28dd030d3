import { relative } from "node:path";
import type { ModelVersion, Run } from "../tracking/entities";
import { searchRuns } from "../tracking/fluent";
import { MLFLOW_TAGS } from "../tracking/systemTags";
import { formatSeconds } from "./format";

/** One thing MLflow recorded about a run without being asked. */
export interface SystemRecord {
  readonly recorded: string;
  readonly where: string;
  readonly value: string;
}

const iso = (ms: number): string => new Date(ms).toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC");

/**
 * What MLflow recorded by itself for `run`: the source (shown relative to `root` when inside
 * it), the git commit, the user, start and end times and the status; a missing one says so.
 */
export function systemRecords(run: Run, root?: string): SystemRecord[] {
  const tags = new Map(run.data.tags.map((t) => [t.key, t.value]));
  const tag = (key: string): string => tags.get(key) ?? "(not recorded)";
  const source = tags.get(MLFLOW_TAGS.sourceName);
  const shownSource = source !== undefined && root !== undefined && source.startsWith(root) ? relative(root, source) : (source ?? "(not recorded)");
  const commit = tags.get(MLFLOW_TAGS.gitCommit);
  const { startTime, endTime } = run.info;
  return [
    { recorded: "source", where: `tag ${MLFLOW_TAGS.sourceName}`, value: `${shownSource} (${tag(MLFLOW_TAGS.sourceType)})` },
    { recorded: "git commit", where: `tag ${MLFLOW_TAGS.gitCommit}`, value: commit === undefined ? "(not recorded: the source is not in a git checkout)" : commit.slice(0, 12) },
    { recorded: "user", where: `tag ${MLFLOW_TAGS.user}`, value: tag(MLFLOW_TAGS.user) },
    { recorded: "start", where: "run info start_time", value: iso(startTime) },
    {
      recorded: "end",
      where: "run info end_time",
      value: endTime === null ? "(still running)" : `${iso(endTime)} (${formatSeconds((endTime - startTime) / 1000)} later)`,
    },
    { recorded: "status", where: "run info status", value: run.info.status },
  ];
}

/** The latest value of `metric` in the newest run named `runName` of an experiment, or undefined when there is none. */
export async function latestRunMetric(experimentName: string, runName: string, metric: string): Promise<number | undefined> {
  const runs = await searchRuns({
    experimentNames: [experimentName],
    filterString: `attributes.run_name = '${runName.replace(/'/g, "\\'")}'`,
    orderBy: ["attributes.start_time DESC"],
    maxResults: 1,
  });
  const found = runs[0]?.data.metrics.filter((m) => m.key === metric).sort((a, b) => b.step - a.step || b.timestamp - a.timestamp)[0];
  return found?.value;
}

/**
 * A registered model version as field/value rows: name, version, aliases, status, source run, the
 * MLflow 3 logged model it points to (when the store has one), creation time, last line of its description.
 */
export function modelVersionRecords(version: ModelVersion): { field: string; value: string }[] {
  const description = (version.description ?? "").trim().split("\n").pop() ?? "";
  return [
    { field: "name", value: version.name },
    { field: "version", value: version.version },
    { field: "aliases", value: version.aliases.length === 0 ? "(none)" : version.aliases.map((a) => `@${a}`).join(", ") },
    { field: "status", value: version.status },
    { field: "from run", value: version.runId ?? "(none)" },
    ...(version.modelId === null ? [] : [{ field: "logged model", value: `models:/${version.modelId}` }]),
    { field: "created", value: iso(version.creationTimestamp) },
    ...(description === "" ? [] : [{ field: "description", value: description }]),
  ];
}
