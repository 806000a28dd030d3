/**
 * Logged models and run outputs in the FileStore, laid out as MLflow 3's FileStore does:
 * `<experiment>/models/<model_id>/meta.yaml` (status as an integer), `params/<key>`,
 * `tags/<key>`, `metrics/<key>` (lines `timestamp value step run_id [dataset_name dataset_digest]`),
 * the artifacts under the experiment's artifact location at `models/<model_id>/artifacts`,
 * and `<run>/outputs/<model_id>/meta.yaml` for each model a run produced.
 */
import { existsSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { MlflowError } from "../errors";
import type {
  DatasetInput,
  Experiment,
  LifecycleStage,
  LoggedModel,
  LoggedModelParam,
  LoggedModelStatus,
  LoggedModelTag,
  Metric,
  ModelInput,
  ModelOutput,
  PagedList,
} from "../entities";
import { dumpYaml, type YamlValue } from "../yaml";
import { formatPythonFloat, parsePythonFloat } from "../pythonRepr";
import { generateRunName } from "../runNames";
import { validateKey, validateParam } from "../validation";
import {
  LOGGED_MODEL_STATUS_CODES,
  loggedModelArtifactLocation,
  loggedModelStatusFromCode,
  newLoggedModelId,
  validateLoggedModelName,
} from "../loggedModelRules";
import { searchLoggedModelList } from "../loggedModelSearch";
import { AppendWriter, readTextIfExists, writeFileAtomic } from "./atomicFiles";
import { META_DATA_FILE_NAME, METRICS_FOLDER_NAME, MODELS_FOLDER_NAME, PARAMS_FOLDER_NAME, TAGS_FOLDER_NAME } from "./fileLayout";
import type { CreateLoggedModelRequest, LoggedModelStore, SearchLoggedModelsOptions } from "./loggedModelStore";
import { writeRunInputs } from "./fileRunInputs";
import { listNames, readYamlMap } from "./yamlDirs";
import { makeDirs } from "../../util/makeDirs";

/** A run's output models folder. */
export const OUTPUTS_FOLDER_NAME = "outputs";

type YamlMap = { [key: string]: YamlValue };

/** What the logged models need of the FileStore that holds them. */
export interface FileModelHost {
  /** Every experiment directory, active and deleted, with its id. */
  experimentDirs(): Array<{ experimentId: string; dir: string }>;
  /** An experiment (RESOURCE_DOES_NOT_EXIST when unknown). */
  getExperiment(experimentId: string): Promise<Experiment>;
  /** The directory of an active run (RESOURCE_DOES_NOT_EXIST, INVALID_STATE otherwise) and its experiment id. */
  activeRun(runId: string): { runDir: string; experimentId: string };
  /** The directory of a run, deleted or not. */
  runDir(runId: string): string;
}

const nullable = (v: YamlValue | undefined): string | null => (v === null || v === undefined ? null : String(v));

/** Parses a logged model's metric file: latest value per (dataset name, digest), as MLflow 3's FileStore reads it. */
export function parseModelMetricLines(modelId: string, key: string, text: string, file: string): Metric[] {
  const latest = new Map<string, Metric>();
  text.split("\n").forEach((line, i) => {
    if (line.trim() === "") return;
    const parts = line.trim().split(" ");
    if (parts.length !== 4 && parts.length !== 6) {
      throw new MlflowError(`Metric file ${file}, line ${i + 1}: expected 4 or 6 fields (timestamp value step run_id [dataset_name dataset_digest]), got ${parts.length}.`, "INTERNAL_ERROR");
    }
    const m: Metric = {
      key,
      timestamp: Number(parts[0]),
      value: parsePythonFloat(parts[1] as string),
      step: Number(parts[2]),
      runId: parts[3] as string,
      datasetName: parts.length === 6 ? (parts[4] as string) : null,
      datasetDigest: parts.length === 6 ? (parts[5] as string) : null,
      modelId,
    };
    const group = `${m.datasetName}\0${m.datasetDigest}`;
    const best = latest.get(group);
    if (best === undefined || m.step > best.step || (m.step === best.step && (m.timestamp > best.timestamp || (m.timestamp === best.timestamp && m.value > best.value)))) {
      latest.set(group, m);
    }
  });
  return [...latest.values()];
}

/** The logged models of one FileStore. */
/** What a model id may be here: one folder name. */
const MODEL_ID_SEGMENT = /^[\w-]+$/;

export class FileLoggedModels implements LoggedModelStore {
  constructor(
    private readonly host: FileModelHost,
    private readonly appender: AppendWriter,
  ) {}

  /** `<experiment dir>/models/<model_id>` of an existing model, deleted or not. */
  private findModelDir(modelId: string): { dir: string; experimentId: string } | null {
    if (!MODEL_ID_SEGMENT.test(modelId)) return null;
    for (const { experimentId, dir } of this.host.experimentDirs()) {
      const modelDir = join(dir, MODELS_FOLDER_NAME, modelId);
      if (existsSync(join(modelDir, META_DATA_FILE_NAME))) return { dir: modelDir, experimentId };
    }
    return null;
  }

  private readModel(modelDir: string): { model: LoggedModel; meta: YamlMap } {
    const meta = readYamlMap(join(modelDir, META_DATA_FILE_NAME));
    if (meta === null) throw MlflowError.notFound(`Model '${modelDir}' not found`);
    const modelId = String(meta.model_id);
    const readKeyValues = (folder: string): Array<{ key: string; value: string }> =>
      listNames(join(modelDir, folder)).map((key) => ({ key, value: readTextIfExists(join(modelDir, folder, key)) ?? "" }));
    const metricsDir = join(modelDir, METRICS_FOLDER_NAME);
    const metrics = listNames(metricsDir).flatMap((key) =>
      parseModelMetricLines(modelId, key, readTextIfExists(join(metricsDir, key)) ?? "", join(metricsDir, key)),
    );
    const model: LoggedModel = {
      modelId,
      experimentId: String(meta.experiment_id),
      name: String(meta.name ?? ""),
      artifactLocation: String(meta.artifact_location ?? ""),
      creationTimestamp: Number(meta.creation_timestamp),
      lastUpdatedTimestamp: Number(meta.last_updated_timestamp),
      status: loggedModelStatusFromCode(meta.status),
      statusMessage: nullable(meta.status_message),
      modelType: nullable(meta.model_type),
      sourceRunId: nullable(meta.source_run_id),
      tags: readKeyValues(TAGS_FOLDER_NAME),
      params: readKeyValues(PARAMS_FOLDER_NAME),
      metrics,
    };
    return { model, meta };
  }

  private requireLive(modelId: string): { dir: string; model: LoggedModel; meta: YamlMap } {
    const found = this.findModelDir(modelId);
    if (found === null) throw MlflowError.notFound(`Model '${modelId}' not found`);
    const { model, meta } = this.readModel(found.dir);
    if (meta.lifecycle_stage === "deleted") throw MlflowError.notFound(`Model '${modelId}' not found`);
    if (model.experimentId !== found.experimentId) {
      throw new MlflowError(`Model '${modelId}' metadata is in invalid state.`, "INVALID_STATE");
    }
    return { dir: found.dir, model, meta };
  }

  /** meta.yaml as MLflow 3 writes it (`lifecycle_stage` only when given, as its FileStore does on create and delete). */
  private writeMeta(dir: string, model: LoggedModel, lifecycleStage?: LifecycleStage): void {
    const meta: YamlMap = {
      artifact_location: model.artifactLocation,
      creation_timestamp: model.creationTimestamp,
      experiment_id: model.experimentId,
      last_updated_timestamp: model.lastUpdatedTimestamp,
      model_id: model.modelId,
      model_type: model.modelType,
      name: model.name,
      source_run_id: model.sourceRunId,
      status: LOGGED_MODEL_STATUS_CODES[model.status],
      status_message: model.statusMessage,
    };
    if (lifecycleStage !== undefined) meta.lifecycle_stage = lifecycleStage;
    writeFileAtomic(join(dir, META_DATA_FILE_NAME), dumpYaml(meta), dir);
  }

  async createLoggedModel(request: CreateLoggedModelRequest): Promise<LoggedModel> {
    validateLoggedModelName(request.name);
    const experiment = await this.host.getExperiment(request.experimentId);
    if (experiment.lifecycleStage !== "active") {
      throw new MlflowError(`Could not create model under non-active experiment with ID ${request.experimentId}.`, "INVALID_STATE");
    }
    for (const p of request.params ?? []) validateParam(p);
    for (const t of request.tags ?? []) validateKey("tag", t.key);
    const modelId = newLoggedModelId();
    const experimentDir = this.host.experimentDirs().find((e) => e.experimentId === experiment.experimentId)?.dir;
    if (experimentDir === undefined) throw MlflowError.notFound(`Could not find experiment with ID ${request.experimentId}`);
    const dir = join(experimentDir, MODELS_FOLDER_NAME, modelId);
    const now = Date.now();
    const model: LoggedModel = {
      modelId,
      experimentId: experiment.experimentId,
      name: request.name ?? generateRunName(),
      artifactLocation: loggedModelArtifactLocation(experiment.artifactLocation, modelId),
      creationTimestamp: now,
      lastUpdatedTimestamp: now,
      status: "PENDING",
      statusMessage: null,
      modelType: request.modelType ?? null,
      sourceRunId: request.sourceRunId ?? null,
      tags: [],
      params: [],
      metrics: [],
    };
    makeDirs(join(dir, METRICS_FOLDER_NAME));
    makeDirs(join(dir, PARAMS_FOLDER_NAME));
    this.writeMeta(dir, model, "active");
    this.writeKeyValues(dir, PARAMS_FOLDER_NAME, request.params ?? []);
    this.writeKeyValues(dir, TAGS_FOLDER_NAME, request.tags ?? []);
    return this.getLoggedModel(modelId);
  }

  private writeKeyValues(dir: string, folder: string, items: ReadonlyArray<{ key: string; value: string }>): void {
    for (const { key, value } of items) writeFileAtomic(join(dir, folder, ...key.split("/")), value, dir);
  }

  async getLoggedModel(modelId: string): Promise<LoggedModel> {
    return this.requireLive(modelId).model;
  }

  async finalizeLoggedModel(modelId: string, status: LoggedModelStatus): Promise<LoggedModel> {
    const { dir, model } = this.requireLive(modelId);
    this.writeMeta(dir, { ...model, status, lastUpdatedTimestamp: Date.now() });
    return this.getLoggedModel(modelId);
  }

  async setLoggedModelTags(modelId: string, tags: readonly LoggedModelTag[]): Promise<void> {
    for (const t of tags) validateKey("tag", t.key);
    this.writeKeyValues(this.requireLive(modelId).dir, TAGS_FOLDER_NAME, tags);
  }

  async deleteLoggedModelTag(modelId: string, key: string): Promise<void> {
    validateKey("tag", key);
    const { dir } = this.requireLive(modelId);
    const path = join(dir, TAGS_FOLDER_NAME, ...key.split("/"));
    if (!existsSync(path)) throw MlflowError.notFound(`No tag with key '${key}' found for model with ID '${modelId}'.`);
    rmSync(path);
  }

  async logLoggedModelParams(modelId: string, params: readonly LoggedModelParam[]): Promise<void> {
    for (const p of params) validateParam(p);
    // As MLflow 3's FileStore: a param file is (over)written.
    this.writeKeyValues(this.requireLive(modelId).dir, PARAMS_FOLDER_NAME, params);
  }

  async deleteLoggedModel(modelId: string): Promise<void> {
    const { dir, model } = this.requireLive(modelId);
    this.writeMeta(dir, model, "deleted");
  }

  async searchLoggedModels(options: SearchLoggedModelsOptions): Promise<PagedList<LoggedModel>> {
    const wanted = new Set(options.experimentIds.map(String));
    const models: LoggedModel[] = [];
    for (const { experimentId, dir } of this.host.experimentDirs()) {
      if (!wanted.has(experimentId)) continue;
      for (const name of listNames(join(dir, MODELS_FOLDER_NAME))) {
        const modelDir = join(dir, MODELS_FOLDER_NAME, name);
        if (!existsSync(join(modelDir, META_DATA_FILE_NAME))) continue;
        const { model, meta } = this.readModel(modelDir);
        if (meta.lifecycle_stage === "deleted" || model.experimentId !== experimentId) continue;
        models.push(model);
      }
    }
    return searchLoggedModelList(models, options);
  }

  /** Appends metrics that name a logged model to that model's metric files (MLflow 3's `_log_model_metric`). */
  logModelMetrics(runId: string, experimentId: string, metrics: readonly Metric[]): void {
    const linesByPath = new Map<string, string>();
    for (const m of metrics) {
      if (m.modelId === undefined || m.modelId === null) continue;
      const found = this.findModelDir(m.modelId);
      if (found === null || found.experimentId !== experimentId) throw MlflowError.notFound(`Model '${m.modelId}' not found in experiment ${experimentId}`);
      const dataset = m.datasetName && m.datasetDigest ? ` ${m.datasetName} ${m.datasetDigest}` : "";
      const path = join(found.dir, METRICS_FOLDER_NAME, ...m.key.split("/"));
      linesByPath.set(path, (linesByPath.get(path) ?? "") + `${m.timestamp} ${formatPythonFloat(m.value)} ${m.step} ${runId}${dataset}\n`);
    }
    for (const [path, lines] of linesByPath) this.appender.append(path, lines);
  }

  /** Records the models a run produced: `<run>/outputs/<model_id>/meta.yaml`. */
  async logOutputs(runId: string, models: readonly ModelOutput[]): Promise<void> {
    const { runDir } = this.host.activeRun(runId);
    // The id names a folder: `../..` or `a/b` would write outside the run's outputs.
    const unsafe = models.find((m) => !MODEL_ID_SEGMENT.test(m.modelId));
    if (unsafe !== undefined) throw MlflowError.invalidParameterValue(`Invalid model id '${unsafe.modelId}' in the outputs of run '${runId}': only letters, digits, '_' and '-' are allowed.`);
    for (const output of models) {
      const dir = join(runDir, OUTPUTS_FOLDER_NAME, output.modelId);
      if (existsSync(join(dir, META_DATA_FILE_NAME))) continue;
      makeDirs(dir);
      // MLflow 3 writes the model id as destination_id too (and reads the model id from it).
      const meta: YamlMap = {
        destination_id: output.modelId,
        destination_type: "MODEL_OUTPUT",
        source_id: output.modelId,
        source_type: "RUN_OUTPUT",
        step: output.step,
        tags: {},
      };
      writeFileAtomic(join(dir, META_DATA_FILE_NAME), dumpYaml(meta), dir);
    }
  }

  /** Records the datasets and models a run used (`<run>/inputs/`, `<experiment>/datasets/`). */
  async logInputs(runId: string, datasets: readonly DatasetInput[], models: readonly ModelInput[] = []): Promise<void> {
    const { runDir } = this.host.activeRun(runId);
    writeRunInputs(dirname(runDir), runDir, runId, datasets, models);
  }

  /** The models a run produced, in folder order. */
  readOutputs(runDir: string): ModelOutput[] {
    const base = join(runDir, OUTPUTS_FOLDER_NAME);
    const out: ModelOutput[] = [];
    for (const name of listNames(base)) {
      const meta = readYamlMap(join(base, name, META_DATA_FILE_NAME));
      if (meta === null || meta.destination_type !== "MODEL_OUTPUT") continue;
      out.push({ modelId: String(meta.destination_id), step: Number(meta.step ?? 0) });
    }
    return out;
  }
}
