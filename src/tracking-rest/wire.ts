/**
 * MLflow's REST JSON (proto3 JSON with proto field names, as `message_to_json` writes it)
 * to and from this library's entities. Shared by the REST store (client) and the server,
 * so both sides agree byte for byte: empty lists and unset fields are omitted, int64
 * fields are JSON numbers, and non-finite floats are the strings "NaN", "Infinity", "-Infinity".
 */
import type {
  Dataset,
  DatasetInput,
  Experiment,
  ExperimentTag,
  FileInfo,
  LifecycleStage,
  Metric,
  ModelVersion,
  ModelVersionStage,
  Param,
  RegisteredModel,
  Run,
  RunInfo,
  RunInputs,
  RunOutputs,
  RunStatus,
  RunTag,
} from "../tracking/entities";
import { EMPTY_RUN_INPUTS } from "../tracking/entities";

/** A JSON value as it appears on the wire. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
/** A JSON object. */
export type JsonObject = { [key: string]: Json };

/** Drops null/undefined fields and empty lists, as protobuf's JSON printer does. */
export function compact(fields: Record<string, Json | undefined>): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined || v === null || (Array.isArray(v) && v.length === 0)) continue;
    out[k] = v;
  }
  return out;
}

/** A double as proto JSON writes it. */
export function floatToJson(value: number): Json {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "Infinity";
  if (value === -Infinity) return "-Infinity";
  return value;
}

/** A double read from proto JSON (number or "NaN"/"Infinity"/"-Infinity" strings). */
export function floatFromJson(value: unknown): number {
  if (typeof value === "number") return value;
  if (value === "NaN") return NaN;
  if (value === "Infinity" || value === "inf") return Infinity;
  if (value === "-Infinity" || value === "-inf") return -Infinity;
  return Number(value);
}

function str(value: unknown): string {
  return value === undefined || value === null ? "" : String(value);
}

function optNum(value: unknown): number | null {
  return value === undefined || value === null || value === "" ? null : Number(value);
}

function list(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? (value as Record<string, unknown>[]) : [];
}

function kv(items: ReadonlyArray<{ key: string; value: string }>): Json[] {
  return items.map((t) => ({ key: t.key, value: t.value }));
}

function kvFrom(value: unknown): Array<{ key: string; value: string }> {
  return list(value).map((t) => ({ key: str(t.key), value: str(t.value) }));
}

/** A metric entity as MLflow's REST JSON (MLflow 3's dataset and model fields only when set). */
export function metricToJson(m: Metric): JsonObject {
  const out: JsonObject = { key: m.key, value: floatToJson(m.value), timestamp: m.timestamp, step: m.step };
  return { ...out, ...compact({ dataset_name: m.datasetName, dataset_digest: m.datasetDigest, model_id: m.modelId, run_id: m.runId }) };
}

/** A metric entity read from MLflow's REST JSON. */
export function metricFromJson(j: Record<string, unknown>): Metric {
  const m: Metric = { key: str(j.key), value: floatFromJson(j.value), timestamp: Number(j.timestamp ?? 0), step: Number(j.step ?? 0) };
  const extra = { datasetName: j.dataset_name, datasetDigest: j.dataset_digest, modelId: j.model_id, runId: j.run_id };
  const set = Object.entries(extra).filter(([, v]) => typeof v === "string" && v !== "");
  return set.length === 0 ? m : { ...m, ...Object.fromEntries(set) };
}

/** A dataset entity as MLflow's REST JSON. */
export function datasetToJson(d: Dataset): JsonObject {
  return compact({ name: d.name, digest: d.digest, source_type: d.sourceType, source: d.source, schema: d.schema, profile: d.profile });
}

/** A dataset entity read from MLflow's REST JSON. */
export function datasetFromJson(j: Record<string, unknown>): Dataset {
  const nullable = (x: unknown): string | null => (x === undefined || x === null ? null : String(x));
  return { name: str(j.name), digest: str(j.digest), sourceType: str(j.source_type), source: str(j.source), schema: nullable(j.schema), profile: nullable(j.profile) };
}

/** A dataset input (dataset and input tags) as MLflow's REST JSON. */
export function datasetInputToJson(i: DatasetInput): JsonObject {
  return compact({ tags: kv(i.tags), dataset: datasetToJson(i.dataset) });
}

/** A dataset input read from MLflow's REST JSON. */
export function datasetInputFromJson(j: Record<string, unknown>): DatasetInput {
  return { dataset: datasetFromJson((j.dataset ?? {}) as Record<string, unknown>), tags: kvFrom(j.tags) };
}

/** A run's inputs as MLflow's REST JSON (`{}` when it has none). */
export function runInputsToJson(inputs: RunInputs): JsonObject {
  return compact({
    dataset_inputs: inputs.datasetInputs.map(datasetInputToJson),
    model_inputs: inputs.modelInputs.map((m) => ({ model_id: m.modelId })),
  });
}

/** A run's outputs as MLflow 3's REST JSON. */
export function runOutputsToJson(outputs: RunOutputs): JsonObject {
  return compact({ model_outputs: outputs.modelOutputs.map((m) => ({ model_id: m.modelId, step: m.step })) });
}

/** A experiment entity as MLflow's REST JSON. */
export function experimentToJson(e: Experiment): JsonObject {
  return compact({
    experiment_id: e.experimentId,
    name: e.name,
    artifact_location: e.artifactLocation,
    lifecycle_stage: e.lifecycleStage,
    last_update_time: e.lastUpdateTime,
    creation_time: e.creationTime,
    tags: kv(e.tags),
  });
}

/** A experiment entity read from MLflow's REST JSON. */
export function experimentFromJson(j: Record<string, unknown>): Experiment {
  return {
    experimentId: str(j.experiment_id),
    name: str(j.name),
    artifactLocation: str(j.artifact_location),
    lifecycleStage: (str(j.lifecycle_stage) || "active") as LifecycleStage,
    creationTime: optNum(j.creation_time),
    lastUpdateTime: optNum(j.last_update_time),
    tags: kvFrom(j.tags) as ExperimentTag[],
  };
}

/** A runInfo entity as MLflow's REST JSON. */
export function runInfoToJson(i: RunInfo): JsonObject {
  return compact({
    run_uuid: i.runId,
    run_id: i.runId,
    run_name: i.runName,
    experiment_id: i.experimentId,
    user_id: i.userId,
    status: i.status,
    start_time: i.startTime,
    end_time: i.endTime,
    artifact_uri: i.artifactUri,
    lifecycle_stage: i.lifecycleStage,
  });
}

/** A runInfo entity read from MLflow's REST JSON. */
export function runInfoFromJson(j: Record<string, unknown>): RunInfo {
  return {
    runId: str(j.run_id ?? j.run_uuid),
    runName: str(j.run_name),
    experimentId: str(j.experiment_id),
    userId: str(j.user_id),
    status: (str(j.status) || "RUNNING") as RunStatus,
    startTime: Number(j.start_time ?? 0),
    endTime: optNum(j.end_time),
    artifactUri: str(j.artifact_uri),
    lifecycleStage: (str(j.lifecycle_stage) || "active") as LifecycleStage,
  };
}

/**
 * A run entity as MLflow's REST JSON. `outputs` (MLflow 3) appears only when the run
 * produced logged models, so that MLflow 2-era runs answer exactly as an MLflow 2.17 server.
 */
export function runToJson(r: Run): JsonObject {
  const out: JsonObject = {
    info: runInfoToJson(r.info),
    data: compact({ metrics: r.data.metrics.map(metricToJson), params: kv(r.data.params), tags: kv(r.data.tags) }),
    inputs: runInputsToJson(r.inputs ?? EMPTY_RUN_INPUTS),
  };
  if (r.outputs !== undefined && r.outputs.modelOutputs.length > 0) out.outputs = runOutputsToJson(r.outputs);
  return out;
}

/** A run entity read from MLflow's REST JSON. */
export function runFromJson(j: Record<string, unknown>): Run {
  const data = (j.data ?? {}) as Record<string, unknown>;
  const inputs = (j.inputs ?? {}) as Record<string, unknown>;
  const outputs = (j.outputs ?? {}) as Record<string, unknown>;
  return {
    info: runInfoFromJson((j.info ?? {}) as Record<string, unknown>),
    data: {
      metrics: list(data.metrics).map(metricFromJson),
      params: kvFrom(data.params) as Param[],
      tags: kvFrom(data.tags) as RunTag[],
    },
    inputs: {
      datasetInputs: list(inputs.dataset_inputs).map(datasetInputFromJson),
      modelInputs: list(inputs.model_inputs).map((m) => ({ modelId: str(m.model_id) })),
    },
    outputs: { modelOutputs: list(outputs.model_outputs).map((m) => ({ modelId: str(m.model_id), step: Number(m.step ?? 0) })) },
  };
}

/** A modelVersion entity as MLflow's REST JSON. */
export function modelVersionToJson(v: ModelVersion): JsonObject {
  return compact({
    name: v.name,
    version: v.version,
    creation_timestamp: v.creationTimestamp,
    last_updated_timestamp: v.lastUpdatedTimestamp,
    user_id: v.userId,
    current_stage: v.currentStage,
    // MLflow's server stores a missing description and run link as "" and sends them.
    description: v.description ?? "",
    source: v.source,
    run_id: v.runId,
    run_link: v.runLink ?? "",
    status: v.status,
    status_message: v.statusMessage,
    tags: kv(v.tags),
    aliases: [...v.aliases],
    model_id: v.modelId,
  });
}

/** A modelVersion entity read from MLflow's REST JSON. */
export function modelVersionFromJson(j: Record<string, unknown>): ModelVersion {
  const nullable = (x: unknown): string | null => (x === undefined || x === null ? null : String(x));
  return {
    name: str(j.name),
    version: str(j.version),
    creationTimestamp: Number(j.creation_timestamp ?? 0),
    lastUpdatedTimestamp: Number(j.last_updated_timestamp ?? 0),
    userId: nullable(j.user_id),
    currentStage: (str(j.current_stage) || "None") as ModelVersionStage,
    description: nullable(j.description),
    source: str(j.source),
    runId: nullable(j.run_id),
    runLink: nullable(j.run_link),
    status: (str(j.status) || "READY") as ModelVersion["status"],
    statusMessage: nullable(j.status_message),
    tags: kvFrom(j.tags),
    aliases: Array.isArray(j.aliases) ? j.aliases.map(String) : [],
    modelId: typeof j.model_id === "string" && j.model_id !== "" ? j.model_id : null,
  };
}

/** A registeredModel entity as MLflow's REST JSON. */
export function registeredModelToJson(m: RegisteredModel): JsonObject {
  return compact({
    name: m.name,
    creation_timestamp: m.creationTimestamp,
    last_updated_timestamp: m.lastUpdatedTimestamp,
    description: m.description,
    latest_versions: m.latestVersions.map(modelVersionToJson),
    tags: kv(m.tags),
    aliases: m.aliases.map((a) => ({ alias: a.alias, version: a.version })),
  });
}

/** A registeredModel entity read from MLflow's REST JSON. */
export function registeredModelFromJson(j: Record<string, unknown>): RegisteredModel {
  return {
    name: str(j.name),
    creationTimestamp: Number(j.creation_timestamp ?? 0),
    lastUpdatedTimestamp: Number(j.last_updated_timestamp ?? 0),
    description: j.description === undefined || j.description === null ? null : String(j.description),
    latestVersions: list(j.latest_versions).map(modelVersionFromJson),
    tags: kvFrom(j.tags),
    aliases: list(j.aliases).map((a) => ({ alias: str(a.alias), version: str(a.version) })),
  };
}

/** A fileInfo entity as MLflow's REST JSON. */
export function fileInfoToJson(f: FileInfo): JsonObject {
  return compact({ path: f.path, is_dir: f.isDir, file_size: f.fileSize });
}

/** A fileInfo entity read from MLflow's REST JSON. */
export function fileInfoFromJson(j: Record<string, unknown>): FileInfo {
  const isDir = j.is_dir === true;
  return { path: str(j.path), isDir, fileSize: isDir ? null : optNum(j.file_size) };
}
