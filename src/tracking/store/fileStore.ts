/**
 * The FileStore: MLflow's `mlruns/` directory layout, written byte-compatibly with
 * MLflow 2.17 so that `mlflow ui` and `mlflow.search_runs` read it (see
 * `../shared/reference/mlflow-2.17-formats.md`). Port of `mlflow/store/tracking/file_store.py`.
 *
 * Concurrency: metadata files are replaced atomically (temporary file + rename), params
 * are created exclusively, metric lines are appended with one O_APPEND write per batch,
 * so threads and processes logging to one store lose nothing.
 */
import { existsSync, readdirSync, renameSync, rmSync, statSync, unlinkSync } from "node:fs";
import { dirname, join, sep } from "node:path";
import { randomBytes, randomUUID } from "node:crypto";
import { MlflowError } from "../errors";
import type {
  Experiment,
  ExperimentTag,
  LifecycleStage,
  Metric,
  PagedList,
  Param,
  Run,
  RunInfo,
  RunStatus,
  ViewType,
} from "../entities";
import { EMPTY_RUN_INPUTS, EMPTY_RUN_OUTPUTS, RUN_STATUS_CODES } from "../entities";
import { FileLoggedModels } from "./fileLoggedModels";
import { readRunInputs } from "./fileRunInputs";
import { LoggedModelStoreDelegate } from "./loggedModelStore";
import { dumpYaml, loadYaml, type YamlValue } from "../yaml";
import { formatPythonFloat, parsePythonFloat } from "../pythonRepr";
import { generateRunName } from "../runNames";
import { removeOrphans } from "../../util/orphanFiles";
import { appendLoggedModel, LOG_MODEL_HISTORY_TAG, loggedModelEntry } from "./loggedModelHistory";
import type { JsonValue } from "../pythonRepr";
import {
  validateBatch,
  validateExperimentId,
  validateExperimentName,
  validateKey,
  validateRunId,
} from "../validation";
import { filterRuns, paginate, searchExperimentList, sortRuns, validateMaxResults } from "../search";
import {
  AppendWriter,
  createFileExclusive,
  hasErrorCode,
  readTextIfExists,
  withLockFile,
  writeFileAtomic,
} from "./atomicFiles";
import {
  ARTIFACTS_FOLDER_NAME,
  DEFAULT_EXPERIMENT_ID,
  DEFAULT_EXPERIMENT_NAME,
  META_DATA_FILE_NAME,
  METRICS_FOLDER_NAME,
  MODELS_FOLDER_NAME,
  PARAMS_FOLDER_NAME,
  RESERVED_EXPERIMENT_FOLDERS,
  SOURCE_TYPE_LOCAL,
  TAGS_FOLDER_NAME,
  TRASH_FOLDER_NAME,
  fileUriOfPath,
  localPathOfUri,
  requireFileStoreRoot,
} from "./fileLayout";
import type {
  CreateRunRequest,
  LogBatchRequest,
  SearchExperimentsOptions,
  SearchRunsOptions,
  TrackingStore,
  UpdateRunRequest,
} from "./trackingStore";
import { makeDirs } from "../../util/makeDirs";

const STATUS_BY_CODE: Record<number, RunStatus> = { 1: "RUNNING", 2: "SCHEDULED", 3: "FINISHED", 4: "FAILED", 5: "KILLED" };
const RUN_NAME_TAG = "mlflow.runName";

type YamlMap = { [key: string]: YamlValue };

/** A new experiment id as MLflow 2.x makes them: a random 18-digit integer. */
export function generateExperimentId(): string {
  let digits = "";
  while (digits.length < 18) digits += BigInt("0x" + randomBytes(8).toString("hex")).toString().slice(1);
  digits = digits.slice(0, 18);
  return digits.startsWith("0") ? String(1 + Math.floor(Math.random() * 9)) + digits.slice(1) : digits;
}

function asString(value: YamlValue | undefined): string {
  return value === null || value === undefined ? "" : String(value);
}

function asNumberOrNull(value: YamlValue | undefined): number | null {
  if (value === null || value === undefined) return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

interface CachedMeta {
  readonly ino: number;
  readonly mtimeMs: number;
  readonly size: number;
  readonly meta: YamlMap;
}

/** Lists the names of the sub-directories of `dir` (empty when it does not exist). */
function listSubdirs(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
  } catch (err) {
    if (hasErrorCode(err, "ENOENT")) return [];
    throw err;
  }
}

/** Lists files under `dir` recursively as `/`-joined relative paths (metric keys may contain `/`). */
function listFilesRecursive(dir: string, prefix = ""): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    if (hasErrorCode(err, "ENOENT")) return [];
    throw err;
  }
  const out: string[] = [];
  for (const e of entries) {
    if (e.isDirectory()) out.push(...listFilesRecursive(join(dir, e.name), prefix + e.name + "/"));
    else if (e.isFile() && !e.name.startsWith(".tmp-")) out.push(prefix + e.name);
  }
  return out.sort();
}

function keyPath(dir: string, key: string): string {
  return join(dir, ...key.split("/"));
}

/** Parses one metric file's lines (`timestamp value [step]`, or MLflow 3's `timestamp value step dataset_name dataset_digest`). */
export function parseMetricLines(key: string, text: string, file: string): Metric[] {
  const out: Metric[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.trim() === "") continue;
    const parts = line.trim().split(/\s+/);
    if (parts.length !== 2 && parts.length !== 3 && parts.length !== 5) {
      throw new MlflowError(`Metric file ${file}, line ${i + 1}: expected 'timestamp value [step [dataset_name dataset_digest]]', got '${line}'`, "INTERNAL_ERROR");
    }
    const metric: Metric = {
      key,
      timestamp: Number(parts[0]),
      value: parsePythonFloat(parts[1] as string),
      step: parts.length >= 3 ? Number(parts[2]) : 0,
    };
    out.push(parts.length === 5 ? { ...metric, datasetName: parts[3] as string, datasetDigest: parts[4] as string } : metric);
  }
  return out;
}

/** MLflow's "latest" value of a metric: the maximum by (step, timestamp, value). */
export function latestMetric(history: readonly Metric[]): Metric | null {
  let best: Metric | null = null;
  for (const m of history) {
    if (
      best === null ||
      m.step > best.step ||
      (m.step === best.step && (m.timestamp > best.timestamp || (m.timestamp === best.timestamp && m.value > best.value)))
    ) {
      best = m;
    }
  }
  return best;
}


/** MLflow's FileStore over a local directory (default `./mlruns`). */
export class FileStore extends LoggedModelStoreDelegate implements TrackingStore {
  /** The store root directory (absolute). */
  readonly root: string;
  readonly trackingUri: string;
  /** Where new experiments put their artifacts (default: the root's `file://` URI). */
  readonly artifactRootUri: string;
  private readonly trash: string;
  private readonly appender = new AppendWriter();
  private readonly runDirCache = new Map<string, string>();
  private readonly metaCache = new Map<string, CachedMeta>();
  private readonly metricPaths = new Map<string, string>();
  protected readonly loggedModels: FileLoggedModels;

  /**
   * Opens (and initialises when new: `.trash/` and experiment 0 "Default") the store at
   * `rootUri`, a path or `file:` URI. With `create: false` the store must exist already
   * (RESOURCE_DOES_NOT_EXIST otherwise) and nothing is written on opening.
   */
  constructor(rootUri = "./mlruns", artifactRootUri?: string, options: { create?: boolean } = {}) {
    super();
    this.root = localPathOfUri(rootUri);
    this.trackingUri = fileUriOfPath(this.root);
    this.artifactRootUri = artifactRootUri ?? this.trackingUri;
    this.trash = join(this.root, TRASH_FOLDER_NAME);
    this.loggedModels = new FileLoggedModels(
      {
        experimentDirs: () => this.experimentDirs(),
        getExperiment: (id) => this.getExperiment(id),
        activeRun: (runId) => ({ runDir: this.checkRunActive(runId), experimentId: asString(this.runDirAndMeta(runId).meta.experiment_id) }),
        runDir: (runId) => this.requireRunDir(runId),
      },
      this.appender,
    );
    if (options.create === false) {
      requireFileStoreRoot(this.root);
      return;
    }
    makeDirs(this.trash);
    if (!existsSync(join(this.root, DEFAULT_EXPERIMENT_ID)) && !existsSync(join(this.trash, DEFAULT_EXPERIMENT_ID))) {
      this.writeNewExperiment(DEFAULT_EXPERIMENT_ID, DEFAULT_EXPERIMENT_NAME, undefined, []);
    }
  }

  /** Closes cached metric file descriptors (they are also closed at process exit). */
  close(): void {
    this.appender.close();
  }

  // ------------------------------------------------------------ experiments

  private experimentDir(experimentId: string): { dir: string; stage: LifecycleStage } | null {
    validateExperimentId(experimentId);
    const active = join(this.root, experimentId);
    if (existsSync(join(active, META_DATA_FILE_NAME))) return { dir: active, stage: "active" };
    const deleted = join(this.trash, experimentId);
    if (existsSync(join(deleted, META_DATA_FILE_NAME))) return { dir: deleted, stage: "deleted" };
    return null;
  }

  private requireExperimentDir(experimentId: string): { dir: string; stage: LifecycleStage } {
    const found = this.experimentDir(experimentId);
    if (found === null) throw MlflowError.notFound(`Could not find experiment with ID ${experimentId}`);
    return found;
  }

  private readMeta(path: string): YamlMap {
    let st;
    try {
      st = statSync(path);
    } catch (err) {
      if (hasErrorCode(err, "ENOENT")) throw MlflowError.notFound(`Metadata file ${path} does not exist.`);
      throw err;
    }
    const cached = this.metaCache.get(path);
    if (cached !== undefined && cached.ino === st.ino && cached.mtimeMs === st.mtimeMs && cached.size === st.size) {
      return cached.meta;
    }
    const text = readTextIfExists(path);
    if (text === null) throw MlflowError.notFound(`Metadata file ${path} does not exist.`);
    let meta: YamlValue;
    try {
      meta = loadYaml(text);
    } catch (err) {
      throw new MlflowError(`Malformed metadata file ${path}: ${err instanceof Error ? err.message : String(err)}`, "INTERNAL_ERROR");
    }
    if (meta === null || typeof meta !== "object" || Array.isArray(meta)) {
      throw new MlflowError(`Metadata file ${path} is not a YAML mapping.`, "INTERNAL_ERROR");
    }
    if (this.metaCache.size > 10_000) this.metaCache.clear();
    this.metaCache.set(path, { ino: st.ino, mtimeMs: st.mtimeMs, size: st.size, meta });
    return meta;
  }

  private writeMeta(dir: string, meta: YamlMap): void {
    writeFileAtomic(join(dir, META_DATA_FILE_NAME), dumpYaml(meta), dir);
  }

  private readTags(dir: string): Array<{ key: string; value: string }> {
    const tagsDir = join(dir, TAGS_FOLDER_NAME);
    return listFilesRecursive(tagsDir).map((key) => ({ key, value: readTextIfExists(keyPath(tagsDir, key)) ?? "" }));
  }

  private readExperiment(dir: string, stage: LifecycleStage): Experiment {
    const meta = this.readMeta(join(dir, META_DATA_FILE_NAME));
    return {
      experimentId: asString(meta.experiment_id),
      name: asString(meta.name),
      artifactLocation: asString(meta.artifact_location),
      lifecycleStage: stage === "deleted" ? "deleted" : ((asString(meta.lifecycle_stage) || "active") as LifecycleStage),
      creationTime: asNumberOrNull(meta.creation_time),
      lastUpdateTime: asNumberOrNull(meta.last_update_time),
      tags: this.readTags(dir),
    };
  }

  private writeNewExperiment(id: string, name: string, artifactLocation: string | undefined, tags: readonly ExperimentTag[]): void {
    const dir = join(this.root, id);
    makeDirs(dir);
    const now = Date.now();
    for (const tag of tags) {
      validateKey("tag", tag.key);
      writeFileAtomic(keyPath(join(dir, TAGS_FOLDER_NAME), tag.key), tag.value, dir);
    }
    this.writeMeta(dir, {
      artifact_location: artifactLocation ?? this.artifactRootUri.replace(/\/+$/, "") + "/" + id,
      creation_time: now,
      experiment_id: id,
      last_update_time: now,
      lifecycle_stage: "active",
      name,
    });
  }

  private allExperiments(view: ViewType): Experiment[] {
    const out: Experiment[] = [];
    if (view !== "DELETED_ONLY") {
      for (const id of listSubdirs(this.root)) {
        if (id === TRASH_FOLDER_NAME || id === MODELS_FOLDER_NAME || id.startsWith(".")) continue;
        const dir = join(this.root, id);
        if (existsSync(join(dir, META_DATA_FILE_NAME))) out.push(this.readExperiment(dir, "active"));
      }
    }
    if (view !== "ACTIVE_ONLY") {
      for (const id of listSubdirs(this.trash)) {
        const dir = join(this.trash, id);
        if (existsSync(join(dir, META_DATA_FILE_NAME))) out.push(this.readExperiment(dir, "deleted"));
      }
    }
    return out;
  }

  async createExperiment(name: string, artifactLocation?: string, tags: readonly ExperimentTag[] = []): Promise<string> {
    validateExperimentName(name);
    // A lock file (inside .trash, where MLflow ignores files) keeps two processes from creating one name twice.
    return withLockFile(join(this.trash, ".lock-create-experiment"), () => {
      const existing = this.allExperiments("ALL").find((e) => e.name === name);
      if (existing !== undefined) {
        const where = existing.lifecycleStage === "deleted" ? " in deleted state. You can restore the experiment, or permanently delete it from the .trash folder under the store root" : "";
        throw MlflowError.alreadyExists(`Experiment '${name}' already exists${where}.`);
      }
      let id = generateExperimentId();
      while (this.experimentDir(id) !== null) id = generateExperimentId();
      this.writeNewExperiment(id, name, artifactLocation, tags);
      return id;
    });
  }

  async getExperiment(experimentId: string): Promise<Experiment> {
    const { dir, stage } = this.requireExperimentDir(String(experimentId));
    return this.readExperiment(dir, stage);
  }

  async getExperimentByName(name: string): Promise<Experiment | null> {
    const all = this.allExperiments("ALL");
    return all.find((e) => e.name === name && e.lifecycleStage === "active") ?? all.find((e) => e.name === name) ?? null;
  }

  async searchExperiments(options: SearchExperimentsOptions = {}): Promise<PagedList<Experiment>> {
    return searchExperimentList(this.allExperiments(options.viewType ?? "ACTIVE_ONLY"), options, (a, b) => (a.experimentId < b.experimentId ? -1 : 1));
  }

  async deleteExperiment(experimentId: string): Promise<void> {
    const id = String(experimentId);
    if (id === DEFAULT_EXPERIMENT_ID) {
      throw MlflowError.invalidParameterValue("Cannot delete the default experiment '0'. This is an internally reserved experiment.");
    }
    const found = this.requireExperimentDir(id);
    if (found.stage === "deleted") {
      throw MlflowError.invalidParameterValue(`Experiment with ID ${id} is already deleted.`);
    }
    const meta = { ...this.readMeta(join(found.dir, META_DATA_FILE_NAME)) };
    meta.lifecycle_stage = "deleted";
    meta.last_update_time = Date.now();
    meta.tags = {};
    this.writeMeta(found.dir, meta);
    this.appender.close(found.dir);
    renameSync(found.dir, join(this.trash, id));
    this.runDirCache.clear();
  }

  async restoreExperiment(experimentId: string): Promise<void> {
    const id = String(experimentId);
    const found = this.requireExperimentDir(id);
    if (found.stage === "active") throw MlflowError.invalidParameterValue(`Experiment with ID ${id} is already active.`);
    if (existsSync(join(this.root, id))) {
      throw new MlflowError(`Cannot restore experiment with ID ${id}. An experiment with the same ID already exists.`, "RESOURCE_ALREADY_EXISTS");
    }
    const meta = { ...this.readMeta(join(found.dir, META_DATA_FILE_NAME)) };
    meta.lifecycle_stage = "active";
    meta.last_update_time = Date.now();
    delete meta.tags;
    this.appender.close(found.dir);
    renameSync(found.dir, join(this.root, id));
    this.writeMeta(join(this.root, id), meta);
    this.runDirCache.clear();
  }

  async renameExperiment(experimentId: string, newName: string): Promise<void> {
    validateExperimentName(newName);
    const id = String(experimentId);
    withLockFile(join(this.trash, ".lock-create-experiment"), () => {
      const found = this.requireExperimentDir(id);
      if (found.stage === "deleted") throw new MlflowError(`Cannot rename a non-active experiment ${id}.`, "INVALID_STATE");
      const clash = this.allExperiments("ALL").find((e) => e.name === newName && e.experimentId !== id);
      if (clash !== undefined) throw MlflowError.alreadyExists(`Experiment '${newName}' already exists.`);
      const meta = { ...this.readMeta(join(found.dir, META_DATA_FILE_NAME)) };
      meta.name = newName;
      meta.last_update_time = Date.now();
      this.writeMeta(found.dir, meta);
    });
  }

  async setExperimentTag(experimentId: string, tag: ExperimentTag): Promise<void> {
    validateKey("tag", tag.key);
    const found = this.requireExperimentDir(String(experimentId));
    if (found.stage === "deleted") {
      throw MlflowError.invalidParameterValue(`The experiment ${experimentId} must be in the 'active' lifecycle_stage to set tags`);
    }
    writeFileAtomic(keyPath(join(found.dir, TAGS_FOLDER_NAME), tag.key), tag.value, found.dir);
  }

  // ------------------------------------------------------------ runs

  private findRunDir(runId: string): string | null {
    const cached = this.runDirCache.get(runId);
    if (cached !== undefined && existsSync(join(cached, META_DATA_FILE_NAME))) return cached;
    for (const base of [this.root, this.trash]) {
      for (const exp of listSubdirs(base)) {
        if (exp === TRASH_FOLDER_NAME || exp === MODELS_FOLDER_NAME) continue;
        const dir = join(base, exp, runId);
        if (existsSync(join(dir, META_DATA_FILE_NAME))) {
          this.runDirCache.set(runId, dir);
          return dir;
        }
      }
    }
    return null;
  }

  private requireRunDir(runId: string): string {
    validateRunId(runId);
    const dir = this.findRunDir(runId);
    if (dir === null) throw MlflowError.notFound(`Run '${runId}' not found`);
    return dir;
  }

  private runInfoFromMeta(meta: YamlMap): RunInfo {
    const endTime = asNumberOrNull(meta.end_time);
    return {
      runId: asString(meta.run_id ?? meta.run_uuid),
      runName: asString(meta.run_name),
      experimentId: asString(meta.experiment_id),
      userId: asString(meta.user_id),
      status: STATUS_BY_CODE[Number(meta.status)] ?? (asString(meta.status) as RunStatus),
      startTime: asNumberOrNull(meta.start_time) ?? 0,
      endTime,
      artifactUri: asString(meta.artifact_uri),
      lifecycleStage: (asString(meta.lifecycle_stage) || "active") as LifecycleStage,
    };
  }

  private readRunMeta(runDir: string): YamlMap {
    return this.readMeta(runDir + sep + META_DATA_FILE_NAME);
  }

  /** `<runDir>/metrics/<key>` (keys with `/` nest), memoised: this is on the hot path of every logged metric. */
  private metricPath(runDir: string, key: string): string {
    const id = runDir + "\0" + key;
    let path = this.metricPaths.get(id);
    if (path === undefined) {
      path = keyPath(join(runDir, METRICS_FOLDER_NAME), key);
      if (this.metricPaths.size > 10_000) this.metricPaths.clear();
      this.metricPaths.set(id, path);
    }
    return path;
  }

  private readRun(runDir: string): Run {
    const info = this.runInfoFromMeta(this.readRunMeta(runDir));
    const metricsDir = join(runDir, METRICS_FOLDER_NAME);
    const metrics: Metric[] = [];
    for (const key of listFilesRecursive(metricsDir)) {
      const file = keyPath(metricsDir, key);
      const latest = latestMetric(parseMetricLines(key, readTextIfExists(file) ?? "", file));
      if (latest !== null) metrics.push(latest);
    }
    const paramsDir = join(runDir, PARAMS_FOLDER_NAME);
    const params: Param[] = listFilesRecursive(paramsDir).map((key) => ({
      key,
      value: readTextIfExists(keyPath(paramsDir, key)) ?? "",
    }));
    return {
      info,
      data: { metrics, params, tags: this.readTags(runDir) },
      inputs: readRunInputs(dirname(runDir), runDir),
      outputs: { modelOutputs: this.loggedModels.readOutputs(runDir) },
    };
  }

  private runMetaDict(info: RunInfo, deletedTime: number | null): YamlMap {
    const meta: YamlMap = {
      artifact_uri: info.artifactUri,
      end_time: info.endTime,
      entry_point_name: "",
      experiment_id: info.experimentId,
      lifecycle_stage: info.lifecycleStage,
      run_id: info.runId,
      run_name: info.runName,
      run_uuid: info.runId,
      source_name: "",
      source_type: SOURCE_TYPE_LOCAL,
      source_version: "",
      start_time: info.startTime,
      status: RUN_STATUS_CODES[info.status],
      tags: [],
      user_id: info.userId,
    };
    if (deletedTime !== null) meta.deleted_time = deletedTime;
    return meta;
  }

  async createRun(request: CreateRunRequest): Promise<Run> {
    const experimentId = String(request.experimentId);
    const found = this.requireExperimentDir(experimentId);
    if (found.stage !== "active") {
      throw new MlflowError(`Could not create run under non-active experiment with ID ${experimentId}.`, "INVALID_STATE");
    }
    const tags = [...request.tags];
    const nameTag = tags.find((t) => t.key === RUN_NAME_TAG)?.value;
    if (request.runName !== undefined && nameTag !== undefined && request.runName !== nameTag) {
      throw MlflowError.invalidParameterValue(
        `Both 'run_name' argument and 'mlflow.runName' tag are specified, but with different values (run_name='${request.runName}', mlflow.runName='${nameTag}').`,
      );
    }
    const runName = request.runName ?? nameTag ?? generateRunName();
    if (nameTag === undefined) tags.push({ key: RUN_NAME_TAG, value: runName });
    const checkedTags = validateBatch([], [], tags).tags;
    const experiment = this.readExperiment(found.dir, found.stage);
    const runId = randomUUID().replace(/-/g, "");
    const runDir = join(found.dir, runId);
    const info: RunInfo = {
      runId,
      runName,
      experimentId,
      userId: request.userId,
      status: "RUNNING",
      startTime: request.startTime,
      endTime: null,
      artifactUri: experiment.artifactLocation.replace(/\/+$/, "") + `/${runId}/${ARTIFACTS_FOLDER_NAME}`,
      lifecycleStage: "active",
    };
    makeDirs(runDir);
    this.writeMeta(runDir, this.runMetaDict(info, null));
    for (const sub of [METRICS_FOLDER_NAME, PARAMS_FOLDER_NAME, TAGS_FOLDER_NAME]) makeDirs(join(runDir, sub));
    for (const tag of checkedTags) writeFileAtomic(keyPath(join(runDir, TAGS_FOLDER_NAME), tag.key), tag.value, runDir);
    this.runDirCache.set(runId, runDir);
    return { info, data: { metrics: [], params: [], tags: checkedTags }, inputs: EMPTY_RUN_INPUTS, outputs: EMPTY_RUN_OUTPUTS };
  }

  async getRun(runId: string): Promise<Run> {
    return this.readRun(this.requireRunDir(runId));
  }

  private rewriteRunMeta(runId: string, change: (info: RunInfo, deletedTime: number | null) => { info: RunInfo; deletedTime: number | null }): RunInfo {
    const runDir = this.requireRunDir(runId);
    const meta = this.readRunMeta(runDir);
    const deletedTime = asNumberOrNull(meta.deleted_time);
    const next = change(this.runInfoFromMeta(meta), deletedTime);
    this.writeMeta(runDir, this.runMetaDict(next.info, next.deletedTime));
    return next.info;
  }

  async updateRunInfo(runId: string, update: UpdateRunRequest): Promise<RunInfo> {
    this.checkRunActive(runId);
    const info = this.rewriteRunMeta(runId, (old, deletedTime) => ({
      info: {
        ...old,
        status: update.status ?? old.status,
        endTime: update.endTime === undefined ? old.endTime : update.endTime,
        runName: update.runName ?? old.runName,
      },
      deletedTime,
    }));
    if (update.runName !== undefined) {
      const runDir = this.requireRunDir(runId);
      writeFileAtomic(join(runDir, TAGS_FOLDER_NAME, RUN_NAME_TAG), update.runName, runDir);
    }
    return info;
  }

  async deleteRun(runId: string): Promise<void> {
    this.rewriteRunMeta(runId, (info) => ({ info: { ...info, lifecycleStage: "deleted" }, deletedTime: Date.now() }));
  }

  async restoreRun(runId: string): Promise<void> {
    this.rewriteRunMeta(runId, (info) => ({ info: { ...info, lifecycleStage: "active" }, deletedTime: null }));
  }

  /** The run's directory and meta, trusting the cached directory until its meta.yaml is gone (one stat per call). */
  private runDirAndMeta(runId: string): { runDir: string; meta: YamlMap } {
    const cached = this.runDirCache.get(runId);
    if (cached !== undefined) {
      try {
        return { runDir: cached, meta: this.readRunMeta(cached) };
      } catch (err) {
        if (!(err instanceof MlflowError && err.errorCode === "RESOURCE_DOES_NOT_EXIST")) throw err;
        this.runDirCache.delete(runId);
      }
    }
    const runDir = this.requireRunDir(runId);
    return { runDir, meta: this.readRunMeta(runDir) };
  }

  private checkRunActive(runId: string): string {
    const { runDir, meta } = this.runDirAndMeta(runId);
    const stage = asString(meta.lifecycle_stage);
    if (stage === "deleted") {
      throw MlflowError.invalidParameterValue(`The run ${runId} must be in 'active' lifecycle_stage.`);
    }
    return runDir;
  }

  async logBatch(runId: string, batch: LogBatchRequest): Promise<void> {
    const metrics = batch.metrics ?? [];
    const { params, tags } = validateBatch(metrics, batch.params ?? [], batch.tags ?? []);
    const runDir = this.checkRunActive(runId);
    for (const p of params) this.writeParam(runId, runDir, p);
    if (metrics.length > 0) {
      const linesByKey = new Map<string, string>();
      if (metrics.some((m) => m.modelId !== undefined && m.modelId !== null)) {
        this.loggedModels.logModelMetrics(runId, asString(this.runDirAndMeta(runId).meta.experiment_id), metrics);
      }
      for (const m of metrics) {
        const dataset = m.datasetName && m.datasetDigest ? ` ${m.datasetName} ${m.datasetDigest}` : "";
        const line = `${m.timestamp} ${formatPythonFloat(m.value)} ${m.step}${dataset}\n`;
        // A run metric re-logged for a logged model (what logModel does with the run's metrics of its step) is not repeated.
        if (m.modelId !== undefined && m.modelId !== null && this.hasMetricLine(runDir, m.key, line)) continue;
        linesByKey.set(m.key, (linesByKey.get(m.key) ?? "") + line);
      }
      for (const [key, lines] of linesByKey) this.appender.append(this.metricPath(runDir, key), lines);
    }
    for (const t of tags) {
      writeFileAtomic(keyPath(join(runDir, TAGS_FOLDER_NAME), t.key), t.value, runDir);
      if (t.key === RUN_NAME_TAG) {
        this.rewriteRunMeta(runId, (info, deletedTime) => ({ info: { ...info, runName: t.value }, deletedTime }));
      }
    }
  }

  private hasMetricLine(runDir: string, key: string, line: string): boolean {
    const text = readTextIfExists(this.metricPath(runDir, key));
    return text !== null && text.split("\n").includes(line.trimEnd());
  }

  private writeParam(runId: string, runDir: string, param: Param): void {
    const path = keyPath(join(runDir, PARAMS_FOLDER_NAME), param.key);
    const created = createFileExclusive(path, param.value, runDir);
    if (created) return;
    const existing = readTextIfExists(path);
    if (existing !== param.value) {
      throw MlflowError.invalidParameterValue(
        `Changing param values is not allowed. Param with key='${param.key}' was already logged with value='${existing}' ` +
          `for run ID='${runId}'. Attempted logging new value '${param.value}'.`,
      );
    }
  }

  async recordLoggedModel(runId: string, model: { readonly [key: string]: unknown }): Promise<void> {
    const entry = loggedModelEntry(model as { [key: string]: JsonValue });
    const runDir = this.checkRunActive(runId);
    const path = keyPath(join(runDir, TAGS_FOLDER_NAME), LOG_MODEL_HISTORY_TAG);
    // A lock file beside the run's meta.yaml (MLflow reads only known names there) keeps concurrent loggers from losing an entry.
    withLockFile(join(runDir, ".lock-log-model"), () => {
      writeFileAtomic(path, appendLoggedModel(readTextIfExists(path) ?? undefined, entry, runId), runDir);
    });
  }

  async deleteTag(runId: string, key: string): Promise<void> {
    const runDir = this.checkRunActive(runId);
    const path = keyPath(join(runDir, TAGS_FOLDER_NAME), key);
    try {
      unlinkSync(path);
    } catch (err) {
      if (hasErrorCode(err, "ENOENT")) throw MlflowError.notFound(`No tag with name: ${key} in run with id ${runId}`);
      throw err;
    }
  }

  async getMetricHistory(runId: string, metricKey: string): Promise<Metric[]> {
    validateKey("metric", metricKey);
    const runDir = this.requireRunDir(runId);
    const file = keyPath(join(runDir, METRICS_FOLDER_NAME), metricKey);
    const text = readTextIfExists(file);
    return text === null ? [] : parseMetricLines(metricKey, text, file);
  }

  async searchRuns(options: SearchRunsOptions): Promise<PagedList<Run>> {
    const maxResults = options.maxResults ?? 1000;
    validateMaxResults(maxResults, 50_000);
    const view = options.runViewType ?? "ACTIVE_ONLY";
    const runs: Run[] = [];
    for (const experimentId of options.experimentIds) {
      const found = this.experimentDir(String(experimentId));
      if (found === null) continue;
      for (const name of listSubdirs(found.dir)) {
        if (RESERVED_EXPERIMENT_FOLDERS.has(name) || name.startsWith(".")) continue;
        const runDir = join(found.dir, name);
        if (!existsSync(join(runDir, META_DATA_FILE_NAME))) continue;
        const stage = asString(this.readRunMeta(runDir).lifecycle_stage) || "active";
        if ((view === "ACTIVE_ONLY" && stage !== "active") || (view === "DELETED_ONLY" && stage !== "deleted")) continue;
        this.runDirCache.set(name, runDir);
        runs.push(this.readRun(runDir));
      }
    }
    const sorted = sortRuns(filterRuns(runs, options.filterString), options.orderBy ?? []);
    return paginate(sorted, options.pageToken, maxResults);
  }

  /**
   * Removes the temporary files (`.tmp-<pid>-...`) that killed processes left in experiment,
   * run and registry folders (they sit beside the file they were about to replace); files of
   * live processes are kept. Call at start-up; resolves to the paths removed.
   */
  removeOrphanTempFiles(): string[] {
    const removed: string[] = [];
    const skip = new Set([METRICS_FOLDER_NAME, PARAMS_FOLDER_NAME, TAGS_FOLDER_NAME, ARTIFACTS_FOLDER_NAME, "aliases", "datasets", "inputs"]);
    const walk = (dir: string, depth: number): void => {
      removed.push(...removeOrphans(dir, ".tmp-"));
      if (depth === 3) return;
      for (const name of listSubdirs(dir)) if (!skip.has(name)) walk(join(dir, name), depth + 1);
    };
    walk(this.root, 0);
    return removed;
  }

  // ------------------------------------------------------------ logged models, run inputs and outputs (MLflow 3)

  /** Every experiment directory, active then deleted, with its id. */
  private experimentDirs(): Array<{ experimentId: string; dir: string }> {
    const out: Array<{ experimentId: string; dir: string }> = [];
    for (const base of [this.root, this.trash]) {
      for (const id of listSubdirs(base)) {
        if (base === this.root && (id === TRASH_FOLDER_NAME || id === MODELS_FOLDER_NAME || id.startsWith("."))) continue;
        if (existsSync(join(base, id, META_DATA_FILE_NAME))) out.push({ experimentId: id, dir: join(base, id) });
      }
    }
    return out;
  }

  /** Deletes runs and experiments in the trash for good (MLflow's `mlflow gc`). */
  async garbageCollect(): Promise<void> {
    for (const id of listSubdirs(this.trash)) rmSync(join(this.trash, id), { recursive: true, force: true });
    for (const exp of this.allExperiments("ACTIVE_ONLY")) {
      const expDir = join(this.root, exp.experimentId);
      for (const name of listSubdirs(expDir)) {
        const runDir = join(expDir, name);
        if (RESERVED_EXPERIMENT_FOLDERS.has(name) || !existsSync(join(runDir, META_DATA_FILE_NAME))) continue;
        if (asString(this.readRunMeta(runDir).lifecycle_stage) === "deleted") {
          this.appender.close(runDir);
          rmSync(runDir, { recursive: true, force: true });
        }
      }
    }
    this.runDirCache.clear();
  }
}
