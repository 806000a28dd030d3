/**
 * The tracking store interface (MLflow's `AbstractStore`), implemented by the FileStore
 * here and by a REST store later. Every method is async so that a network store fits;
 * every failure is an `MlflowError` with MLflow's error code.
 */
import type { Experiment, ExperimentTag, Metric, PagedList, Param, Run, RunInfo, RunStatus, RunTag, ViewType } from "../entities";
import type { LoggedModelStore } from "./loggedModelStore";

/** Options of {@link TrackingStore.searchExperiments}. */
export interface SearchExperimentsOptions {
  readonly viewType?: ViewType;
  /** Default 1000 (MLflow's default for experiments). */
  readonly maxResults?: number;
  /** e.g. `name LIKE 'olx-%'` or `tags.team = 'ml'`. */
  readonly filterString?: string;
  /** e.g. `["name ASC"]`; default: creation time descending, then id (as MLflow). */
  readonly orderBy?: readonly string[];
  readonly pageToken?: string | null;
}

/** Options of {@link TrackingStore.searchRuns}. */
export interface SearchRunsOptions {
  readonly experimentIds: readonly string[];
  /** MLflow filter string, e.g. `metrics.rmse < 5 and params.model = 'Ridge'`. */
  readonly filterString?: string;
  readonly runViewType?: ViewType;
  /** Default 1000, at most 50,000. */
  readonly maxResults?: number;
  /** e.g. `["metrics.rmse ASC", "attributes.start_time DESC"]`. */
  readonly orderBy?: readonly string[];
  readonly pageToken?: string | null;
}

/** Arguments of {@link TrackingStore.createRun}. */
export interface CreateRunRequest {
  readonly experimentId: string;
  readonly userId: string;
  /** Milliseconds since the epoch. */
  readonly startTime: number;
  readonly tags: readonly RunTag[];
  /** When absent, taken from the `mlflow.runName` tag, else generated ("bright-owl-123"). */
  readonly runName?: string;
}

/** Arguments of {@link TrackingStore.updateRunInfo}. */
export interface UpdateRunRequest {
  readonly status?: RunStatus;
  readonly endTime?: number | null;
  readonly runName?: string;
}

/** What {@link TrackingStore.logBatch} writes. */
export interface LogBatchRequest {
  readonly metrics?: readonly Metric[];
  readonly params?: readonly Param[];
  readonly tags?: readonly RunTag[];
}

/** The operations every tracking backend provides (MLflow 3's logged models and run inputs/outputs included). */
export interface TrackingStore extends LoggedModelStore {
  /** The URI this store was opened with (`file:///...`, `http://...`). */
  readonly trackingUri: string;

  /** Creates an experiment; resolves to its id. RESOURCE_ALREADY_EXISTS when the name is taken (even in the trash). */
  createExperiment(name: string, artifactLocation?: string, tags?: readonly ExperimentTag[]): Promise<string>;
  /** RESOURCE_DOES_NOT_EXIST when there is no such experiment (deleted ones are returned). */
  getExperiment(experimentId: string): Promise<Experiment>;
  /** Null when no experiment has that name (active or deleted). */
  getExperimentByName(name: string): Promise<Experiment | null>;
  /** One page of experiments matching the filter (default: active ones, newest first). */
  searchExperiments(options?: SearchExperimentsOptions): Promise<PagedList<Experiment>>;
  /** Moves the experiment to the trash (lifecycle `deleted`). */
  deleteExperiment(experimentId: string): Promise<void>;
  /** Brings a deleted experiment back (lifecycle `active`). */
  restoreExperiment(experimentId: string): Promise<void>;
  /** RESOURCE_ALREADY_EXISTS when another experiment has `newName`. */
  renameExperiment(experimentId: string, newName: string): Promise<void>;
  /** Sets or overwrites an experiment tag (INVALID_STATE on a deleted experiment). */
  setExperimentTag(experimentId: string, tag: ExperimentTag): Promise<void>;

  /** Creates a RUNNING run; adds the `mlflow.runName` tag (INVALID_STATE in a deleted experiment). */
  createRun(request: CreateRunRequest): Promise<Run>;
  /** RESOURCE_DOES_NOT_EXIST when there is no such run. */
  getRun(runId: string): Promise<Run>;
  /** Changes status, end time and/or name (a new name also sets the `mlflow.runName` tag). */
  updateRunInfo(runId: string, update: UpdateRunRequest): Promise<RunInfo>;
  /** Marks a run deleted (`deleted_time` set); logging to it then fails with INVALID_STATE. */
  deleteRun(runId: string): Promise<void>;
  /** Marks a deleted run active again. */
  restoreRun(runId: string): Promise<void>;
  /** Logs metrics (appended), params (immutable) and tags (overwritten) in one call, within MLflow's batch limits. */
  logBatch(runId: string, batch: LogBatchRequest): Promise<void>;
  /**
   * Appends a logged model to the run's `mlflow.log-model.history` tag (MLflow's
   * `record_logged_model`; `model` is the MLmodel dict, see `loggedModelHistory.ts`). The
   * history is not cut to the tag length limit. INVALID_PARAMETER_VALUE on a deleted run.
   */
  recordLoggedModel(runId: string, model: { readonly [key: string]: unknown }): Promise<void>;
  /** Removes a run tag; RESOURCE_DOES_NOT_EXIST when absent. */
  deleteTag(runId: string, key: string): Promise<void>;
  /** Every logged value of one metric, in logging order. */
  getMetricHistory(runId: string, metricKey: string): Promise<Metric[]>;
  /** One page of runs matching an MLflow filter, ordered as MLflow orders them. */
  searchRuns(options: SearchRunsOptions): Promise<PagedList<Run>>;
}
