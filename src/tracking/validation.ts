/**
 * MLflow's input validation (`mlflow/utils/validation.py`): key names, value lengths,
 * batch limits, run ids, alias names. Every failure is an `INVALID_PARAMETER_VALUE`
 * error naming the offending key and value.
 */
import { MlflowError } from "./errors";
import { compactPythonJson, formatPythonFloat, type JsonValue } from "./pythonRepr";
import type { Metric, Param, RunTag } from "./entities";

/** Longest metric, param or tag key MLflow accepts. */
export const MAX_ENTITY_KEY_LENGTH = 250;
/** Longest param value; longer ones are truncated to it, as MLflow 2.17 does (`MLFLOW_TRUNCATE_LONG_VALUES`). */
export const MAX_PARAM_VAL_LENGTH = 6000;
/** Longest run tag value; longer ones are truncated to it, as MLflow 2.17 does. */
export const MAX_TAG_VAL_LENGTH = 8000;
/** Longest experiment tag value (refused beyond, not truncated). */
export const MAX_EXPERIMENT_TAG_VAL_LENGTH = 5000;
/** Longest registered model or model version tag value (refused beyond, not truncated). */
export const MAX_REGISTRY_TAG_VAL_LENGTH = 5000;
/** Most metrics in one `logBatch`. */
export const MAX_METRICS_PER_BATCH = 1000;
/** Most params, and most tags, in one `logBatch`. */
export const MAX_PARAMS_TAGS_PER_BATCH = 100;
/** Most entities (metrics + params + tags) in one `logBatch`. */
export const MAX_ENTITIES_PER_BATCH = 1000;

/** MLflow's key pattern `^[/\w.\- :]*$` with Python's Unicode `\w` (letters and digits of any script, `_`). */
const KEY_PATTERN = /^[/\p{L}\p{N}_.\- :]*$/u;
const RUN_ID_PATTERN = /^[a-zA-Z0-9][\w-]{0,255}$/;
const ALIAS_PATTERN = /^[\w-]*$/;
const validatedKeys = new Set<string>();

/** Python's `posixpath.normpath`. */
export function posixNormpath(path: string): string {
  if (path === "") return ".";
  const initial = path.startsWith("/") ? (path.startsWith("//") && !path.startsWith("///") ? 2 : 1) : 0;
  const out: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part !== ".." || (initial === 0 && out.length === 0) || (out.length > 0 && out[out.length - 1] === "..")) out.push(part);
    else if (out.length > 0) out.pop();
  }
  const joined = "/".repeat(initial) + out.join("/");
  return joined === "" ? "." : joined;
}

function pathNotUnique(name: string): boolean {
  const norm = posixNormpath(name);
  return norm !== name || norm === "." || norm.startsWith("..") || norm.startsWith("/");
}

/** Python's `repr()` of a string, as MLflow's messages show names (`'x/'`). */
function pyStrRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  const body = s.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/\r/g, "\\r").replace(/\t/g, "\\t");
  return quote + (quote === "'" ? body.replace(/'/g, "\\'") : body) + quote;
}

/** MLflow's `invalid_value` message: the value as `json.dumps` writes it, the parameter's JSON path, the reason. */
export function invalidValueMessage(path: string, value: JsonValue, reason?: string): string {
  return `Invalid value ${compactPythonJson(value)} for parameter '${path}' supplied${reason === undefined ? "." : `: ${reason}`}`;
}

function defaultPath(kind: "metric" | "param" | "tag"): string {
  return kind === "metric" ? "name" : "key";
}

/** The number of code points (Python's `len`), counted only when the UTF-16 length could exceed `limit`. */
function tooLong(value: string, limit: number): boolean {
  return value.length > limit && [...value].length > limit;
}

function lengthError(entity: string, value: string, limit: number): MlflowError {
  return MlflowError.invalidParameterValue(`${entity} '${[...value].slice(0, 250).join("")}' had length ${[...value].length}, which exceeded length limit of ${limit}`);
}

/** Python's `value[:limit]` on code points. */
function truncated(value: string, limit: number): string {
  return tooLong(value, limit) ? [...value].slice(0, limit).join("") : value;
}

/**
 * Checks a metric, param or tag key as MLflow does: letters and digits of any script,
 * `_ - . / : space`; unchanged by path normalisation (no `..`, no leading, doubled or
 * trailing `/`); at most 250 characters. `path` is the field's JSON path in the message
 * (`key`, `tags[3].key`, ...).
 */
export function validateKey(kind: "metric" | "param" | "tag", key: string, path = defaultPath(kind)): void {
  const cacheKey = kind + "\0" + key;
  if (validatedKeys.has(cacheKey)) return;
  if (typeof key !== "string") {
    throw MlflowError.invalidParameterValue(kind === "metric" ? invalidValueMessage(path, null, "Metric name cannot be None. A key name must be provided.") : `Missing value for required parameter '${path}'.`);
  }
  if (!KEY_PATTERN.test(key)) {
    throw MlflowError.invalidParameterValue(
      invalidValueMessage(path, key, "Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colon(:) and slashes (/)."),
    );
  }
  if (pathNotUnique(key)) {
    throw MlflowError.invalidParameterValue(
      invalidValueMessage(path, key, `Names may be treated as files in certain cases, and must not resolve to other names when treated as such. This name would resolve to ${pyStrRepr(posixNormpath(key))}`),
    );
  }
  if (tooLong(key, MAX_ENTITY_KEY_LENGTH)) throw lengthError(kind === "metric" ? "Metric name" : kind === "param" ? "Param key" : "Tag key", key, MAX_ENTITY_KEY_LENGTH);
  if (validatedKeys.size < 100_000) validatedKeys.add(cacheKey);
}

/** Checks a metric: valid key, numeric value (NaN and infinities allowed), non-negative integer timestamp, integer step. */
export function validateMetric(metric: Metric, path = ""): void {
  const at = (field: string): string => (path === "" ? field : `${path}.${field}`);
  validateKey("metric", metric.key, at("name"));
  if (typeof metric.value !== "number") {
    throw MlflowError.invalidParameterValue(
      invalidValueMessage(at("value"), String(metric.value), `(timestamp=${metric.timestamp}). Please specify value as a valid double (64-bit floating point)`),
    );
  }
  if (!Number.isSafeInteger(metric.timestamp) || metric.timestamp < 0) {
    throw MlflowError.invalidParameterValue(
      invalidValueMessage(
        at("timestamp"),
        Number.isFinite(metric.timestamp) ? metric.timestamp : String(metric.timestamp),
        `metric '${metric.key}' (value=${formatPythonFloat(metric.value)}). Timestamp must be a nonnegative long (64-bit integer) `,
      ),
    );
  }
  if (!Number.isSafeInteger(metric.step)) {
    throw MlflowError.invalidParameterValue(
      invalidValueMessage(at("step"), String(metric.step), `metric '${metric.key}' (value=${formatPythonFloat(metric.value)}). Step must be a valid long (64-bit integer).`),
    );
  }
}

function checkStringValue(label: string, key: string, value: unknown): string {
  if (typeof value !== "string") throw MlflowError.invalidParameterValue(`${label} '${key}' must have a string value, got ${typeof value}`);
  return value;
}

/** Checks a param (valid key, string value) and returns it with its value truncated to 6000 characters, as MLflow stores it. */
export function validateParam(param: Param, path = ""): Param {
  validateKey("param", param.key, path === "" ? "key" : `${path}.key`);
  const value = checkStringValue("Param", param.key, param.value);
  return tooLong(value, MAX_PARAM_VAL_LENGTH) ? { key: param.key, value: truncated(value, MAX_PARAM_VAL_LENGTH) } : param;
}

/** Checks a run tag (valid key, string value) and returns it with its value truncated to 8000 characters, as MLflow stores it. */
export function validateTag(tag: RunTag, path = ""): RunTag {
  validateKey("tag", tag.key, path === "" ? "key" : `${path}.key`);
  const value = checkStringValue("Tag", tag.key, tag.value);
  return tooLong(value, MAX_TAG_VAL_LENGTH) ? { key: tag.key, value: truncated(value, MAX_TAG_VAL_LENGTH) } : tag;
}

/** Checks an experiment tag: a valid key, a value of at most 5000 characters (longer ones are refused, as MLflow does). */
export function validateExperimentTag(tag: RunTag): void {
  validateKey("tag", tag.key);
  const value = checkStringValue("Tag", tag.key, tag.value);
  if (tooLong(value, MAX_EXPERIMENT_TAG_VAL_LENGTH)) throw lengthError("Tag value", value, MAX_EXPERIMENT_TAG_VAL_LENGTH);
}

/** Checks a registered model's or a model version's tag: a valid key, a value of at most 5000 characters (refused beyond). */
export function validateRegistryTag(tag: RunTag, entity: "Registered model" | "Model version" = "Registered model"): void {
  validateKey("tag", tag.key);
  if (tooLong(tag.key, MAX_ENTITY_KEY_LENGTH)) throw lengthError(`${entity} key`, tag.key, MAX_ENTITY_KEY_LENGTH);
  const value = checkStringValue("Tag", tag.key, tag.value);
  if (tooLong(value, MAX_REGISTRY_TAG_VAL_LENGTH)) throw lengthError(`${entity} value`, value, MAX_REGISTRY_TAG_VAL_LENGTH);
}

function batchLimit(entity: string, limit: number, length: number): void {
  if (length > limit) {
    throw MlflowError.invalidParameterValue(
      `A batch logging request can contain at most ${limit} ${entity}. Got ${length} ${entity}. Please split up ${entity} across multiple requests and try again.`,
    );
  }
}

/**
 * Checks a `logBatch` request as MLflow's stores do, in MLflow's order: each entity (paths
 * `metrics[i]`, `params[i]`, `tags[i]`), the batch limits, then that no param key appears
 * twice. Returns the params and tags as they are stored (long values truncated).
 */
export function validateBatch(metrics: readonly Metric[], params: readonly Param[], tags: readonly RunTag[]): { params: Param[]; tags: RunTag[] } {
  metrics.forEach((m, i) => validateMetric(m, `metrics[${i}]`));
  const checkedParams = params.map((p, i) => validateParam(p, `params[${i}]`));
  const checkedTags = tags.map((t, i) => validateTag(t, `tags[${i}]`));
  batchLimit("metrics", MAX_METRICS_PER_BATCH, metrics.length);
  batchLimit("params", MAX_PARAMS_TAGS_PER_BATCH, params.length);
  batchLimit("tags", MAX_PARAMS_TAGS_PER_BATCH, tags.length);
  batchLimit("metrics, params, and tags", MAX_ENTITIES_PER_BATCH, metrics.length + params.length + tags.length);
  const seen = new Set<string>();
  const dupes: string[] = [];
  for (const p of checkedParams) {
    if (seen.has(p.key)) dupes.push(p.key);
    seen.add(p.key);
  }
  if (dupes.length > 0) {
    throw MlflowError.invalidParameterValue(
      `Duplicate parameter keys have been submitted: [${dupes.map(pyStrRepr).join(", ")}]. Please ensure the request contains only one param value per param key.`,
    );
  }
  return { params: checkedParams, tags: checkedTags };
}

/** Checks a run id (32 hex characters in stores we write; MLflow accepts `[a-zA-Z0-9][\w-]{0,255}`). */
export function validateRunId(runId: string): void {
  if (typeof runId !== "string" || !RUN_ID_PATTERN.test(runId)) {
    throw MlflowError.invalidParameterValue(`Invalid run ID: '${String(runId)}'`);
  }
}

/** Checks an experiment id: the digits of a directory name under the store root. */
export function validateExperimentId(experimentId: string): void {
  if (typeof experimentId !== "string" || !/^[\w-]{1,256}$/.test(experimentId)) {
    throw MlflowError.invalidParameterValue(`Invalid experiment ID: '${String(experimentId)}'`);
  }
}

/** Checks an experiment name: a non-empty string. */
export function validateExperimentName(name: string): void {
  if (typeof name !== "string" || name.trim() === "") {
    throw MlflowError.invalidParameterValue(`Invalid experiment name: '${String(name)}'. Names must be non-empty.`);
  }
}

/** Checks a registered model name: non-empty and usable as one directory name. */
export function validateModelName(name: string): void {
  if (typeof name !== "string" || name === "") {
    throw MlflowError.invalidParameterValue("Registered model name cannot be empty.");
  }
  if (name.includes("/") || name.includes("\\") || name === "." || name === ".." || name.includes("\0")) {
    throw MlflowError.invalidParameterValue(
      `Invalid registered model name: '${name}'. Names cannot contain '/', '\\' or be '.' or '..'.`,
    );
  }
}

/** Checks a model version number: a positive integer, given as number or digits. */
export function parseModelVersion(version: string | number): number {
  const n = typeof version === "number" ? version : /^\d+$/.test(version) ? Number(version) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) {
    throw MlflowError.invalidParameterValue(`Model version must be a positive integer, got '${String(version)}'.`);
  }
  return n;
}

/** Checks an alias: `^[\w-]*$`, at most 255 characters, not `latest` (any case) and not `v<digits>`. */
export function validateAlias(alias: string): void {
  if (typeof alias !== "string" || alias === "" || !ALIAS_PATTERN.test(alias) || alias.length > 255) {
    throw MlflowError.invalidParameterValue(
      `Invalid alias name: '${String(alias)}'. Names may only contain alphanumerics, underscores (_) and dashes (-).`,
    );
  }
  if (alias.toLowerCase() === "latest") {
    throw MlflowError.invalidParameterValue("'latest' alias name (case insensitive) is reserved.");
  }
  if (/^[vV]\d+$/.test(alias)) {
    throw MlflowError.invalidParameterValue(`Version alias name '${alias}' is reserved.`);
  }
}
