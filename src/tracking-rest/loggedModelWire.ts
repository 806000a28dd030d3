/**
 * MLflow 3's logged model as REST JSON (`LoggedModel` = `info` + `data` in `service.proto`),
 * shared by the server and the REST store. The status travels as its enum name
 * (`LOGGED_MODEL_READY`), timestamps as `*_timestamp_ms`, the artifact location as `artifact_uri`.
 */
import type { LoggedModel, LoggedModelStatus } from "../tracking/entities";
import { LOGGED_MODEL_STATUS_PROTO, loggedModelStatusFromProto } from "../tracking/loggedModelRules";
import { compact, metricFromJson, metricToJson, type JsonObject } from "./wire";

/** A logged model as MLflow's REST JSON. */
export function loggedModelToJson(m: LoggedModel): JsonObject {
  return {
    info: compact({
      model_id: m.modelId,
      experiment_id: m.experimentId,
      name: m.name,
      creation_timestamp_ms: m.creationTimestamp,
      last_updated_timestamp_ms: m.lastUpdatedTimestamp,
      artifact_uri: m.artifactLocation,
      status: LOGGED_MODEL_STATUS_PROTO[m.status],
      model_type: m.modelType,
      source_run_id: m.sourceRunId,
      status_message: m.statusMessage,
      tags: m.tags.map((t) => ({ key: t.key, value: t.value })),
    }),
    data: compact({
      params: m.params.map((p) => ({ key: p.key, value: p.value })),
      metrics: m.metrics.map(metricToJson),
    }),
  };
}

function records(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? (value as Record<string, unknown>[]) : [];
}

/** A logged model read from MLflow's REST JSON (empty strings, as proto3 sends unset fields, read as null). */
export function loggedModelFromJson(j: Record<string, unknown>): LoggedModel {
  const info = (j.info ?? {}) as Record<string, unknown>;
  const data = (j.data ?? {}) as Record<string, unknown>;
  const opt = (v: unknown): string | null => (v === undefined || v === null || v === "" ? null : String(v));
  const kv = (v: unknown): Array<{ key: string; value: string }> => records(v).map((t) => ({ key: String(t.key ?? ""), value: String(t.value ?? "") }));
  const status: LoggedModelStatus = loggedModelStatusFromProto(info.status) ?? "PENDING";
  return {
    modelId: String(info.model_id ?? ""),
    experimentId: String(info.experiment_id ?? ""),
    name: String(info.name ?? ""),
    artifactLocation: String(info.artifact_uri ?? ""),
    creationTimestamp: Number(info.creation_timestamp_ms ?? 0),
    lastUpdatedTimestamp: Number(info.last_updated_timestamp_ms ?? 0),
    status,
    statusMessage: opt(info.status_message),
    modelType: opt(info.model_type),
    sourceRunId: opt(info.source_run_id),
    tags: kv(info.tags),
    params: kv(data.params),
    metrics: records(data.metrics).map(metricFromJson),
  };
}
