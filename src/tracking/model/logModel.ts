/**
 * `logModel`: saves a model into the active run's artifacts in MLflow's format, records
 * it in the run's `mlflow.log-model.history` tag, and optionally registers it
 * (MLflow's `Model.log` + `mlflow.register_model`).
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { MlflowError } from "../errors";
import { makeOwnedTempDir } from "../../util/orphanFiles";
import type { ModelVersion } from "../entities";
import type { MlflowClient } from "../client";
import { activeRun, getClient, startRun } from "../fluent";
import { pythonJsonDumps, type JsonValue } from "../pythonRepr";
import { MLFLOW_TAGS } from "../systemTags";
import { validateArtifactPath } from "../artifacts/artifactRepository";
import { MAX_TAG_VAL_LENGTH } from "../validation";
import { saveModel, type ModelInfo, type SerializableEstimator } from "./mlmodel";
import type { InputTable, ModelSignature } from "./signature";
import { extraFlavorsFor } from "./flavors/registry";

/** Options of {@link logModel}. */
export interface LogModelOptions {
  /** Where in the run's artifacts; default "model". */
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
}

/** What {@link logModel} logged. */
export interface LoggedModel extends ModelInfo {
  /** The new registry version when `registeredModelName` was given. */
  readonly registeredModelVersion: ModelVersion | null;
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

/** Registers `runs:/<runId>/<path>` under `name`, creating the registered model when missing. */
export async function registerModel(client: MlflowClient, modelUri: string, name: string): Promise<ModelVersion> {
  try {
    await client.createRegisteredModel(name);
  } catch (err) {
    if (!(err instanceof MlflowError && err.errorCode === "RESOURCE_ALREADY_EXISTS")) throw err;
  }
  return client.createModelVersion(name, modelUri);
}

/**
 * Logs `model` (anything with `toJSON(): {kind, params, state}`) to a run with the
 * client: writes `MLmodel`, `estimator.json`, `preprocessor.json`, the input example and the
 * extra flavors registered providers offer for it (MLflow's `xgboost` for a booster, `onnx`
 * when asked) under `artifactPath`, updates the model history tag, and registers it when asked.
 */
export async function logModelToRun(
  client: MlflowClient,
  runId: string,
  model: SerializableEstimator,
  options: Omit<LogModelOptions, "runId"> = {},
): Promise<LoggedModel> {
  const artifactPath = validateArtifactPath(options.artifactPath ?? "model");
  if (artifactPath === "") throw MlflowError.invalidParameterValue("artifactPath must not be empty.");
  const tmp = makeOwnedTempDir("mlflow-model-");
  let info: ModelInfo;
  try {
    const local = join(tmp, "model");
    info = saveModel(model, local, {
      preprocessor: options.preprocessor,
      signature: options.signature,
      inputExample: options.inputExample,
      artifactPath,
      runId,
      flavors: extraFlavorsFor(model, options),
    });
    await client.logArtifacts(runId, local, artifactPath);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  await appendModelHistory(client, runId, info);
  const registeredModelVersion =
    options.registeredModelName === undefined ? null : await registerModel(client, info.modelUri, options.registeredModelName);
  return { ...info, registeredModelVersion };
}

/** Logs `model` to the active run (started when none is active); see {@link logModelToRun}. */
export async function logModel(model: SerializableEstimator, options: LogModelOptions = {}): Promise<LoggedModel> {
  const runId = options.runId ?? activeRun()?.info.runId ?? (await startRun()).info.runId;
  return logModelToRun(getClient(), runId, model, options);
}
