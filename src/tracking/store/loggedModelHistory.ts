/**
 * The run tag `mlflow.log-model.history` as MLflow's stores keep it (`record_logged_model`):
 * a JSON list, one entry per logged model holding only `run_id`, `artifact_path`,
 * `utc_time_created`, `model_uuid` and `flavors` (each flavor without its `config`),
 * written as Python's `json.dumps` writes it. The list grows without the tag length limit
 * (MLflow validates the value but stores it whole), so many models never overflow it.
 */
import { MlflowError } from "../errors";
import { pythonJsonDumps, type JsonValue } from "../pythonRepr";
import { MLFLOW_TAGS } from "../systemTags";

/** The tag's key. */
export const LOG_MODEL_HISTORY_TAG = MLFLOW_TAGS.logModelHistory;

type JsonObject = { [key: string]: JsonValue };

const REQUIRED = ["artifact_path", "flavors", "utc_time_created", "run_id"] as const;

/**
 * The history entry of a model's `MLmodel` dict (MLflow's `Model.from_dict(d).get_tags_dict()`).
 * Throws INVALID_PARAMETER_VALUE, as MLflow's server does, when a mandatory field is missing.
 */
export function loggedModelEntry(model: JsonObject): JsonObject {
  const missing = REQUIRED.filter((k) => !(k in model));
  if (missing.length > 0) {
    throw MlflowError.invalidParameterValue(`Model json is missing mandatory fields: {${missing.map((k) => `'${k}'`).join(", ")}}`);
  }
  checkSignature(model.signature);
  const entry: JsonObject = {};
  if (model.run_id !== null && model.run_id !== undefined) entry.run_id = model.run_id;
  if (model.artifact_path !== null && model.artifact_path !== undefined) entry.artifact_path = model.artifact_path;
  // Python's `str(utc_time_created or datetime.utcnow())`.
  entry.utc_time_created = model.utc_time_created ? String(model.utc_time_created) : new Date().toISOString().replace("T", " ").replace("Z", "000");
  entry.model_uuid = model.model_uuid ?? null;
  const flavors: JsonObject = {};
  const given = model.flavors;
  if (given !== null && typeof given === "object" && !Array.isArray(given)) {
    for (const [name, config] of Object.entries(given)) {
      if (config !== null && typeof config === "object" && !Array.isArray(config)) {
        flavors[name] = Object.fromEntries(Object.entries(config).filter(([k]) => k !== "config"));
      } else flavors[name] = config;
    }
  }
  entry.flavors = flavors;
  return entry;
}

/** The checks MLflow's `ModelSignature.from_dict` makes that a client could trip: its schemas are JSON lists, inputs not empty. */
function checkSignature(signature: JsonValue | undefined): void {
  if (signature === null || signature === undefined || typeof signature !== "object" || Array.isArray(signature)) return;
  for (const field of ["inputs", "outputs"] as const) {
    const text = signature[field];
    if (typeof text !== "string") continue;
    let schema: unknown;
    try {
      schema = JSON.parse(text);
    } catch {
      throw MlflowError.invalidParameterValue(`Model json has a signature whose '${field}' is not valid JSON.`);
    }
    if (!Array.isArray(schema)) throw MlflowError.invalidParameterValue(`Model json has a signature whose '${field}' is not a list of columns or tensors.`);
    if (schema.length === 0) throw MlflowError.invalidParameterValue("Creating Schema with empty inputs is not allowed.");
  }
}

/** The tag's new value: `previous` (the stored list, if any) with `entry` appended. */
export function appendLoggedModel(previous: string | undefined, entry: JsonObject, runId: string): string {
  let history: JsonValue[] = [];
  if (previous !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(previous);
    } catch {
      parsed = null;
    }
    if (!Array.isArray(parsed)) {
      throw new MlflowError(`The '${LOG_MODEL_HISTORY_TAG}' tag of run ${runId} is not a JSON list; refusing to overwrite it.`, "INTERNAL_ERROR");
    }
    history = parsed as JsonValue[];
  }
  return pythonJsonDumps([...history, entry]);
}
