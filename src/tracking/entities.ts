/**
 * Tracking and registry entities, mirroring MLflow's protos (`service.proto`,
 * `model_registry.proto`) with camelCase field names. Plain readonly data: every
 * store (file, REST) returns these shapes.
 */

/** A run's state (`RunStatus` in MLflow). */
export type RunStatus = "RUNNING" | "SCHEDULED" | "FINISHED" | "FAILED" | "KILLED";

/** Whether an experiment or run is live or in the trash. */
export type LifecycleStage = "active" | "deleted";

/** Which lifecycle stages a search returns (`ViewType`). */
export type ViewType = "ACTIVE_ONLY" | "DELETED_ONLY" | "ALL";

/** A key/value tag of an experiment. */
export interface ExperimentTag {
  readonly key: string;
  readonly value: string;
}

/** An experiment: a named folder of runs. */
export interface Experiment {
  readonly experimentId: string;
  readonly name: string;
  readonly artifactLocation: string;
  readonly lifecycleStage: LifecycleStage;
  /** Milliseconds since the epoch; null in stores written by old MLflow versions. */
  readonly creationTime: number | null;
  readonly lastUpdateTime: number | null;
  readonly tags: readonly ExperimentTag[];
}

/** One logged value of a metric. */
export interface Metric {
  readonly key: string;
  readonly value: number;
  /** Milliseconds since the epoch. */
  readonly timestamp: number;
  readonly step: number;
}

/** A run parameter: set once, immutable afterwards. */
export interface Param {
  readonly key: string;
  readonly value: string;
}

/** A run tag: may be overwritten. */
export interface RunTag {
  readonly key: string;
  readonly value: string;
}

/** A run's metadata. */
export interface RunInfo {
  readonly runId: string;
  readonly runName: string;
  readonly experimentId: string;
  readonly userId: string;
  readonly status: RunStatus;
  readonly startTime: number;
  readonly endTime: number | null;
  readonly artifactUri: string;
  readonly lifecycleStage: LifecycleStage;
}

/** A run's logged data: the latest value of each metric, params and tags. */
export interface RunData {
  readonly metrics: readonly Metric[];
  readonly params: readonly Param[];
  readonly tags: readonly RunTag[];
}

/** A run: metadata plus data. */
export interface Run {
  readonly info: RunInfo;
  readonly data: RunData;
}

/** One page of results; `nextPageToken` is null on the last page. */
export interface PagedList<T> {
  readonly items: T[];
  readonly nextPageToken: string | null;
}

/** A model registry stage (deprecated in MLflow 2.9 in favour of aliases, still supported). */
export type ModelVersionStage = "None" | "Staging" | "Production" | "Archived";

/** A key/value tag of a registered model. */
export interface RegisteredModelTag {
  readonly key: string;
  readonly value: string;
}

/** A key/value tag of a model version. */
export interface ModelVersionTag {
  readonly key: string;
  readonly value: string;
}

/** An alias pointing at a model version (`version` is a string, as in REST). */
export interface RegisteredModelAlias {
  readonly alias: string;
  readonly version: string;
}

/** A version of a registered model. */
export interface ModelVersion {
  readonly name: string;
  /** The version number as a string ("1"), as MLflow's REST API returns it. */
  readonly version: string;
  readonly creationTimestamp: number;
  readonly lastUpdatedTimestamp: number;
  readonly userId: string | null;
  readonly currentStage: ModelVersionStage;
  readonly description: string | null;
  /** Where the model files are, e.g. `file:///.../artifacts/model`. */
  readonly source: string;
  readonly runId: string | null;
  readonly runLink: string | null;
  readonly status: "READY" | "PENDING_REGISTRATION" | "FAILED_REGISTRATION";
  readonly statusMessage: string | null;
  readonly tags: readonly ModelVersionTag[];
  readonly aliases: readonly string[];
}

/** A named model in the registry. */
export interface RegisteredModel {
  readonly name: string;
  readonly creationTimestamp: number;
  readonly lastUpdatedTimestamp: number;
  readonly description: string | null;
  /** The latest version in each stage. */
  readonly latestVersions: readonly ModelVersion[];
  readonly tags: readonly RegisteredModelTag[];
  readonly aliases: readonly RegisteredModelAlias[];
}

/** One entry of an artifact listing. */
export interface FileInfo {
  /** Path relative to the run's artifact root, with `/` separators. */
  readonly path: string;
  readonly isDir: boolean;
  /** Size in bytes; null for directories. */
  readonly fileSize: number | null;
}

/** MLflow's numeric codes for run status, as written in a run's `meta.yaml`. */
export const RUN_STATUS_CODES: Readonly<Record<RunStatus, number>> = {
  RUNNING: 1,
  SCHEDULED: 2,
  FINISHED: 3,
  FAILED: 4,
  KILLED: 5,
};

/** Converts an entity's tag list to a plain object (last value wins). */
export function tagsToRecord(tags: ReadonlyArray<{ key: string; value: string }>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of tags) out[t.key] = t.value;
  return out;
}

/** A run's latest metric values as a plain object. */
export function metricsToRecord(metrics: readonly Metric[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of metrics) out[m.key] = m.value;
  return out;
}
