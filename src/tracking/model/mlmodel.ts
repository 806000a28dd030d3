/**
 * Saving a model as MLflow does: a directory with an `MLmodel` file (YAML, MLflow 2.17's
 * fields) naming our flavor `mlflow_demo_ts`, the model and fitted preprocessor as JSON,
 * and an input example; next to ours, the extra flavors asked for (MLflow's `xgboost`,
 * `onnx`, see `flavors/`), the first of which that offers one gives the `python_function`
 * that `mlflow.pyfunc.load_model` uses. Our flavor takes the raw columns; when the
 * `python_function` takes another input (a booster's preprocessed features), `MLmodel`'s
 * signature and input example describe that input and our flavor records its own.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { randomUUID } from "node:crypto";
import { MlflowError } from "../errors";
import { dumpYaml, type YamlValue } from "../yaml";
import { readModelJson, readModelYaml } from "./modelFiles";
import { schemaFromJson, schemaToJson, type InputTable, type ModelSignature } from "./signature";
import type { ModelFlavor } from "./flavors/modelFlavor";
import { writePyfuncFlavor } from "./flavors/pythonEnv";
import { readXGBoostFlavor, XGBOOST_FLAVOR } from "./flavors/xgboostFlavor";
import { makeDirs } from "../../util/makeDirs";

/** Our flavor's name in `MLmodel`. */
export const FLAVOR_NAME = "mlflow_demo_ts";
/** The MLflow version whose `MLmodel` format we write for a model logged the MLflow 2 way (a run artifact). */
export const MLFLOW_FORMAT_VERSION = "2.17.2";
/** The MLflow version whose `MLmodel` format we write for an MLflow 3 logged model (`model_id` set). */
export const MLFLOW3_FORMAT_VERSION = "3.6.0";
/** The `MLmodel` file name. */
export const MLMODEL_FILE_NAME = "MLmodel";
// Not "model.json": that is the name MLflow's xgboost flavor gives its model file.
const MODEL_DATA_FILE = "estimator.json";
const PREPROCESSOR_DATA_FILE = "preprocessor.json";
const INPUT_EXAMPLE_FILE = "input_example.json";
const SERVING_INPUT_FILE = "serving_input_example.json";
const OWN_INPUT_EXAMPLE_FILE = "mlflow_demo_ts_input_example.json";

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
  /** `models:/<modelId>` for an MLflow 3 logged model, `runs:/<runId>/<artifactPath>` for a run artifact. */
  readonly modelUri: string;
  readonly runId: string | null;
  /** MLflow 3: the logged model's id (`m-...`), else null. */
  readonly modelId: string | null;
  /** The MLflow version whose format the `MLmodel` file follows. */
  readonly mlflowVersion: string;
  readonly modelUuid: string;
  /** Python's `str(datetime.utcnow())`, e.g. "2026-11-26 09:40:00.123456". */
  readonly utcTimeCreated: string;
  readonly flavors: { [name: string]: YamlValue };
  /** The input our flavor's predictor takes (MLmodel's signature unless our flavor records its own). */
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
  /** More flavors to write next to ours (see `flavors/`). */
  readonly flavors?: readonly ModelFlavor[];
  /**
   * MLflow 3: the logged model the files belong to. `MLmodel` then follows MLflow 3.6
   * (`model_id`, `model_uuid` = the id, `artifact_path` = the model's artifact location).
   */
  readonly loggedModel?: { readonly modelId: string; readonly artifactLocation: string };
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
  makeDirs(dir);
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
  const flavors: { [name: string]: YamlValue } = { [FLAVOR_NAME]: flavor };
  const pyfunc = options.flavors?.find((f) => f.pyfunc !== undefined)?.pyfunc;
  for (const extra of options.flavors ?? []) flavors[extra.name] = extra.write(dir);
  const logged = options.loggedModel;
  const mlflowVersion = logged === undefined ? MLFLOW_FORMAT_VERSION : MLFLOW3_FORMAT_VERSION;
  if (pyfunc !== undefined) flavors.python_function = writePyfuncFlavor(dir, pyfunc, mlflowVersion);
  const meta: { [key: string]: YamlValue } = {
    artifact_path: logged?.artifactLocation ?? options.artifactPath ?? null,
    flavors,
    mlflow_version: mlflowVersion,
    model_uuid: logged?.modelId ?? randomUUID().replace(/-/g, ""),
    run_id: options.runId ?? null,
    utc_time_created: pythonUtcNow(),
  };
  if (logged !== undefined) meta.model_id = logged.modelId;
  let signature = options.signature;
  let inputExample = options.inputExample;
  if (pyfunc?.input !== undefined) {
    // null says "no schema of ours": MLmodel's signature is then the python_function's, not our input.
    flavor.input_schema = signature === undefined ? null : schemaToJson(signature.inputs);
    if (inputExample !== undefined) {
      writeFileSync(join(dir, OWN_INPUT_EXAMPLE_FILE), JSON.stringify(splitTable(inputExample)));
      flavor.input_example = OWN_INPUT_EXAMPLE_FILE;
    }
    ({ signature, example: inputExample } = pyfunc.input);
  }
  if (signature !== undefined) meta.signature = signatureYaml(signature);
  if (inputExample !== undefined) meta.saved_input_example_info = writeInputExample(dir, inputExample);
  meta.model_size_bytes = directorySize(dir);
  writeFileSync(join(dir, MLMODEL_FILE_NAME), dumpYaml(meta));
  return readModelInfo(dir);
}

function splitTable(table: InputTable): { columns: string[]; data: InputTable["data"][number][] } {
  return { columns: [...table.columns], data: table.data.map((r) => [...r]) };
}

/** `MLmodel`'s `signature` field: schemas as JSON strings. */
function signatureYaml(signature: ModelSignature): YamlValue {
  return {
    inputs: schemaToJson(signature.inputs),
    outputs: signature.outputs === undefined ? null : schemaToJson(signature.outputs),
    params: null,
  };
}

/** Writes `input_example.json` and `serving_input_example.json`; returns `saved_input_example_info`. */
function writeInputExample(dir: string, table: InputTable): YamlValue {
  const example = splitTable(table);
  writeFileSync(join(dir, INPUT_EXAMPLE_FILE), JSON.stringify(example));
  writeFileSync(join(dir, SERVING_INPUT_FILE), JSON.stringify({ dataframe_split: example }, null, 2));
  return { artifact_path: INPUT_EXAMPLE_FILE, pandas_orient: "split", serving_input_path: SERVING_INPUT_FILE, type: "dataframe" };
}

/** Reads `MLmodel` from a model directory. */
export function readModelInfo(dir: string): ModelInfo {
  if (!existsSync(join(dir, MLMODEL_FILE_NAME))) throw MlflowError.notFound(`No MLmodel file at ${dir}: it is not a saved model.`);
  const parsed = readModelYaml(dir, MLMODEL_FILE_NAME);
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw MlflowError.invalidParameterValue(`The model at ${dir}: 'MLmodel' is not a YAML mapping.`);
  const meta = parsed as { [key: string]: YamlValue };
  const flavors = (meta.flavors ?? {}) as { [name: string]: YamlValue };
  const ours = flavors[FLAVOR_NAME] as { [key: string]: YamlValue } | undefined;
  const sig = meta.signature as { inputs?: YamlValue; outputs?: YamlValue } | null | undefined;
  // Our flavor's own input, when MLmodel's signature describes the python_function's.
  const signature: ModelSignature | null =
    typeof ours?.input_schema === "string"
      ? { inputs: schemaFromJson(ours.input_schema) }
      : ours?.input_schema === null || sig === null || sig === undefined || typeof sig.inputs !== "string"
        ? null
        : { inputs: schemaFromJson(sig.inputs), ...(typeof sig.outputs === "string" ? { outputs: schemaFromJson(sig.outputs) } : {}) };
  const runId = meta.run_id === null || meta.run_id === undefined ? null : String(meta.run_id);
  const artifactPath = meta.artifact_path === null || meta.artifact_path === undefined ? "" : String(meta.artifact_path);
  const modelId = meta.model_id === null || meta.model_id === undefined ? null : String(meta.model_id);
  return {
    artifactPath,
    modelUri: modelId !== null ? `models:/${modelId}` : runId === null ? dir : `runs:/${runId}/${artifactPath}`,
    runId,
    modelId,
    mlflowVersion: String(meta.mlflow_version ?? ""),
    modelUuid: String(meta.model_uuid ?? ""),
    utcTimeCreated: String(meta.utc_time_created ?? ""),
    flavors,
    signature,
    estimatorKind: ours === undefined ? "" : String(ours.estimator_kind ?? ""),
    hasPreprocessor: ours !== undefined && typeof ours.preprocessor_data === "string",
  };
}

/**
 * Reads the model and preprocessor JSON of a saved model directory (data only: nothing is
 * executed). A model without our flavor but with MLflow's `xgboost` flavor (logged by Python)
 * gives its booster as XGBoost's JSON model, of kind `XGBoostModel`.
 */
export function readSavedEstimators(dir: string): { model: SavedEstimatorJSON; preprocessor: SavedEstimatorJSON | null; info: ModelInfo } {
  const info = readModelInfo(dir);
  const flavor = info.flavors[FLAVOR_NAME] as { [key: string]: YamlValue } | undefined;
  const xgboost = info.flavors[XGBOOST_FLAVOR] as { [key: string]: YamlValue } | undefined;
  if (flavor === undefined && xgboost !== undefined && typeof xgboost === "object") {
    return { model: readXGBoostFlavor(dir, xgboost), preprocessor: null, info };
  }
  if (flavor === undefined) {
    throw MlflowError.invalidParameterValue(
      `The model at ${dir} has neither our '${FLAVOR_NAME}' flavor nor MLflow's '${XGBOOST_FLAVOR}' flavor (flavors: ${Object.keys(info.flavors).join(", ") || "none"}); it cannot be loaded here.`,
    );
  }
  const parse = (file: string): SavedEstimatorJSON => {
    const json = readModelJson(dir, file) as SavedEstimatorJSON | null;
    if (typeof json?.kind !== "string" || typeof json.params !== "object") {
      throw MlflowError.invalidParameterValue(`${join(dir, file)} is not a saved estimator ({kind, params, state}).`);
    }
    return json;
  };
  const model = parse(String(flavor.model_data ?? MODEL_DATA_FILE));
  const preprocessor = typeof flavor.preprocessor_data === "string" ? parse(flavor.preprocessor_data) : null;
  return { model, preprocessor, info };
}
