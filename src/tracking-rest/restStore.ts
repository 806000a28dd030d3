/**
 * The REST store (MLflow's `RestStore` and registry `RestStore`): every tracking and
 * registry operation over MLflow's REST API 2.0, against this project's server or a
 * real MLflow server. `logBatch` is split into requests within MLflow's limits; metric
 * history is read page by page; errors surface as typed {@link MlflowRestError}s.
 */
import type {
  DatasetInput,
  Experiment,
  ExperimentTag,
  LoggedModel,
  LoggedModelParam,
  LoggedModelStatus,
  LoggedModelTag,
  Metric,
  ModelInput,
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
  RunTag,
} from "../tracking/entities";
import type {
  CreateRunRequest,
  LogBatchRequest,
  SearchExperimentsOptions,
  SearchRunsOptions,
  TrackingStore,
  UpdateRunRequest,
} from "../tracking/store/trackingStore";
import type { CreateModelVersionRequest, RegistryStore, SearchRegistryOptions } from "../tracking/store/registryStore";
import type { CreateLoggedModelRequest, SearchLoggedModelsOptions } from "../tracking/store/loggedModelStore";
import { LOGGED_MODEL_STATUS_PROTO } from "../tracking/loggedModelRules";
import { loggedModelFromJson } from "./loggedModelWire";
import { MAX_ENTITIES_PER_BATCH, MAX_METRICS_PER_BATCH, MAX_PARAMS_TAGS_PER_BATCH } from "../tracking/validation";
import { MlflowRestError, RestClient, type RestClientOptions } from "./restClient";
import {
  datasetInputToJson,
  experimentFromJson,
  metricFromJson,
  metricToJson,
  modelVersionFromJson,
  registeredModelFromJson,
  runFromJson,
  runInfoFromJson,
} from "./wire";

/** The REST API prefix of MLflow's tracking and registry endpoints. */
export const API_PREFIX = "/api/2.0/mlflow";

type Obj = Record<string, unknown>;

function records(value: unknown): Obj[] {
  return Array.isArray(value) ? (value as Obj[]) : [];
}

function pageToken(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

/** One `log-batch` request's worth of entities. */
export interface BatchChunk {
  readonly metrics: Metric[];
  readonly params: Param[];
  readonly tags: RunTag[];
}

/**
 * Splits a batch into requests MLflow accepts: at most 1000 metrics, 100 params, 100 tags
 * and 1000 entities each; params and tags go first, so a param conflict fails before
 * metrics are written, as with MLflow's client.
 */
export function chunkBatch(batch: LogBatchRequest): BatchChunk[] {
  const metrics = [...(batch.metrics ?? [])];
  const params = [...(batch.params ?? [])];
  const tags = [...(batch.tags ?? [])];
  const chunks: BatchChunk[] = [];
  while (metrics.length > 0 || params.length > 0 || tags.length > 0 || chunks.length === 0) {
    const p = params.splice(0, MAX_PARAMS_TAGS_PER_BATCH);
    const t = tags.splice(0, MAX_PARAMS_TAGS_PER_BATCH);
    const room = Math.min(MAX_METRICS_PER_BATCH, MAX_ENTITIES_PER_BATCH - p.length - t.length);
    const m = metrics.splice(0, room);
    chunks.push({ metrics: m, params: p, tags: t });
    if (m.length === 0 && p.length === 0 && t.length === 0) break;
  }
  return chunks;
}

/** Tracking and registry over one MLflow server (`http://host:port`). */
export class RestStore implements TrackingStore, RegistryStore {
  readonly trackingUri: string;
  readonly client: RestClient;

  constructor(trackingUri: string, options: RestClientOptions = {}) {
    this.trackingUri = trackingUri.replace(/\/+$/, "");
    this.client = new RestClient(this.trackingUri, options);
  }

  private call(method: "GET" | "POST" | "PATCH" | "DELETE", endpoint: string, payload: Obj = {}): Promise<Obj> {
    const clean: Obj = {};
    for (const [k, v] of Object.entries(payload)) if (v !== undefined && v !== null) clean[k] = v;
    return this.client.callJson(method, `${API_PREFIX}/${endpoint}`, clean);
  }

  // ------------------------------------------------------------ experiments

  async createExperiment(name: string, artifactLocation?: string, tags: readonly ExperimentTag[] = []): Promise<string> {
    const r = await this.call("POST", "experiments/create", { name, artifact_location: artifactLocation, tags: tags.map((t) => ({ key: t.key, value: t.value })) });
    return String(r.experiment_id);
  }

  async getExperiment(experimentId: string): Promise<Experiment> {
    const r = await this.call("GET", "experiments/get", { experiment_id: String(experimentId) });
    return experimentFromJson((r.experiment ?? {}) as Obj);
  }

  async getExperimentByName(name: string): Promise<Experiment | null> {
    try {
      const r = await this.call("GET", "experiments/get-by-name", { experiment_name: name });
      return experimentFromJson((r.experiment ?? {}) as Obj);
    } catch (err) {
      if (err instanceof MlflowRestError && err.errorCode === "RESOURCE_DOES_NOT_EXIST") return null;
      throw err;
    }
  }

  async searchExperiments(options: SearchExperimentsOptions = {}): Promise<PagedList<Experiment>> {
    const r = await this.call("POST", "experiments/search", {
      max_results: options.maxResults ?? 1000,
      page_token: options.pageToken ?? undefined,
      filter: options.filterString || undefined,
      order_by: options.orderBy === undefined || options.orderBy.length === 0 ? undefined : [...options.orderBy],
      view_type: options.viewType ?? "ACTIVE_ONLY",
    });
    return { items: records(r.experiments).map(experimentFromJson), nextPageToken: pageToken(r.next_page_token) };
  }

  async deleteExperiment(experimentId: string): Promise<void> {
    await this.call("POST", "experiments/delete", { experiment_id: String(experimentId) });
  }

  async restoreExperiment(experimentId: string): Promise<void> {
    await this.call("POST", "experiments/restore", { experiment_id: String(experimentId) });
  }

  async renameExperiment(experimentId: string, newName: string): Promise<void> {
    await this.call("POST", "experiments/update", { experiment_id: String(experimentId), new_name: newName });
  }

  async setExperimentTag(experimentId: string, tag: ExperimentTag): Promise<void> {
    await this.call("POST", "experiments/set-experiment-tag", { experiment_id: String(experimentId), key: tag.key, value: tag.value });
  }

  // ------------------------------------------------------------ runs

  async createRun(request: CreateRunRequest): Promise<Run> {
    const r = await this.call("POST", "runs/create", {
      experiment_id: String(request.experimentId),
      user_id: request.userId,
      start_time: request.startTime,
      tags: request.tags.map((t) => ({ key: t.key, value: t.value })),
      run_name: request.runName,
    });
    return runFromJson((r.run ?? {}) as Obj);
  }

  async getRun(runId: string): Promise<Run> {
    const r = await this.call("GET", "runs/get", { run_id: runId });
    return runFromJson((r.run ?? {}) as Obj);
  }

  async updateRunInfo(runId: string, update: UpdateRunRequest): Promise<RunInfo> {
    const r = await this.call("POST", "runs/update", {
      run_id: runId,
      run_uuid: runId,
      status: update.status,
      end_time: update.endTime ?? undefined,
      run_name: update.runName,
    });
    return runInfoFromJson((r.run_info ?? {}) as Obj);
  }

  async deleteRun(runId: string): Promise<void> {
    await this.call("POST", "runs/delete", { run_id: runId });
  }

  async restoreRun(runId: string): Promise<void> {
    await this.call("POST", "runs/restore", { run_id: runId });
  }

  async logBatch(runId: string, batch: LogBatchRequest): Promise<void> {
    for (const chunk of chunkBatch(batch)) {
      await this.call("POST", "runs/log-batch", {
        run_id: runId,
        metrics: chunk.metrics.map(metricToJson),
        params: chunk.params.map((p) => ({ key: p.key, value: p.value })),
        tags: chunk.tags.map((t) => ({ key: t.key, value: t.value })),
      });
    }
  }

  async recordLoggedModel(runId: string, model: { readonly [key: string]: unknown }): Promise<void> {
    await this.call("POST", "runs/log-model", { run_id: runId, model_json: JSON.stringify(model) });
  }

  async deleteTag(runId: string, key: string): Promise<void> {
    await this.call("POST", "runs/delete-tag", { run_id: runId, key });
  }

  async getMetricHistory(runId: string, metricKey: string): Promise<Metric[]> {
    const out: Metric[] = [];
    let token: string | null = null;
    do {
      const r = await this.call("GET", "metrics/get-history", { run_id: runId, metric_key: metricKey, max_results: 25_000, page_token: token ?? undefined });
      out.push(...records(r.metrics).map(metricFromJson));
      token = pageToken(r.next_page_token);
    } while (token !== null);
    return out;
  }

  async searchRuns(options: SearchRunsOptions): Promise<PagedList<Run>> {
    const r = await this.call("POST", "runs/search", {
      experiment_ids: options.experimentIds.map(String),
      filter: options.filterString || undefined,
      run_view_type: options.runViewType ?? "ACTIVE_ONLY",
      max_results: options.maxResults ?? 1000,
      order_by: options.orderBy === undefined || options.orderBy.length === 0 ? undefined : [...options.orderBy],
      page_token: options.pageToken ?? undefined,
    });
    return { items: records(r.runs).map(runFromJson), nextPageToken: pageToken(r.next_page_token) };
  }

  // ------------------------------------------------------------ registry

  async createRegisteredModel(name: string, tags: readonly RegisteredModelTag[] = [], description: string | null = null): Promise<RegisteredModel> {
    const r = await this.call("POST", "registered-models/create", { name, tags: tags.map((t) => ({ key: t.key, value: t.value })), description });
    return registeredModelFromJson((r.registered_model ?? {}) as Obj);
  }

  async getRegisteredModel(name: string): Promise<RegisteredModel> {
    const r = await this.call("GET", "registered-models/get", { name });
    return registeredModelFromJson((r.registered_model ?? {}) as Obj);
  }

  async renameRegisteredModel(name: string, newName: string): Promise<RegisteredModel> {
    const r = await this.call("POST", "registered-models/rename", { name, new_name: newName });
    return registeredModelFromJson((r.registered_model ?? {}) as Obj);
  }

  async updateRegisteredModel(name: string, description: string | null): Promise<RegisteredModel> {
    const r = await this.call("PATCH", "registered-models/update", { name, description: description ?? "" });
    return registeredModelFromJson((r.registered_model ?? {}) as Obj);
  }

  async deleteRegisteredModel(name: string): Promise<void> {
    await this.call("DELETE", "registered-models/delete", { name });
  }

  async searchRegisteredModels(options: SearchRegistryOptions = {}): Promise<PagedList<RegisteredModel>> {
    const r = await this.call("GET", "registered-models/search", {
      filter: options.filterString || undefined,
      max_results: options.maxResults ?? 100,
      order_by: options.orderBy === undefined || options.orderBy.length === 0 ? undefined : [...options.orderBy],
      page_token: options.pageToken ?? undefined,
    });
    return { items: records(r.registered_models).map(registeredModelFromJson), nextPageToken: pageToken(r.next_page_token) };
  }

  async getLatestVersions(name: string, stages?: readonly string[]): Promise<ModelVersion[]> {
    const r = await this.call("POST", "registered-models/get-latest-versions", { name, stages: stages === undefined ? undefined : [...stages] });
    return records(r.model_versions).map(modelVersionFromJson);
  }

  async setRegisteredModelTag(name: string, tag: RegisteredModelTag): Promise<void> {
    await this.call("POST", "registered-models/set-tag", { name, key: tag.key, value: tag.value });
  }

  async deleteRegisteredModelTag(name: string, key: string): Promise<void> {
    await this.call("DELETE", "registered-models/delete-tag", { name, key });
  }

  async createModelVersion(request: CreateModelVersionRequest): Promise<ModelVersion> {
    const r = await this.call("POST", "model-versions/create", {
      name: request.name,
      source: request.source,
      run_id: request.runId ?? undefined,
      tags: (request.tags ?? []).map((t) => ({ key: t.key, value: t.value })),
      run_link: request.runLink ?? undefined,
      description: request.description ?? undefined,
      model_id: request.modelId ?? undefined,
    });
    return modelVersionFromJson((r.model_version ?? {}) as Obj);
  }

  async getModelVersion(name: string, version: string): Promise<ModelVersion> {
    const r = await this.call("GET", "model-versions/get", { name, version: String(version) });
    return modelVersionFromJson((r.model_version ?? {}) as Obj);
  }

  async updateModelVersion(name: string, version: string, description: string | null): Promise<ModelVersion> {
    const r = await this.call("PATCH", "model-versions/update", { name, version: String(version), description: description ?? "" });
    return modelVersionFromJson((r.model_version ?? {}) as Obj);
  }

  async deleteModelVersion(name: string, version: string): Promise<void> {
    await this.call("DELETE", "model-versions/delete", { name, version: String(version) });
  }

  async transitionModelVersionStage(name: string, version: string, stage: ModelVersionStage | string, archiveExistingVersions: boolean): Promise<ModelVersion> {
    const r = await this.call("POST", "model-versions/transition-stage", {
      name,
      version: String(version),
      stage,
      archive_existing_versions: archiveExistingVersions,
    });
    return modelVersionFromJson((r.model_version ?? {}) as Obj);
  }

  async searchModelVersions(options: SearchRegistryOptions = {}): Promise<PagedList<ModelVersion>> {
    const r = await this.call("GET", "model-versions/search", {
      filter: options.filterString || undefined,
      max_results: options.maxResults ?? 10_000,
      order_by: options.orderBy === undefined || options.orderBy.length === 0 ? undefined : [...options.orderBy],
      page_token: options.pageToken ?? undefined,
    });
    return { items: records(r.model_versions).map(modelVersionFromJson), nextPageToken: pageToken(r.next_page_token) };
  }

  async setModelVersionTag(name: string, version: string, tag: ModelVersionTag): Promise<void> {
    await this.call("POST", "model-versions/set-tag", { name, version: String(version), key: tag.key, value: tag.value });
  }

  async deleteModelVersionTag(name: string, version: string, key: string): Promise<void> {
    await this.call("DELETE", "model-versions/delete-tag", { name, version: String(version), key });
  }

  async setRegisteredModelAlias(name: string, alias: string, version: string): Promise<void> {
    await this.call("POST", "registered-models/alias", { name, alias, version: String(version) });
  }

  async deleteRegisteredModelAlias(name: string, alias: string): Promise<void> {
    await this.call("DELETE", "registered-models/alias", { name, alias });
  }

  async getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion> {
    const r = await this.call("GET", "registered-models/alias", { name, alias });
    return modelVersionFromJson((r.model_version ?? {}) as Obj);
  }

  async getModelVersionDownloadUri(name: string, version: string): Promise<string> {
    const r = await this.call("GET", "model-versions/get-download-uri", { name, version: String(version) });
    return String(r.artifact_uri ?? "");
  }

  // ------------------------------------------------------------ logged models, run inputs and outputs (MLflow 3)

  private modelPath(modelId: string, suffix = ""): string {
    return `logged-models/${encodeURIComponent(modelId)}${suffix}`;
  }

  async createLoggedModel(request: CreateLoggedModelRequest): Promise<LoggedModel> {
    const r = await this.call("POST", "logged-models", {
      experiment_id: String(request.experimentId),
      name: request.name ?? undefined,
      model_type: request.modelType ?? undefined,
      source_run_id: request.sourceRunId ?? undefined,
      params: (request.params ?? []).map((p) => ({ key: p.key, value: p.value })),
      tags: (request.tags ?? []).map((t) => ({ key: t.key, value: t.value })),
    });
    return loggedModelFromJson((r.model ?? {}) as Obj);
  }

  async getLoggedModel(modelId: string): Promise<LoggedModel> {
    return loggedModelFromJson(((await this.call("GET", this.modelPath(modelId))).model ?? {}) as Obj);
  }

  async finalizeLoggedModel(modelId: string, status: LoggedModelStatus): Promise<LoggedModel> {
    // MLflow's server reads the model id from the body, not the path.
    const r = await this.call("PATCH", this.modelPath(modelId), { model_id: modelId, status: LOGGED_MODEL_STATUS_PROTO[status] });
    return loggedModelFromJson((r.model ?? {}) as Obj);
  }

  async setLoggedModelTags(modelId: string, tags: readonly LoggedModelTag[]): Promise<void> {
    await this.call("PATCH", this.modelPath(modelId, "/tags"), { model_id: modelId, tags: tags.map((t) => ({ key: t.key, value: t.value })) });
  }

  async deleteLoggedModelTag(modelId: string, key: string): Promise<void> {
    await this.call("DELETE", this.modelPath(modelId, `/tags/${encodeURIComponent(key)}`));
  }

  async logLoggedModelParams(modelId: string, params: readonly LoggedModelParam[]): Promise<void> {
    await this.call("POST", this.modelPath(modelId, "/params"), { model_id: modelId, params: params.map((p) => ({ key: p.key, value: p.value })) });
  }

  async deleteLoggedModel(modelId: string): Promise<void> {
    await this.call("DELETE", this.modelPath(modelId));
  }

  async searchLoggedModels(options: SearchLoggedModelsOptions): Promise<PagedList<LoggedModel>> {
    const r = await this.call("POST", "logged-models/search", {
      experiment_ids: options.experimentIds.map(String),
      filter: options.filterString || undefined,
      datasets: options.datasets?.map((d) => ({ dataset_name: d.datasetName, dataset_digest: d.datasetDigest ?? undefined })),
      max_results: options.maxResults ?? undefined,
      order_by: options.orderBy?.map((o) => ({
        field_name: o.fieldName,
        ascending: o.ascending ?? true,
        dataset_name: o.datasetName ?? undefined,
        dataset_digest: o.datasetDigest ?? undefined,
      })),
      page_token: options.pageToken ?? undefined,
    });
    return { items: records(r.models).map(loggedModelFromJson), nextPageToken: pageToken(r.next_page_token) };
  }

  async logOutputs(runId: string, models: readonly ModelOutput[]): Promise<void> {
    await this.call("POST", "runs/outputs", { run_id: runId, models: models.map((m) => ({ model_id: m.modelId, step: m.step })) });
  }

  async logInputs(runId: string, datasets: readonly DatasetInput[], models: readonly ModelInput[] = []): Promise<void> {
    await this.call("POST", "runs/log-inputs", {
      run_id: runId,
      datasets: datasets.map(datasetInputToJson),
      models: models.length === 0 ? undefined : models.map((m) => ({ model_id: m.modelId })),
    });
  }
}
