/**
 * MLflow's input validation (`mlflow/utils/validation.py`): key names, value lengths,
 * batch limits, run ids, alias names. Every failure is an `INVALID_PARAMETER_VALUE`
 * error naming the offending key and value.
 */
import { posix } from "node:path";
import { MlflowError } from "./errors";
import type { Metric, Param, RunTag } from "./entities";

/** Longest metric, param or tag key MLflow accepts. */
export const MAX_ENTITY_KEY_LENGTH = 250;
/** Longest param value. */
export const MAX_PARAM_VAL_LENGTH = 6000;
/** Longest tag value. */
export const MAX_TAG_VAL_LENGTH = 5000;
/** Most metrics in one `logBatch`. */
export const MAX_METRICS_PER_BATCH = 1000;
/** Most params, and most tags, in one `logBatch`. */
export const MAX_PARAMS_TAGS_PER_BATCH = 100;
/** Most entities (metrics + params + tags) in one `logBatch`. */
export const MAX_ENTITIES_PER_BATCH = 1000;

const KEY_PATTERN = /^[/\w.\- ]*$/;
const RUN_ID_PATTERN = /^[a-zA-Z0-9][\w-]{0,255}$/;
const ALIAS_PATTERN = /^[\w-]*$/;
const validatedKeys = new Set<string>();

function pathNotUnique(name: string): boolean {
  const norm = posix.normalize(name);
  return norm !== name || norm === "." || norm.startsWith("..") || norm.startsWith("/");
}

/**
 * Checks a metric, param or tag key: only alphanumerics, `_ - . / space`, at most 250
 * characters, and unchanged by path normalisation (no `..`, no leading `/`).
 * `kind` is "metric", "param" or "tag" and appears in the message.
 */
export function validateKey(kind: "metric" | "param" | "tag", key: string): void {
  const cacheKey = kind + "\0" + key;
  if (validatedKeys.has(cacheKey)) return;
  if (typeof key !== "string" || key.length === 0) {
    throw MlflowError.invalidParameterValue(`Invalid ${kind} name: '${String(key)}'. Names must be non-empty strings.`);
  }
  if (!KEY_PATTERN.test(key)) {
    throw MlflowError.invalidParameterValue(
      `Invalid ${kind} name: '${key}'. Names may only contain alphanumerics, underscores (_), dashes (-), ` +
        `periods (.), spaces ( ), and slashes (/).`,
    );
  }
  if (pathNotUnique(key)) {
    throw MlflowError.invalidParameterValue(
      `Invalid ${kind} name: '${key}'. Names cannot resolve to a different path when normalized ` +
        `(no '..', no leading or doubled '/', no trailing '/').`,
    );
  }
  if (key.length > MAX_ENTITY_KEY_LENGTH) {
    throw MlflowError.invalidParameterValue(
      `${kind} name '${key.slice(0, 40)}...' had length ${key.length}, which exceeded length limit of ${MAX_ENTITY_KEY_LENGTH}`,
    );
  }
  if (validatedKeys.size < 100_000) validatedKeys.add(cacheKey);
}

/** Checks a metric: valid key, numeric value (NaN and infinities allowed), integer timestamp and step. */
export function validateMetric(metric: Metric): void {
  validateKey("metric", metric.key);
  if (typeof metric.value !== "number") {
    throw MlflowError.invalidParameterValue(
      `Got invalid value ${String(metric.value)} for metric '${metric.key}' (timestamp=${metric.timestamp}). ` +
        `Please specify value as a valid double (64-bit floating point)`,
    );
  }
  if (!Number.isSafeInteger(metric.timestamp)) {
    throw MlflowError.invalidParameterValue(
      `Got invalid timestamp ${String(metric.timestamp)} for metric '${metric.key}' (value=${metric.value}). ` +
        `Timestamp must be a nonnegative long (64-bit integer)`,
    );
  }
  if (!Number.isSafeInteger(metric.step)) {
    throw MlflowError.invalidParameterValue(
      `Got invalid step ${String(metric.step)} for metric '${metric.key}' (value=${metric.value}). ` +
        `Step must be a valid long (64-bit integer).`,
    );
  }
}

/** A key-value entity's checks: a valid key, and a string value within `limit` characters. */
function validateKeyValue(kind: "param" | "tag", key: string, value: unknown, limit: number): void {
  validateKey(kind, key);
  const label = kind === "param" ? "Param" : "Tag";
  if (typeof value !== "string") {
    throw MlflowError.invalidParameterValue(`${label} '${key}' must have a string value, got ${typeof value}`);
  }
  if (value.length > limit) {
    throw MlflowError.invalidParameterValue(
      `${label} value '${value.slice(0, 40)}...' had length ${value.length}, which exceeded length limit of ` +
        `${limit} (${kind} '${key}')`,
    );
  }
}

/** Checks a param: valid key, string value of at most 6000 characters. */
export function validateParam(param: Param): void {
  validateKeyValue("param", param.key, param.value, MAX_PARAM_VAL_LENGTH);
}

/** Checks a tag: valid key, string value of at most 5000 characters. */
export function validateTag(tag: RunTag): void {
  validateKeyValue("tag", tag.key, tag.value, MAX_TAG_VAL_LENGTH);
}

/**
 * Checks a `logBatch` request: MLflow's size limits, each entity, and that the batch
 * does not give one param key two different values.
 */
export function validateBatch(metrics: readonly Metric[], params: readonly Param[], tags: readonly RunTag[]): void {
  if (metrics.length > MAX_METRICS_PER_BATCH) {
    throw MlflowError.invalidParameterValue(
      `A batch logging request can contain at most ${MAX_METRICS_PER_BATCH} metrics. Got ${metrics.length} metrics.`,
    );
  }
  if (params.length > MAX_PARAMS_TAGS_PER_BATCH) {
    throw MlflowError.invalidParameterValue(
      `A batch logging request can contain at most ${MAX_PARAMS_TAGS_PER_BATCH} params. Got ${params.length} params.`,
    );
  }
  if (tags.length > MAX_PARAMS_TAGS_PER_BATCH) {
    throw MlflowError.invalidParameterValue(
      `A batch logging request can contain at most ${MAX_PARAMS_TAGS_PER_BATCH} tags. Got ${tags.length} tags.`,
    );
  }
  const total = metrics.length + params.length + tags.length;
  if (total > MAX_ENTITIES_PER_BATCH) {
    throw MlflowError.invalidParameterValue(
      `A batch logging request can contain at most ${MAX_ENTITIES_PER_BATCH} total metrics, params and tags. Got ${total}.`,
    );
  }
  for (const m of metrics) validateMetric(m);
  const seen = new Map<string, string>();
  for (const p of params) {
    validateParam(p);
    const prev = seen.get(p.key);
    if (prev !== undefined && prev !== p.value) {
      throw MlflowError.invalidParameterValue(
        `Duplicate parameter keys have been submitted: '${p.key}' with values '${prev}' and '${p.value}'.`,
      );
    }
    seen.set(p.key, p.value);
  }
  for (const t of tags) validateTag(t);
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
