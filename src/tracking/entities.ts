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
  /** MLflow 3: the dataset the metric was computed on (name and digest). */
  readonly datasetName?: string | null;
  readonly datasetDigest?: string | null;
  /** MLflow 3: the logged model the metric belongs to (`m-...`); it is then also one of the model's metrics. */
  readonly modelId?: string | null;
  /** MLflow 3: the run that logged the metric (set on a logged model's metrics). */
  readonly runId?: string | null;
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

/**
 * A dataset as MLflow records it (`Dataset` in MLflow 2.17's protos): a name, a digest of
 * its content, where it came from, and its column schema and profile as JSON strings.
 */
export interface Dataset {
  readonly name: string;
  /** Identifies the content among datasets of the same name (8 hex characters here, as MLflow's). */
  readonly digest: string;
  /** e.g. "local" (a file), "code" (made in the running program), "http", "s3". */
  readonly sourceType: string;
  /** JSON naming the source, e.g. `{"uri": "/data/olx.csv"}`. */
  readonly source: string;
  /** JSON, e.g. `{"mlflow_colspec": [{"type": "double", "name": "price", "required": true}]}`. */
  readonly schema: string | null;
  /** JSON, e.g. `{"num_rows": 4000, "num_elements": 60000}`. */
  readonly profile: string | null;
}

/** A key/value tag of a run input, e.g. `mlflow.data.context` = "training". */
export interface InputTag {
  readonly key: string;
  readonly value: string;
}

/** A dataset used by a run, with its input tags. */
export interface DatasetInput {
  readonly dataset: Dataset;
  readonly tags: readonly InputTag[];
}

/** A logged model used by a run (MLflow 3). */
export interface ModelInput {
  readonly modelId: string;
}

/** A run's inputs: datasets (MLflow 2.x) and logged models (MLflow 3). */
export interface RunInputs {
  readonly datasetInputs: readonly DatasetInput[];
  readonly modelInputs: readonly ModelInput[];
}

/** A logged model produced by a run, at a step (MLflow 3). */
export interface ModelOutput {
  readonly modelId: string;
  readonly step: number;
}

/** A run's outputs: the logged models it produced (MLflow 3). */
export interface RunOutputs {
  readonly modelOutputs: readonly ModelOutput[];
}

/** No inputs, no outputs: what a run without datasets or logged models has. */
export const EMPTY_RUN_INPUTS: RunInputs = { datasetInputs: [], modelInputs: [] };
/** See {@link EMPTY_RUN_INPUTS}. */
export const EMPTY_RUN_OUTPUTS: RunOutputs = { modelOutputs: [] };

/**
 * A run: metadata, data, and its inputs (datasets, models) and outputs (logged models).
 * Every store of this library sets `inputs` and `outputs`; they are optional so that runs
 * built by hand (tests, displays) need not spell them out.
 */
export interface Run {
  readonly info: RunInfo;
  readonly data: RunData;
  readonly inputs?: RunInputs;
  readonly outputs?: RunOutputs;
}

/** A logged model's state (`LoggedModelStatus`): PENDING until its files are uploaded, then READY or FAILED. */
export type LoggedModelStatus = "PENDING" | "READY" | "FAILED";

/** A key/value tag of a logged model (mutable). */
export interface LoggedModelTag {
  readonly key: string;
  readonly value: string;
}

/** A key/value parameter of a logged model (immutable). */
export interface LoggedModelParam {
  readonly key: string;
  readonly value: string;
}

/**
 * MLflow 3's first-class model (`LoggedModel`): an entity of an experiment with its own
 * artifact location (`<experiment location>/models/<model_id>/artifacts`), addressed as
 * `models:/<model_id>`, linked to the run that produced it.
 */
export interface LoggedModel {
  /** `m-` followed by 32 hex digits. */
  readonly modelId: string;
  readonly experimentId: string;
  readonly name: string;
  readonly artifactLocation: string;
  readonly creationTimestamp: number;
  readonly lastUpdatedTimestamp: number;
  readonly status: LoggedModelStatus;
  readonly statusMessage: string | null;
  /** e.g. "Agent", "Classifier"; "" when not given (as MLflow's SQL store records it). */
  readonly modelType: string | null;
  readonly sourceRunId: string | null;
  readonly tags: readonly LoggedModelTag[];
  readonly params: readonly LoggedModelParam[];
  /** Metrics linked to the model (each with `modelId` and `runId`). */
  readonly metrics: readonly Metric[];
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
  /** MLflow 3: the logged model this version was registered from (`m-...`), else null. */
  readonly modelId: string | null;
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
