/**
 * Saving a model as MLflow does: a directory with an `MLmodel` file (YAML, MLflow 2.17's
 * fields) naming our flavor `mlflow_demo_ts`, the model and fitted preprocessor as JSON,
 * and an input example. MLflow's `python_function` flavor cannot be offered: it would need
 * a Python loader module for our JSON models, so MLflow's Python client lists and
 * downloads these models but cannot `mlflow.pyfunc.load_model` them.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { randomUUID } from "node:crypto";
import { MlflowError } from "../errors";
import { dumpYaml, loadYaml, type YamlValue } from "../yaml";
import { schemaFromJson, schemaToJson, type InputTable, type ModelSignature } from "./signature";

/** Our flavor's name in `MLmodel`. */
export const FLAVOR_NAME = "mlflow_demo_ts";
/** The MLflow version whose `MLmodel` format we write. */
export const MLFLOW_FORMAT_VERSION = "2.17.2";
/** The `MLmodel` file name. */
export const MLMODEL_FILE_NAME = "MLmodel";
const MODEL_DATA_FILE = "model.json";
const PREPROCESSOR_DATA_FILE = "preprocessor.json";
const INPUT_EXAMPLE_FILE = "input_example.json";
const SERVING_INPUT_FILE = "serving_input_example.json";

/** A model saved as plain JSON: class name, constructor options and learned state (as `EstimatorJSON`). */
export interface SavedEstimatorJSON {
  readonly kind: string;
  readonly params: object;
  readonly state: object | null;
}

/** Anything that can be saved: every estimator and transformer of this library. */
export interface SerializableEstimator {
  toJSON(): SavedEstimatorJSON;
}

/** What `MLmodel` says about a saved model. */
export interface ModelInfo {
  readonly artifactPath: string;
  /** `runs:/<runId>/<artifactPath>` for logged models. */
  readonly modelUri: string;
  readonly runId: string | null;
  readonly modelUuid: string;
  /** Python's `str(datetime.utcnow())`, e.g. "2026-11-26 09:40:00.123456". */
  readonly utcTimeCreated: string;
  readonly flavors: { [name: string]: YamlValue };
  readonly signature: ModelSignature | null;
  readonly estimatorKind: string;
  readonly hasPreprocessor: boolean;
}

/** Options of {@link saveModel}. */
export interface SaveModelOptions {
  readonly preprocessor?: SerializableEstimator;
  readonly signature?: ModelSignature;
  readonly inputExample?: InputTable;
  /** Written into `MLmodel` (`artifact_path`, `run_id`) when the model belongs to a run. */
  readonly artifactPath?: string;
  readonly runId?: string;
}

let libraryVersion: string | undefined;

/** This library's version, from its package.json. */
export function getLibraryVersion(): string {
  if (libraryVersion !== undefined) return libraryVersion;
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    const file = join(dir, "package.json");
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, "utf8")) as { name?: string; version?: string };
      if (pkg.name === "mlflow-demo-ts" && typeof pkg.version === "string") return (libraryVersion = pkg.version);
    }
    dir = dirname(dir);
  }
  return (libraryVersion = "unknown");
}

/** Python's `str(datetime.utcnow())` for a JavaScript date (microseconds padded from milliseconds). */
export function pythonUtcNow(date: Date = new Date()): string {
  const iso = date.toISOString(); // 2026-11-26T09:40:00.123Z
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}000`;
}

function checkSerializable(what: string, value: SerializableEstimator): SavedEstimatorJSON {
  if (typeof (value as { toJSON?: unknown }).toJSON !== "function") {
    throw MlflowError.invalidParameterValue(`${what} must have a toJSON() method returning {kind, params, state}.`);
  }
  const json = value.toJSON();
  if (typeof json?.kind !== "string" || typeof json.params !== "object" || json.params === null) {
    throw MlflowError.invalidParameterValue(`${what}.toJSON() must return {kind: string, params: object, state}.`);
  }
  if (json.state === null) {
    throw MlflowError.invalidParameterValue(`${what} (${json.kind}) is not fitted: its toJSON() state is null. Fit it before saving.`);
  }
  return json;
}

function directorySize(dir: string): number {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    total += e.isDirectory() ? directorySize(p) : statSync(p).size;
  }
  return total;
}

/** Writes `model` (and its preprocessor) to `dir` in MLflow's model format; resolves to its {@link ModelInfo}. */
export function saveModel(model: SerializableEstimator, dir: string, options: SaveModelOptions = {}): ModelInfo {
  const modelJson = checkSerializable("model", model);
  const preJson = options.preprocessor === undefined ? null : checkSerializable("preprocessor", options.preprocessor);
  if (existsSync(join(dir, MLMODEL_FILE_NAME))) {
    throw MlflowError.alreadyExists(`A model already exists at ${dir}.`);
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, MODEL_DATA_FILE), JSON.stringify(modelJson));
  if (preJson !== null) writeFileSync(join(dir, PREPROCESSOR_DATA_FILE), JSON.stringify(preJson));
  const flavor: { [key: string]: YamlValue } = {
    estimator_kind: modelJson.kind,
    format_version: 1,
    library: "mlflow-demo-ts",
    library_version: getLibraryVersion(),
    model_data: MODEL_DATA_FILE,
  };
  if (preJson !== null) {
    flavor.preprocessor_data = PREPROCESSOR_DATA_FILE;
    flavor.preprocessor_kind = preJson.kind;
  }
  const meta: { [key: string]: YamlValue } = {
    artifact_path: options.artifactPath ?? null,
    flavors: { [FLAVOR_NAME]: flavor },
    mlflow_version: MLFLOW_FORMAT_VERSION,
    model_uuid: randomUUID().replace(/-/g, ""),
    run_id: options.runId ?? null,
    utc_time_created: pythonUtcNow(),
  };
  if (options.signature !== undefined) {
    meta.signature = {
      inputs: schemaToJson(options.signature.inputs),
      outputs: options.signature.outputs === undefined ? null : schemaToJson(options.signature.outputs),
      params: null,
    };
  }
  if (options.inputExample !== undefined) {
    const example = { columns: [...options.inputExample.columns], data: options.inputExample.data.map((r) => [...r]) };
    writeFileSync(join(dir, INPUT_EXAMPLE_FILE), JSON.stringify(example));
    writeFileSync(join(dir, SERVING_INPUT_FILE), JSON.stringify({ dataframe_split: example }, null, 2));
    meta.saved_input_example_info = {
      artifact_path: INPUT_EXAMPLE_FILE,
      pandas_orient: "split",
      serving_input_path: SERVING_INPUT_FILE,
      type: "dataframe",
    };
  }
  meta.model_size_bytes = directorySize(dir);
  writeFileSync(join(dir, MLMODEL_FILE_NAME), dumpYaml(meta));
  return readModelInfo(dir);
}

/** Reads `MLmodel` from a model directory. */
export function readModelInfo(dir: string): ModelInfo {
  const file = join(dir, MLMODEL_FILE_NAME);
  if (!existsSync(file)) throw MlflowError.notFound(`No MLmodel file at ${dir}: it is not a saved model.`);
  const meta = loadYaml(readFileSync(file, "utf8")) as { [key: string]: YamlValue };
  const flavors = (meta.flavors ?? {}) as { [name: string]: YamlValue };
  const ours = flavors[FLAVOR_NAME] as { [key: string]: YamlValue } | undefined;
  const sig = meta.signature as { inputs?: YamlValue; outputs?: YamlValue } | null | undefined;
  const signature: ModelSignature | null =
    sig === null || sig === undefined || typeof sig.inputs !== "string"
      ? null
      : { inputs: schemaFromJson(sig.inputs), ...(typeof sig.outputs === "string" ? { outputs: schemaFromJson(sig.outputs) } : {}) };
  const runId = meta.run_id === null || meta.run_id === undefined ? null : String(meta.run_id);
  const artifactPath = meta.artifact_path === null || meta.artifact_path === undefined ? "" : String(meta.artifact_path);
  return {
    artifactPath,
    modelUri: runId === null ? dir : `runs:/${runId}/${artifactPath}`,
    runId,
    modelUuid: String(meta.model_uuid ?? ""),
    utcTimeCreated: String(meta.utc_time_created ?? ""),
    flavors,
    signature,
    estimatorKind: ours === undefined ? "" : String(ours.estimator_kind ?? ""),
    hasPreprocessor: ours !== undefined && typeof ours.preprocessor_data === "string",
  };
}

/** Reads the model and preprocessor JSON of a saved model directory (data only: nothing is executed). */
export function readSavedEstimators(dir: string): { model: SavedEstimatorJSON; preprocessor: SavedEstimatorJSON | null; info: ModelInfo } {
  const info = readModelInfo(dir);
  const flavor = info.flavors[FLAVOR_NAME] as { [key: string]: YamlValue } | undefined;
  if (flavor === undefined) {
    throw MlflowError.invalidParameterValue(
      `The model at ${dir} has no '${FLAVOR_NAME}' flavor (flavors: ${Object.keys(info.flavors).join(", ") || "none"}); it was not saved by mlflow-demo-ts.`,
    );
  }
  const parse = (file: string): SavedEstimatorJSON => {
    const path = join(dir, file);
    const json = JSON.parse(readFileSync(path, "utf8")) as SavedEstimatorJSON;
    if (typeof json?.kind !== "string" || typeof json.params !== "object") {
      throw MlflowError.invalidParameterValue(`${path} is not a saved estimator ({kind, params, state}).`);
    }
    return json;
  };
  const model = parse(String(flavor.model_data ?? MODEL_DATA_FILE));
  const preprocessor = typeof flavor.preprocessor_data === "string" ? parse(flavor.preprocessor_data) : null;
  return { model, preprocessor, info };
}
