/**
 * `MlflowClient`: MLflow's lower-level client, a thin layer of defaults and validation
 * over a {@link TrackingStore}, a {@link RegistryStore} and the run's artifact repository
 * (port of `mlflow/tracking/client.py`). Every method is async.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MlflowError } from "./errors";
import { makeOwnedTempDir } from "../util/orphanFiles";
import type {
  DatasetInput,
  Experiment,
  ExperimentTag,
  FileInfo,
  InputTag,
  LoggedModel,
  LoggedModelStatus,
  Metric,
  ModelOutput,
  ModelVersion,
  ModelVersionStage,
  ModelVersionTag,
  PagedList,
  Param,
  RegisteredModel,
  RegisteredModelTag,
  Run,
  RunInfo,
  RunStatus,
  RunTag,
  ViewType,
} from "./entities";
import { getArtifactRepository, type ArtifactRepository } from "./artifacts/artifactRepository";
import { openStores } from "./store/storeRegistry";
import type { RegistryStore, SearchRegistryOptions } from "./store/registryStore";
import type { SearchExperimentsOptions, TrackingStore } from "./store/trackingStore";
import type { CreateLoggedModelRequest, SearchLoggedModelsOptions } from "./store/loggedModelStore";
import { createLinkedModelVersion } from "./modelVersionLink";
import { DATASET_CONTEXT_TAG } from "./search";
import { validateArtifactPath } from "./artifacts/artifactRepository";
import { currentUser } from "./systemTags";
import type { JsonValue } from "./pythonRepr";
import { MAX_METRICS_PER_BATCH, MAX_PARAMS_TAGS_PER_BATCH } from "./validation";

/** Options of {@link MlflowClient.createRun}. */
export interface CreateRunOptions {
  readonly startTime?: number;
  readonly tags?: Readonly<Record<string, string>>;
  readonly runName?: string;
}

/** Options of {@link MlflowClient.searchRuns}. */
export interface ClientSearchRunsOptions {
  readonly filterString?: string;
  readonly runViewType?: ViewType;
  readonly maxResults?: number;
  readonly orderBy?: readonly string[];
  readonly pageToken?: string | null;
}

/** Options of {@link MlflowClient.logMetric}. */
export interface LogMetricOptions {
  /** Milliseconds since the epoch; default now. */
  readonly timestamp?: number;
  /** Default 0. */
  readonly step?: number;
}

/** Options of {@link MlflowClient.createModelVersion}. */
export interface CreateModelVersionOptions {
  readonly runId?: string;
  readonly tags?: Readonly<Record<string, string>>;
  readonly runLink?: string;
  readonly description?: string;
  /** MLflow 3: the logged model the version is made from (its source is then `models:/<modelId>`). */
  readonly modelId?: string;
}

/** Options of {@link MlflowClient.logInput}. */
export interface LogInputOptions {
  /** The dataset's role in the run, stored as the `mlflow.data.context` input tag ("training", "evaluation", ...). */
  readonly context?: string;
  /** More input tags. */
  readonly tags?: Readonly<Record<string, string>>;
}

/** Options of {@link MlflowClient.createLoggedModel}. */
export interface CreateLoggedModelOptions {
  /** Default: a generated name. No `/ : . % " '`. */
  readonly name?: string;
  readonly modelType?: string;
  /** The run that produces the model. */
  readonly sourceRunId?: string;
  readonly params?: Readonly<Record<string, string>>;
  readonly tags?: Readonly<Record<string, string>>;
}

function recordToTags(record: Readonly<Record<string, string>> | undefined): RunTag[] {
  return Object.entries(record ?? {}).map(([key, value]) => ({ key, value: String(value) }));
}

/** MLflow's client over one tracking URI (default: `MLFLOW_TRACKING_URI`, else `./mlruns`). */
export class MlflowClient {
  /** The tracking store behind this client. */
  readonly store: TrackingStore;
  /** The registry store behind this client. */
  readonly registry: RegistryStore;

  /** Opens the stores for `trackingUri` (a path, `file:` URI, or a registered scheme). */
  constructor(trackingUri?: string | { tracking: TrackingStore; registry: RegistryStore }) {
    const stores = typeof trackingUri === "object" ? trackingUri : openStores(trackingUri);
    this.store = stores.tracking;
    this.registry = stores.registry;
  }

  /** The tracking URI of the store. */
  get trackingUri(): string {
    return this.store.trackingUri;
  }

  // ------------------------------------------------------------ experiments

  /** Creates an experiment; resolves to its id. */
  createExperiment(name: string, options: { artifactLocation?: string; tags?: Readonly<Record<string, string>> } = {}): Promise<string> {
    return this.store.createExperiment(name, options.artifactLocation, recordToTags(options.tags));
  }

  /** RESOURCE_DOES_NOT_EXIST when there is no such experiment. */
  getExperiment(experimentId: string): Promise<Experiment> {
    return this.store.getExperiment(experimentId);
  }

  /** Null when there is no experiment of that name. */
  getExperimentByName(name: string): Promise<Experiment | null> {
    return this.store.getExperimentByName(name);
  }

  /** One page of experiments (default: active ones, newest first). */
  searchExperiments(options: SearchExperimentsOptions = {}): Promise<PagedList<Experiment>> {
    return this.store.searchExperiments(options);
  }

  /** Moves an experiment (and its runs) to the trash. */
  deleteExperiment(experimentId: string): Promise<void> {
    return this.store.deleteExperiment(experimentId);
  }

  /** Brings an experiment back from the trash. */
  restoreExperiment(experimentId: string): Promise<void> {
    return this.store.restoreExperiment(experimentId);
  }

  /** Renames an experiment; RESOURCE_ALREADY_EXISTS when the name is taken. */
  renameExperiment(experimentId: string, newName: string): Promise<void> {
    return this.store.renameExperiment(experimentId, newName);
  }

  /** Sets (or overwrites) an experiment tag. */
  setExperimentTag(experimentId: string, key: string, value: string): Promise<void> {
    const tag: ExperimentTag = { key, value: String(value) };
    return this.store.setExperimentTag(experimentId, tag);
  }

  // ------------------------------------------------------------ runs

  /**
   * Creates a run in RUNNING state. Unlike the fluent `startRun`, adds no system tags
   * beyond `mlflow.runName` (as MLflow's client).
   */
  createRun(experimentId: string, options: CreateRunOptions = {}): Promise<Run> {
    return this.store.createRun({
      experimentId,
      // As MLflow: the run's user_id is the mlflow.user tag when given.
      userId: options.tags?.["mlflow.user"] ?? currentUser(),
      startTime: options.startTime ?? Date.now(),
      tags: recordToTags(options.tags),
      runName: options.runName,
    });
  }

  /** A run with the latest value of each metric, its params and tags. */
  getRun(runId: string): Promise<Run> {
    return this.store.getRun(runId);
  }

  /** Updates status, end time and/or name. */
  updateRun(runId: string, update: { status?: RunStatus; endTime?: number | null; name?: string }): Promise<RunInfo> {
    return this.store.updateRunInfo(runId, { status: update.status, endTime: update.endTime, runName: update.name });
  }

  /** Ends a run: status (default FINISHED) and end time (default now). */
  setTerminated(runId: string, status: RunStatus = "FINISHED", endTime: number = Date.now()): Promise<RunInfo> {
    return this.store.updateRunInfo(runId, { status, endTime });
  }

  /** Marks a run deleted (it stays on disk until garbage collection). */
  deleteRun(runId: string): Promise<void> {
    return this.store.deleteRun(runId);
  }

  /** Marks a deleted run active again. */
  restoreRun(runId: string): Promise<void> {
    return this.store.restoreRun(runId);
  }

  /** One page of runs of the given experiments matching an MLflow filter string. */
  searchRuns(experimentIds: readonly string[], options: ClientSearchRunsOptions = {}): Promise<PagedList<Run>> {
    return this.store.searchRuns({ experimentIds, ...options });
  }

  /** Every run matching, following page tokens. */
  async searchAllRuns(experimentIds: readonly string[], options: Omit<ClientSearchRunsOptions, "pageToken"> = {}): Promise<Run[]> {
    const out: Run[] = [];
    let pageToken: string | null = null;
    do {
      const page: PagedList<Run> = await this.searchRuns(experimentIds, { ...options, pageToken });
      out.push(...page.items);
      pageToken = page.nextPageToken;
    } while (pageToken !== null);
    return out;
  }

  /**
   * Runs still marked RUNNING (for example left by a killed process), optionally only
   * those started before `startedBefore` (ms since the epoch).
   */
  async listRunningRuns(experimentIds: readonly string[], startedBefore?: number): Promise<Run[]> {
    const runs = await this.searchAllRuns(experimentIds, { filterString: "attributes.status = 'RUNNING'" });
    return startedBefore === undefined ? runs : runs.filter((r) => r.info.startTime < startedBefore);
  }

  /** Closes the given runs as KILLED (MLflow's status for runs whose process died); resolves to their ids. */
  async killRuns(runs: readonly Run[], endTime: number = Date.now()): Promise<string[]> {
    for (const run of runs) await this.setTerminated(run.info.runId, "KILLED", endTime);
    return runs.map((r) => r.info.runId);
  }

  /** Appends one metric value. */
  logMetric(runId: string, key: string, value: number, options: LogMetricOptions = {}): Promise<void> {
    const metric: Metric = { key, value, timestamp: options.timestamp ?? Date.now(), step: options.step ?? 0 };
    return this.store.logBatch(runId, { metrics: [metric] });
  }

  /** Logs a param (converted with `String`); logging the same key again with another value fails. */
  logParam(runId: string, key: string, value: unknown): Promise<void> {
    const param: Param = { key, value: String(value) };
    return this.store.logBatch(runId, { params: [param] });
  }

  /** Sets (or overwrites) a run tag (value converted with `String`). */
  setTag(runId: string, key: string, value: unknown): Promise<void> {
    return this.store.logBatch(runId, { tags: [{ key, value: String(value) }] });
  }

  /** Removes a run tag; RESOURCE_DOES_NOT_EXIST when absent. */
  deleteTag(runId: string, key: string): Promise<void> {
    return this.store.deleteTag(runId, key);
  }

  /**
   * Logs metrics, params and tags; larger inputs are split into requests within MLflow's
   * batch limits (params first, so an immutability error stops before metrics are written).
   */
  async logBatch(runId: string, batch: { metrics?: readonly Metric[]; params?: readonly Param[]; tags?: readonly RunTag[] }): Promise<void> {
    const params = batch.params ?? [];
    const tags = batch.tags ?? [];
    const metrics = batch.metrics ?? [];
    for (let i = 0; i < params.length; i += MAX_PARAMS_TAGS_PER_BATCH) {
      await this.store.logBatch(runId, { params: params.slice(i, i + MAX_PARAMS_TAGS_PER_BATCH) });
    }
    for (let i = 0; i < tags.length; i += MAX_PARAMS_TAGS_PER_BATCH) {
      await this.store.logBatch(runId, { tags: tags.slice(i, i + MAX_PARAMS_TAGS_PER_BATCH) });
    }
    for (let i = 0; i < metrics.length; i += MAX_METRICS_PER_BATCH) {
      await this.store.logBatch(runId, { metrics: metrics.slice(i, i + MAX_METRICS_PER_BATCH) });
    }
  }

  /** Every value logged for one metric, in logging order. */
  getMetricHistory(runId: string, key: string): Promise<Metric[]> {
    return this.store.getMetricHistory(runId, key);
  }

  // ------------------------------------------------------------ datasets and outputs

  /** Logs datasets (with their input tags) as inputs of a run; a dataset logged to the run before is kept once. */
  logInputs(runId: string, datasets: readonly DatasetInput[]): Promise<void> {
    return this.store.logInputs(runId, datasets);
  }

  /** Logs one dataset as an input of a run, with its context (`mlflow.data.context`) and tags. */
  logInput(runId: string, dataset: DatasetInput["dataset"], options: LogInputOptions = {}): Promise<void> {
    const tags: InputTag[] = recordToTags(options.tags);
    if (options.context !== undefined) tags.push({ key: DATASET_CONTEXT_TAG, value: options.context });
    return this.store.logInputs(runId, [{ dataset, tags }]);
  }

  /** Records logged models a run produced (MLflow 3's `log_outputs`). */
  logOutputs(runId: string, models: readonly ModelOutput[]): Promise<void> {
    return this.store.logOutputs(runId, models);
  }

  // ------------------------------------------------------------ logged models (MLflow 3)

  /** Creates a PENDING logged model in an experiment; upload its files with {@link logModelArtifacts}, then finalize it. */
  createLoggedModel(experimentId: string, options: CreateLoggedModelOptions = {}): Promise<LoggedModel> {
    const request: CreateLoggedModelRequest = {
      experimentId,
      name: options.name ?? null,
      modelType: options.modelType ?? null,
      sourceRunId: options.sourceRunId ?? null,
      params: recordToTags(options.params),
      tags: recordToTags(options.tags),
    };
    return this.store.createLoggedModel(request);
  }

  /** A logged model by id (`m-...`). */
  getLoggedModel(modelId: string): Promise<LoggedModel> {
    return this.store.getLoggedModel(modelId);
  }

  /** Sets a logged model's final status: READY once its files are uploaded, FAILED otherwise. */
  finalizeLoggedModel(modelId: string, status: Exclude<LoggedModelStatus, "PENDING">): Promise<LoggedModel> {
    return this.store.finalizeLoggedModel(modelId, status);
  }

  /** Sets (or overwrites) tags of a logged model. */
  setLoggedModelTags(modelId: string, tags: Readonly<Record<string, string>>): Promise<void> {
    return this.store.setLoggedModelTags(modelId, recordToTags(tags));
  }

  /** Removes a tag of a logged model. */
  deleteLoggedModelTag(modelId: string, key: string): Promise<void> {
    return this.store.deleteLoggedModelTag(modelId, key);
  }

  /** Deletes a logged model (it is no longer found or searched). */
  deleteLoggedModel(modelId: string): Promise<void> {
    return this.store.deleteLoggedModel(modelId);
  }

  /** One page of logged models (filter over attributes, `metrics.`, `params.`, `tags.`). */
  searchLoggedModels(options: SearchLoggedModelsOptions): Promise<PagedList<LoggedModel>> {
    return this.store.searchLoggedModels(options);
  }

  /** The artifact repository of a logged model (its `models/<id>/artifacts` location). */
  async loggedModelArtifactRepository(modelId: string): Promise<ArtifactRepository> {
    return getArtifactRepository((await this.getLoggedModel(modelId)).artifactLocation);
  }

  /** Uploads a local directory's contents as a logged model's artifacts. */
  async logModelArtifacts(modelId: string, localDir: string): Promise<void> {
    await (await this.loggedModelArtifactRepository(modelId)).logArtifacts(localDir);
  }

  // ------------------------------------------------------------ artifacts

  /** The artifact repository of a run. */
  async artifactRepository(runId: string): Promise<ArtifactRepository> {
    const run = await this.getRun(runId);
    return getArtifactRepository(run.info.artifactUri);
  }

  /** Copies a local file into the run's artifacts (under `artifactPath`). */
  async logArtifact(runId: string, localPath: string, artifactPath?: string): Promise<void> {
    await (await this.artifactRepository(runId)).logArtifact(localPath, artifactPath);
  }

  /** Copies a local directory's contents into the run's artifacts. */
  async logArtifacts(runId: string, localDir: string, artifactPath?: string): Promise<void> {
    await (await this.artifactRepository(runId)).logArtifacts(localDir, artifactPath);
  }

  /** The direct children of `path` in the run's artifacts. */
  async listArtifacts(runId: string, path?: string): Promise<FileInfo[]> {
    return (await this.artifactRepository(runId)).listArtifacts(path);
  }

  /** Copies an artifact (file or directory) into `dstDir` (default: a new temporary directory); resolves to its local path. */
  async downloadArtifacts(runId: string, path: string, dstDir?: string): Promise<string> {
    const dst = dstDir ?? mkdtempSync(join(tmpdir(), "mlflow-artifacts-"));
    return (await this.artifactRepository(runId)).downloadArtifacts(path, dst);
  }

  /** Writes `text` as the artifact file `artifactFile` (e.g. "notes/summary.txt"). */
  async logText(runId: string, text: string, artifactFile: string): Promise<void> {
    await this.logBytes(runId, Buffer.from(text, "utf8"), artifactFile);
  }

  /** Writes `dict` as JSON (`.json`, indented as MLflow does) or YAML (`.yaml`/`.yml`) artifact. */
  async logDict(runId: string, dict: { [key: string]: JsonValue }, artifactFile: string): Promise<void> {
    const isYaml = /\.ya?ml$/i.test(artifactFile);
    let text: string;
    if (isYaml) {
      const { dumpYaml } = await import("./yaml");
      text = dumpYaml(dict);
    } else {
      text = JSON.stringify(dict, null, 2);
    }
    await this.logBytes(runId, Buffer.from(text, "utf8"), artifactFile);
  }

  private async logBytes(runId: string, bytes: Buffer, artifactFile: string): Promise<void> {
    const rel = validateArtifactPath(artifactFile);
    if (rel === "") throw MlflowError.invalidParameterValue("artifactFile must name a file, e.g. 'notes.txt'.");
    const parts = rel.split("/");
    const name = parts.pop() as string;
    const dir = makeOwnedTempDir("mlflow-log-");
    try {
      const file = join(dir, name);
      writeFileSync(file, bytes);
      await this.logArtifact(runId, file, parts.length > 0 ? parts.join("/") : undefined);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  // ------------------------------------------------------------ registry

  createRegisteredModel(name: string, options: { tags?: Readonly<Record<string, string>>; description?: string } = {}): Promise<RegisteredModel> {
    const tags: RegisteredModelTag[] = recordToTags(options.tags);
    return this.registry.createRegisteredModel(name, tags, options.description ?? null);
  }

  /** A registered model with its latest versions, tags and aliases. */
  getRegisteredModel(name: string): Promise<RegisteredModel> {
    return this.registry.getRegisteredModel(name);
  }

  /** Renames a registered model and its versions. */
  renameRegisteredModel(name: string, newName: string): Promise<RegisteredModel> {
    return this.registry.renameRegisteredModel(name, newName);
  }

  /** Sets a registered model's description. */
  updateRegisteredModel(name: string, description: string | null): Promise<RegisteredModel> {
    return this.registry.updateRegisteredModel(name, description);
  }

  /** Deletes a registered model and all its versions. */
  deleteRegisteredModel(name: string): Promise<void> {
    return this.registry.deleteRegisteredModel(name);
  }

  /** One page of registered models (filter on `name`, `tags.<key>`). */
  searchRegisteredModels(options: SearchRegistryOptions = {}): Promise<PagedList<RegisteredModel>> {
    return this.registry.searchRegisteredModels(options);
  }

  /** Deprecated in MLflow (stages), kept because the talk's seed code uses it. */
  getLatestVersions(name: string, stages?: readonly string[]): Promise<ModelVersion[]> {
    return this.registry.getLatestVersions(name, stages);
  }

  /** Sets a registered model tag. */
  setRegisteredModelTag(name: string, key: string, value: string): Promise<void> {
    return this.registry.setRegisteredModelTag(name, { key, value: String(value) });
  }

  /** Removes a registered model tag. */
  deleteRegisteredModelTag(name: string, key: string): Promise<void> {
    return this.registry.deleteRegisteredModelTag(name, key);
  }

  /**
   * Registers `source` as a new version of `name`. A `runs:/<id>/<path>` source is
   * resolved to the run's artifact URI, as MLflow does.
   */
  async createModelVersion(name: string, source: string, options: CreateModelVersionOptions = {}): Promise<ModelVersion> {
    let resolved = source;
    let runId = options.runId;
    const m = /^runs:\/([^/]+)\/?(.*)$/.exec(source);
    if (m !== null) {
      runId = runId ?? (m[1] as string);
      const run = await this.getRun(m[1] as string);
      resolved = (m[2] as string) === "" ? run.info.artifactUri : `${run.info.artifactUri.replace(/\/+$/, "")}/${m[2]}`;
    }
    const tags: ModelVersionTag[] = recordToTags(options.tags);
    const request = {
      name,
      source: resolved,
      runId: runId ?? null,
      tags,
      runLink: options.runLink ?? null,
      description: options.description ?? null,
      modelId: options.modelId ?? null,
    };
    // A tracking server links a logged model to the version itself; for local stores the client does it.
    if (/^https?:/i.test(this.trackingUri)) return this.registry.createModelVersion(request);
    return createLinkedModelVersion(this.store, this.registry, request);
  }

  /** RESOURCE_DOES_NOT_EXIST for unknown or deleted versions. */
  getModelVersion(name: string, version: string | number): Promise<ModelVersion> {
    return this.registry.getModelVersion(name, String(version));
  }

  /** Sets a model version's description. */
  updateModelVersion(name: string, version: string | number, description: string | null): Promise<ModelVersion> {
    return this.registry.updateModelVersion(name, String(version), description);
  }

  /** Deletes a version (its number is not reused) and the aliases pointing at it. */
  deleteModelVersion(name: string, version: string | number): Promise<void> {
    return this.registry.deleteModelVersion(name, String(version));
  }

  /** Moves a version to a stage (None, Staging, Production, Archived; deprecated in MLflow, still supported). */
  transitionModelVersionStage(
    name: string,
    version: string | number,
    stage: ModelVersionStage | string,
    archiveExistingVersions = false,
  ): Promise<ModelVersion> {
    return this.registry.transitionModelVersionStage(name, String(version), stage, archiveExistingVersions);
  }

  /** One page of model versions (filter on `name`, `run_id`, `tags.<key>`, ...). */
  searchModelVersions(options: SearchRegistryOptions = {}): Promise<PagedList<ModelVersion>> {
    return this.registry.searchModelVersions(options);
  }

  /** Sets a model version tag. */
  setModelVersionTag(name: string, version: string | number, key: string, value: string): Promise<void> {
    return this.registry.setModelVersionTag(name, String(version), { key, value: String(value) });
  }

  /** Removes a model version tag. */
  deleteModelVersionTag(name: string, version: string | number, key: string): Promise<void> {
    return this.registry.deleteModelVersionTag(name, String(version), key);
  }

  /** Points an alias (e.g. "champion") at a version. */
  setRegisteredModelAlias(name: string, alias: string, version: string | number): Promise<void> {
    return this.registry.setRegisteredModelAlias(name, alias, String(version));
  }

  /** Removes an alias. */
  deleteRegisteredModelAlias(name: string, alias: string): Promise<void> {
    return this.registry.deleteRegisteredModelAlias(name, alias);
  }

  /** The version an alias points at. */
  getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion> {
    return this.registry.getModelVersionByAlias(name, alias);
  }

  /** Where a version's files are. */
  getModelVersionDownloadUri(name: string, version: string | number): Promise<string> {
    return this.registry.getModelVersionDownloadUri(name, String(version));
  }
}
