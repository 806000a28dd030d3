/**
 * MLflow 3's rules for logged models, shared by every store: ids (`m-` + 32 hex digits),
 * names, status codes, where a model's artifacts go, and the `mlflow.modelVersions` tag
 * that links a logged model to the registry versions made from it.
 */
import { randomUUID } from "node:crypto";
import { MlflowError } from "./errors";
import type { LoggedModelStatus } from "./entities";
import { appendToUri } from "./artifacts/artifactRepository";
import { pythonJsonDumps, type JsonValue } from "./pythonRepr";

/** The tag listing the registry versions made from a logged model (JSON list of `{name, version}`). */
export const MODEL_VERSIONS_TAG = "mlflow.modelVersions";

/** MLflow's integer codes of a logged model's status (`LoggedModelStatus.to_int`), as the stores keep them. */
export const LOGGED_MODEL_STATUS_CODES: Readonly<Record<LoggedModelStatus, number>> = { PENDING: 1, READY: 2, FAILED: 3 };

/** The REST enum names of the statuses (`LoggedModelStatus` in `service.proto`). */
export const LOGGED_MODEL_STATUS_PROTO: Readonly<Record<LoggedModelStatus, string>> = {
  PENDING: "LOGGED_MODEL_PENDING",
  READY: "LOGGED_MODEL_READY",
  FAILED: "LOGGED_MODEL_UPLOAD_FAILED",
};

/** A status from a stored integer code (0, "unspecified", reads as PENDING). */
export function loggedModelStatusFromCode(code: unknown): LoggedModelStatus {
  const n = Number(code);
  return n === 2 ? "READY" : n === 3 ? "FAILED" : "PENDING";
}

/** A status from its REST form: the enum name or its number; anything else is INVALID_PARAMETER_VALUE. */
export function loggedModelStatusFromProto(value: unknown): LoggedModelStatus | null {
  for (const [status, name] of Object.entries(LOGGED_MODEL_STATUS_PROTO)) {
    if (value === name || value === LOGGED_MODEL_STATUS_CODES[status as LoggedModelStatus]) return status as LoggedModelStatus;
  }
  return null;
}

/** A new logged model id, as MLflow 3 makes them. */
export function newLoggedModelId(): string {
  return `m-${randomUUID().replace(/-/g, "")}`;
}

const BAD_NAME_CHARS = ["/", ":", ".", "%", '"', "'"];

/** MLflow's check of a logged model name (null means "generate one"). */
export function validateLoggedModelName(name: string | null | undefined): void {
  if (name === null || name === undefined) return;
  if (name === "" || BAD_NAME_CHARS.some((c) => name.includes(c))) {
    throw MlflowError.invalidParameterValue(
      `Invalid model name ('${name}') provided. Model name must be a non-empty string and cannot contain the following characters: ('/', ':', '.', '%', '"', "'")`,
    );
  }
}

/** `<experiment artifact location>/models/<model_id>/artifacts`, where MLflow 3 puts a logged model's files. */
export function loggedModelArtifactLocation(experimentArtifactLocation: string, modelId: string): string {
  return appendToUri(experimentArtifactLocation, `models/${modelId}/artifacts`);
}

/** The `models:/<model_id>` URI of a logged model, or null when `uri` is not one. */
export function modelIdOfUri(uri: string): string | null {
  const m = /^models:\/(m-[0-9a-f]{32})\/?$/.exec(uri);
  return m === null ? null : (m[1] as string);
}

/**
 * The `mlflow.modelVersions` tag after adding a version, as MLflow 3's store does
 * (`set_model_versions_tags`): the version is a number, an entry already present is not repeated.
 */
export function addModelVersionToTag(existing: string | undefined, name: string, version: string | number): string {
  const entry = { name, version: Number(version) };
  let list: JsonValue[] = [];
  if (existing !== undefined && existing !== "") {
    try {
      const parsed: unknown = JSON.parse(existing);
      if (Array.isArray(parsed)) list = parsed as JsonValue[];
    } catch {
      list = [];
    }
  }
  const present = list.some((e) => typeof e === "object" && e !== null && !Array.isArray(e) && e.name === entry.name && e.version === entry.version);
  return pythonJsonDumps(present ? list : [...list, entry]);
}
