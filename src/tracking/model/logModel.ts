/**
 * `logModel`: saves a model in MLflow's format and logs it, as MLflow's `Model.log` does,
 * in one of two ways (see {@link ModelLogFormat}):
 * - MLflow 3 (`logged-model`): a LoggedModel entity is created in the run's experiment,
 *   linked to the run as an output, given the run's params and its metrics of that step,
 *   the files are uploaded to the model's own location, the model is finalized READY (FAILED
 *   when the upload fails) and registered as `models:/<model_id>` with its `model_id`;
 * - MLflow 2 (`run-artifact`): the files go under the run's artifacts and the run's
 *   `mlflow.log-model.history` tag records them; registered as `runs:/<run>/<path>`.
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { MlflowError } from "../errors";
import { makeOwnedTempDir } from "../../util/orphanFiles";
import type { LoggedModel, Metric, ModelVersion } from "../entities";
import type { MlflowClient } from "../client";
import { activeRun, getClient, startRun } from "../fluent";
import { pythonJsonDumps, type JsonValue } from "../pythonRepr";
import { defaultRunTags, MLFLOW_TAGS } from "../systemTags";
import { validateArtifactPath } from "../artifacts/artifactRepository";
import { MAX_TAG_VAL_LENGTH } from "../validation";
import { saveModel, type ModelInfo, type SaveModelOptions, type SerializableEstimator } from "./mlmodel";
import { chooseModelLogFormat, rememberLoggedModelsUnsupported, type ModelLogFormat } from "./modelLogFormat";
import type { InputTable, ModelSignature } from "./signature";
import { extraFlavorsFor } from "./flavors/registry";

/** Options of {@link logModel}. */
export interface LogModelOptions {
  /** Where in the run's artifacts (MLflow 2), or the logged model's name (MLflow 3); default "model". */
  readonly artifactPath?: string;
  /** The fitted preprocessor applied before the model at prediction time. */
  readonly preprocessor?: SerializableEstimator;
  /** Input columns and types; checked by {@link loadModel}'s predictor. */
  readonly signature?: ModelSignature;
  /** A few input rows, saved as `input_example.json` (pandas split orientation). */
  readonly inputExample?: InputTable;
  /** Registers the logged model as a new version of this registered model (created when missing). */
  readonly registeredModelName?: string;
  /** Log into this run instead of the active one. */
  readonly runId?: string;
  /**
   * Also write the whole pipeline (preprocessor and model) as ONNX with MLflow's `onnx`
   * flavor (default false; needs the library's flavor provider, registered by its integration layer).
   */
  readonly onnx?: boolean;
  /** MLflow 3 logged model or MLflow 2 run artifact; default "auto" (see {@link chooseModelLogFormat}). */
  readonly format?: ModelLogFormat | "auto";
  /** MLflow 3: the step of the run the model belongs to (default 0); the run's metrics of that step become the model's. */
  readonly step?: number;
  /** MLflow 3: the logged model's type ("Regressor", ...). */
  readonly modelType?: string;
  /** MLflow 3: extra tags of the logged model. */
  readonly tags?: Readonly<Record<string, string>>;
}

/** What {@link logModel} logged. */
export interface LogModelResult extends ModelInfo {
  /** The new registry version when `registeredModelName` was given. */
  readonly registeredModelVersion: ModelVersion | null;
  /** The MLflow 3 logged model, when the model was logged as one. */
  readonly loggedModel: LoggedModel | null;
}

/** Appends an entry to the run's `mlflow.log-model.history` tag (a JSON list, as MLflow keeps it). */
async function appendModelHistory(client: MlflowClient, runId: string, info: ModelInfo): Promise<void> {
  const run = await client.getRun(runId);
  const existing = run.data.tags.find((t) => t.key === MLFLOW_TAGS.logModelHistory)?.value;
  let history: JsonValue[] = [];
  if (existing !== undefined) {
    try {
      const parsed: unknown = JSON.parse(existing);
      if (Array.isArray(parsed)) history = parsed as JsonValue[];
    } catch {
      history = [];
    }
  }
  history.push({
    run_id: runId,
    artifact_path: info.artifactPath,
    utc_time_created: info.utcTimeCreated,
    model_uuid: info.modelUuid,
    flavors: info.flavors as { [key: string]: JsonValue },
  });
  let value = pythonJsonDumps(history);
  // A tag holds at most MAX_TAG_VAL_LENGTH (8000) characters: keep the most recent entries that fit.
  while (value.length > MAX_TAG_VAL_LENGTH && history.length > 1) {
    history.shift();
    value = pythonJsonDumps(history);
  }
  await client.setTag(runId, MLFLOW_TAGS.logModelHistory, value);
}

/**
 * Registers a model URI under `name`, creating the registered model when missing:
 * `runs:/<runId>/<path>` (MLflow 2) or `models:/<model_id>` with its `modelId` (MLflow 3).
 */
export async function registerModel(client: MlflowClient, modelUri: string, name: string, options: { modelId?: string } = {}): Promise<ModelVersion> {
  try {
    await client.createRegisteredModel(name);
  } catch (err) {
    if (!(err instanceof MlflowError && err.errorCode === "RESOURCE_ALREADY_EXISTS")) throw err;
  }
  return client.createModelVersion(name, modelUri, options.modelId === undefined ? {} : { modelId: options.modelId });
}

/** Saves the model into a temporary directory, hands it to `upload`, and cleans up. */
async function withSavedModel<T>(
  model: SerializableEstimator,
  options: Omit<LogModelOptions, "runId">,
  meta: Pick<SaveModelOptions, "artifactPath" | "runId" | "loggedModel">,
  upload: (localDir: string, info: ModelInfo) => Promise<T>,
): Promise<T> {
  const tmp = makeOwnedTempDir("mlflow-model-");
  try {
    const local = join(tmp, "model");
    const info = saveModel(model, local, {
      preprocessor: options.preprocessor,
      signature: options.signature,
      inputExample: options.inputExample,
      flavors: extraFlavorsFor(model, options),
      ...meta,
    });
    return await upload(local, info);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** MLflow 2: the model as a run artifact, recorded in the run's model history. */
async function logAsRunArtifact(client: MlflowClient, runId: string, model: SerializableEstimator, artifactPath: string, options: Omit<LogModelOptions, "runId">): Promise<LogModelResult> {
  const info = await withSavedModel(model, options, { artifactPath, runId }, async (local, saved) => {
    await client.logArtifacts(runId, local, artifactPath);
    return saved;
  });
  await appendModelHistory(client, runId, info);
  const registeredModelVersion =
    options.registeredModelName === undefined ? null : await registerModel(client, info.modelUri, options.registeredModelName);
  return { ...info, registeredModelVersion, loggedModel: null };
}

/** The run's metric values at `step` not yet linked to a model, as metrics of `modelId` (MLflow 3's `log_model_metrics_for_step`). */
async function runMetricsAtStep(client: MlflowClient, runId: string, modelId: string, step: number): Promise<Metric[]> {
  const run = await client.getRun(runId);
  const out: Metric[] = [];
  for (const key of run.data.metrics.map((m) => m.key)) {
    for (const m of await client.getMetricHistory(runId, key)) {
      if (m.step === step && (m.modelId === undefined || m.modelId === null)) out.push({ ...m, runId, modelId });
    }
  }
  return out;
}

/** MLflow 3: a PENDING LoggedModel in the run's experiment, with the run's params and the context tags MLflow adds. */
async function createRunModel(client: MlflowClient, runId: string, name: string, options: Omit<LogModelOptions, "runId">): Promise<LoggedModel> {
  const run = await client.getRun(runId);
  const params: Record<string, string> = {};
  for (const p of run.data.params) params[p.key] = p.value;
  const tags: Record<string, string> = {};
  for (const t of defaultRunTags()) tags[t.key] = t.value;
  Object.assign(tags, options.tags ?? {});
  return client.createLoggedModel(run.info.experimentId, { name, sourceRunId: runId, modelType: options.modelType, params, tags });
}

/** MLflow 3: links the created model to the run, uploads the files, finalizes and registers it. */
async function completeLoggedModel(
  client: MlflowClient,
  runId: string,
  created: LoggedModel,
  model: SerializableEstimator,
  name: string,
  options: Omit<LogModelOptions, "runId">,
): Promise<LogModelResult> {
  const modelId = created.modelId;
  let info: ModelInfo;
  try {
    const step = options.step ?? 0;
    await client.logOutputs(runId, [{ modelId, step }]);
    const metrics = await runMetricsAtStep(client, runId, modelId, step);
    if (metrics.length > 0) await client.logBatch(runId, { metrics });
    info = await withSavedModel(model, options, { artifactPath: name, runId, loggedModel: { modelId, artifactLocation: created.artifactLocation } }, async (local, saved) => {
      await client.logModelArtifacts(modelId, local);
      return saved;
    });
  } catch (err) {
    await client.finalizeLoggedModel(modelId, "FAILED").catch(() => undefined);
    throw err;
  }
  const loggedModel = await client.finalizeLoggedModel(modelId, "READY");
  const registeredModelVersion =
    options.registeredModelName === undefined ? null : await registerModel(client, `models:/${modelId}`, options.registeredModelName, { modelId });
  return { ...info, artifactPath: name, registeredModelVersion, loggedModel };
}

/**
 * Logs `model` (anything with `toJSON(): {kind, params, state}`) to a run with the
 * client: writes `MLmodel`, `estimator.json`, `preprocessor.json`, the input example and the
 * extra flavors registered providers offer for it (MLflow's `xgboost` for a booster, `onnx`
 * when asked), as an MLflow 3 logged model or an MLflow 2 run artifact, and registers it when asked.
 */
export async function logModelToRun(
  client: MlflowClient,
  runId: string,
  model: SerializableEstimator,
  options: Omit<LogModelOptions, "runId"> = {},
): Promise<LogModelResult> {
  const artifactPath = validateArtifactPath(options.artifactPath ?? "model");
  if (artifactPath === "") throw MlflowError.invalidParameterValue("artifactPath must not be empty.");
  const format = options.format === undefined || options.format === "auto" ? chooseModelLogFormat(client.trackingUri) : options.format;
  if (format === "run-artifact") return logAsRunArtifact(client, runId, model, artifactPath, options);
  let created: LoggedModel;
  try {
    created = await createRunModel(client, runId, artifactPath, options);
  } catch (err) {
    // An MLflow 2 server has no logged-models endpoint: remember it, and log the MLflow 2 way.
    if (options.format !== "logged-model" && rememberLoggedModelsUnsupported(client.trackingUri, err)) {
      return logAsRunArtifact(client, runId, model, artifactPath, options);
    }
    throw err;
  }
  return completeLoggedModel(client, runId, created, model, artifactPath, options);
}

/** Logs `model` to the active run (started when none is active); see {@link logModelToRun}. */
export async function logModel(model: SerializableEstimator, options: LogModelOptions = {}): Promise<LogModelResult> {
  const runId = options.runId ?? activeRun()?.info.runId ?? (await startRun()).info.runId;
  return logModelToRun(getClient(), runId, model, options);
}
