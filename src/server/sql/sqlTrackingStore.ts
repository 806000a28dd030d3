/**
 * The tracking half of the SQL store (MLflow's `SqlAlchemyStore`), on SQLite or
 * PostgreSQL through {@link SqlDriver}. Every write is one transaction; params are
 * inserted with ON CONFLICT so that racing writers of one param agree or fail loudly;
 * `latest_metrics` is maintained by an upsert keeping the max of (step, timestamp, value).
 * Metric-only batches are group-committed (`groupCommit.ts`): concurrent requests share one
 * transaction, each acknowledged after that commit with its own outcome.
 * Searches run in SQL (`sqlRunSearch.ts`: filter, order_by and the page in one SELECT), then
 * read the page's runs; where SQL cannot keep the meaning, they load the candidate runs and
 * apply MLflow's filter grammar from `tracking/search` in JavaScript.
 */
import { randomUUID } from "node:crypto";
import { MlflowError } from "../../tracking/errors";
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
  RunTag,
  ViewType,
} from "../../tracking/entities";
import { EMPTY_RUN_INPUTS, EMPTY_RUN_OUTPUTS } from "../../tracking/entities";
import { LoggedModelStoreDelegate } from "../../tracking/store/loggedModelStore";
import { SqlLoggedModels } from "./sqlLoggedModelStore";
import type {
  CreateRunRequest,
  LogBatchRequest,
  SearchExperimentsOptions,
  SearchRunsOptions,
  TrackingStore,
  UpdateRunRequest,
} from "../../tracking/store/trackingStore";
import { validateBatch, validateExperimentName, validateExperimentTag, validateRunId } from "../../tracking/validation";
import {
  filterRuns,
  makePageToken,
  paginate,
  parseFilter,
  parsePageToken,
  parseOrderBy,
  searchExperimentList,
  sortRuns,
  validateMaxResults,
  type SearchEntityType,
} from "../../tracking/search";
import { generateRunName } from "../../tracking/runNames";
import { appendLoggedModel, LOG_MODEL_HISTORY_TAG, loggedModelEntry } from "../../tracking/store/loggedModelHistory";
import type { JsonValue } from "../../tracking/pythonRepr";
import { num, type SqlDriver, type SqlRow, type SqlTx, type SqlValue } from "./driver";
import { GroupCommitQueue, type GroupCommitStats } from "./groupCommit";
import { insertMetrics, type MetricBatch } from "./metricRows";
import { PostgresDriver } from "./postgresDriver";
import { PostgresMetricWriter } from "./postgresMetricWriter";
import { SQLITE_LIKE_FUNCTION, runSearchSql, sqliteLikeFunction } from "./sqlRunSearch";
import { SqliteDriver } from "./sqliteDriver";
import { TransactionMetricWriter } from "./transactionMetricWriter";

const RUN_NAME_TAG = "mlflow.runName";
const RUN_STATUSES: readonly RunStatus[] = ["RUNNING", "SCHEDULED", "FINISHED", "FAILED", "KILLED"];


/** True when `err` is a unique-key violation of SQLite or PostgreSQL. */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return code === "23505" || code === "SQLITE_CONSTRAINT_PRIMARYKEY" || code === "SQLITE_CONSTRAINT_UNIQUE";
}

/** MLflow's SQL store keeps +-infinity as +-1.7976931348623157e308 (the largest double), and answers that. */
function finiteForSql(m: Metric): Metric {
  return m.value === Infinity || m.value === -Infinity ? { ...m, value: m.value > 0 ? Number.MAX_VALUE : -Number.MAX_VALUE } : m;
}

/** MLflow's SQL store lets the database refuse a taken name on rename: BAD_REQUEST with the integrity error. */
function takenName(name: string): MlflowError {
  return new MlflowError(`UNIQUE constraint failed: experiments.name (an experiment named '${name}' already exists)`, "BAD_REQUEST");
}

function viewStages(view: ViewType | undefined): LifecycleStage[] {
  return view === "ALL" ? ["active", "deleted"] : view === "DELETED_ONLY" ? ["deleted"] : ["active"];
}

function placeholders(n: number): string {
  return Array.from({ length: n }, () => "?").join(", ");
}

function placeholderRows(rows: number, columns: number): string {
  const row = `(${placeholders(columns)})`;
  return Array.from({ length: rows }, () => row).join(", ");
}

function metricOf(row: SqlRow): Metric {
  return {
    key: String(row.key),
    value: Number(row.is_nan) === 1 ? NaN : (num(row.value) as number),
    timestamp: num(row.timestamp) as number,
    step: num(row.step) as number,
  };
}

function runInfoOf(row: SqlRow): RunInfo {
  return {
    runId: String(row.run_uuid),
    runName: String(row.name),
    experimentId: String(row.experiment_id),
    userId: String(row.user_id),
    status: String(row.status) as RunStatus,
    startTime: num(row.start_time) as number,
    endTime: num(row.end_time),
    artifactUri: String(row.artifact_uri),
    lifecycleStage: String(row.lifecycle_stage) as LifecycleStage,
  };
}

/** Options of {@link SqlTrackingStore}. */
export interface SqlStoreOptions {
  /** The tracking URI shown to clients (`sqlite:///...`, `postgresql://...`). */
  readonly trackingUri: string;
  /** Where new experiments put artifacts, e.g. `mlflow-artifacts:/` or `file:///srv/mlartifacts`. */
  readonly defaultArtifactRoot: string;
}

/** MLflow's tracking store over SQL. Call {@link migrate} on the driver first (see `openSqlStores`). */
export class SqlTrackingStore extends LoggedModelStoreDelegate implements TrackingStore {
  readonly trackingUri: string;
  readonly defaultArtifactRoot: string;

  /**
   * Metric-only batches (a training loop's log-batch requests), group-committed: concurrent
   * requests share one commit (on PostgreSQL one statement); each resolves after that
   * commit, with its own outcome.
   */
  private readonly metricWrites: GroupCommitQueue<MetricBatch>;
  /** MLflow 3's logged models, and run inputs and outputs (`sqlLoggedModelStore.ts`). */
  protected readonly loggedModels: SqlLoggedModels;

  constructor(readonly driver: SqlDriver, options: SqlStoreOptions) {
    super();
    this.trackingUri = options.trackingUri;
    this.defaultArtifactRoot = options.defaultArtifactRoot.replace(/\/+$/, "");
    this.loggedModels = new SqlLoggedModels(driver);
    // PostgreSQL: a few groups at once, so its backends use both cores and writes go on while one
    // backend waits for the CPU or its WAL flush. SQLite writes one transaction at a time anyway.
    this.metricWrites =
      driver instanceof PostgresDriver
        ? new GroupCommitQueue(new PostgresMetricWriter(driver), { maxInFlight: 3 })
        : new GroupCommitQueue(new TransactionMetricWriter(driver));
    if (driver instanceof SqliteDriver) driver.defineFunction(SQLITE_LIKE_FUNCTION, sqliteLikeFunction);
  }

  /** How many group commits the metric-only batches have taken (observability, tests). */
  groupCommitStats(): GroupCommitStats {
    return this.metricWrites.stats;
  }

  /** Resolves once every accepted write is committed (call before closing the driver). */
  async drain(): Promise<void> {
    await this.metricWrites.drain();
  }

  /** Creates experiment 0 "Default" when the database has no experiment yet. */
  async ensureDefaultExperiment(): Promise<void> {
    await this.driver.transaction(async (tx) => {
      const rows = await tx.all("SELECT experiment_id FROM experiments WHERE experiment_id = 0");
      if (rows.length > 0) return;
      const now = Date.now();
      await tx.run(
        `INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time)
         VALUES (0, 'Default', ?, 'active', ?, ?) ON CONFLICT DO NOTHING`,
        [`${this.defaultArtifactRoot}/0`, now, now],
      );
    });
  }

  // ------------------------------------------------------------ experiments

  private parseExperimentId(experimentId: string): number {
    const s = String(experimentId);
    // Canonical ids only ("1", never "01"): the server authorizes the canonical id, so no other spelling may reach a row.
    if (!/^(0|[1-9]\d{0,17})$/.test(s)) throw MlflowError.notFound(`No Experiment with id=${s} exists`);
    return Number(s);
  }

  private async readExperiments(tx: SqlTx | SqlDriver, where: string, params: readonly SqlValue[]): Promise<Experiment[]> {
    const rows = await tx.all(`SELECT * FROM experiments ${where}`, params);
    if (rows.length === 0) return [];
    const ids = rows.map((r) => num(r.experiment_id) as number);
    const tagRows = await tx.all(
      `SELECT experiment_id, key, value FROM experiment_tags WHERE experiment_id IN (${placeholders(ids.length)}) ORDER BY key`,
      ids,
    );
    const tagsById = new Map<string, ExperimentTag[]>();
    for (const t of tagRows) {
      const id = String(t.experiment_id);
      const list = tagsById.get(id) ?? [];
      list.push({ key: String(t.key), value: String(t.value) });
      tagsById.set(id, list);
    }
    return rows.map((r) => ({
      experimentId: String(r.experiment_id),
      name: String(r.name),
      artifactLocation: String(r.artifact_location),
      lifecycleStage: String(r.lifecycle_stage) as LifecycleStage,
      creationTime: num(r.creation_time),
      lastUpdateTime: num(r.last_update_time),
      tags: tagsById.get(String(r.experiment_id)) ?? [],
    }));
  }

  private async requireExperiment(tx: SqlTx | SqlDriver, experimentId: string): Promise<Experiment> {
    const id = this.parseExperimentId(experimentId);
    const found = await this.readExperiments(tx, "WHERE experiment_id = ?", [id]);
    if (found[0] === undefined) throw MlflowError.notFound(`No Experiment with id=${experimentId} exists`);
    return found[0];
  }

  async createExperiment(name: string, artifactLocation?: string, tags: readonly ExperimentTag[] = []): Promise<string> {
    validateExperimentName(name);
    for (const t of tags) validateExperimentTag(t);
    try {
      return await this.driver.transaction(async (tx) => {
        const clash = await tx.all("SELECT lifecycle_stage FROM experiments WHERE name = ?", [name]);
        if (clash.length > 0) throw MlflowError.alreadyExists(`Experiment(name=${name}) already exists. Error: UNIQUE constraint failed: experiments.name`);
        const now = Date.now();
        const rows = await tx.all(
          `INSERT INTO experiments (name, artifact_location, lifecycle_stage, creation_time, last_update_time)
           VALUES (?, '', 'active', ?, ?) RETURNING experiment_id`,
          [name, now, now],
        );
        const id = String(rows[0]?.experiment_id);
        const location = artifactLocation !== undefined && artifactLocation !== "" ? artifactLocation : `${this.defaultArtifactRoot}/${id}`;
        await tx.run("UPDATE experiments SET artifact_location = ? WHERE experiment_id = ?", [location, Number(id)]);
        for (const t of tags) {
          await tx.run(
            `INSERT INTO experiment_tags (experiment_id, key, value) VALUES (?, ?, ?)
             ON CONFLICT (experiment_id, key) DO UPDATE SET value = excluded.value`,
            [Number(id), t.key, t.value],
          );
        }
        return id;
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw MlflowError.alreadyExists(`Experiment(name=${name}) already exists. Error: UNIQUE constraint failed: experiments.name`);
      throw err;
    }
  }

  async getExperiment(experimentId: string): Promise<Experiment> {
    return this.requireExperiment(this.driver, experimentId);
  }

  async getExperimentByName(name: string): Promise<Experiment | null> {
    return (await this.readExperiments(this.driver, "WHERE name = ?", [name]))[0] ?? null;
  }

  async searchExperiments(options: SearchExperimentsOptions = {}): Promise<PagedList<Experiment>> {
    const stages = viewStages(options.viewType);
    const candidates = await this.readExperiments(this.driver, `WHERE lifecycle_stage IN (${placeholders(stages.length)})`, stages);
    return searchExperimentList(candidates, options, (a, b) => Number(b.experimentId) - Number(a.experimentId));
  }

  private async setExperimentStage(experimentId: string, from: LifecycleStage, to: LifecycleStage): Promise<void> {
    await this.driver.transaction(async (tx) => {
      const exp = await this.requireExperiment(tx, experimentId);
      if (exp.lifecycleStage !== from) {
        throw MlflowError.invalidParameterValue(`Cannot ${to === "deleted" ? "delete" : "restore"} experiment with ID ${experimentId}: it is already ${exp.lifecycleStage}.`);
      }
      const now = Date.now();
      const id = Number(exp.experimentId);
      await tx.run("UPDATE experiments SET lifecycle_stage = ?, last_update_time = ? WHERE experiment_id = ?", [to, now, id]);
      // As MLflow's SQL store: runs follow their experiment into (and out of) the trash.
      await tx.run(
        `UPDATE runs SET lifecycle_stage = ?, deleted_time = ? WHERE experiment_id = ? AND lifecycle_stage = ?`,
        [to, to === "deleted" ? now : null, id, from],
      );
    });
  }

  async deleteExperiment(experimentId: string): Promise<void> {
    if (String(experimentId) === "0") {
      throw MlflowError.invalidParameterValue("Cannot delete the default experiment '0'. This is an internally reserved experiment.");
    }
    await this.setExperimentStage(experimentId, "active", "deleted");
  }

  async restoreExperiment(experimentId: string): Promise<void> {
    await this.setExperimentStage(experimentId, "deleted", "active");
  }

  async renameExperiment(experimentId: string, newName: string): Promise<void> {
    validateExperimentName(newName);
    try {
      await this.driver.transaction(async (tx) => {
        const exp = await this.requireExperiment(tx, experimentId);
        if (exp.lifecycleStage !== "active") throw new MlflowError(`Cannot rename a non-active experiment ${experimentId}.`, "INVALID_STATE");
        const clash = await tx.all("SELECT experiment_id FROM experiments WHERE name = ? AND experiment_id <> ?", [newName, Number(exp.experimentId)]);
        if (clash.length > 0) throw takenName(newName);
        await tx.run("UPDATE experiments SET name = ?, last_update_time = ? WHERE experiment_id = ?", [newName, Date.now(), Number(exp.experimentId)]);
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw takenName(newName);
      throw err;
    }
  }

  async setExperimentTag(experimentId: string, tag: ExperimentTag): Promise<void> {
    validateExperimentTag(tag);
    await this.driver.transaction(async (tx) => {
      const exp = await this.requireExperiment(tx, experimentId);
      if (exp.lifecycleStage !== "active") {
        throw MlflowError.invalidParameterValue(`The experiment ${exp.experimentId} must be in the 'active' state. Current state is ${exp.lifecycleStage}.`);
      }
      await tx.run(
        `INSERT INTO experiment_tags (experiment_id, key, value) VALUES (?, ?, ?) ON CONFLICT (experiment_id, key) DO UPDATE SET value = excluded.value`,
        [Number(exp.experimentId), tag.key, tag.value],
      );
    });
  }

  // ------------------------------------------------------------ runs

  /**
   * Runs matching `where`, with their latest metrics, params and tags; with `only`, just the
   * metric, param and tag keys those clauses name (what a search filters and sorts on).
   */
  private async readRuns(tx: SqlTx | SqlDriver, where: string, params: readonly SqlValue[], only?: ReadonlyArray<{ type: SearchEntityType; key: string }>): Promise<Run[]> {
    const rows = await tx.all(`SELECT * FROM runs ${where}`, params);
    if (rows.length === 0) return [];
    const sub = `SELECT run_uuid FROM runs ${where}`;
    const read = async (type: SearchEntityType, sql: string): Promise<SqlRow[]> => {
      if (only === undefined) return tx.all(`${sql} ORDER BY key`, params);
      const keys = [...new Set(only.filter((c) => c.type === type).map((c) => c.key))];
      return keys.length === 0 ? [] : tx.all(`${sql} AND key IN (${placeholders(keys.length)}) ORDER BY key`, [...params, ...keys]);
    };
    const [metricRows, paramRows, tagRows] = [
      await read("metric", `SELECT run_uuid, key, value, is_nan, timestamp, step FROM latest_metrics WHERE run_uuid IN (${sub})`),
      await read("parameter", `SELECT run_uuid, key, value FROM params WHERE run_uuid IN (${sub})`),
      await read("tag", `SELECT run_uuid, key, value FROM tags WHERE run_uuid IN (${sub})`),
    ];
    const data = new Map<string, { metrics: Metric[]; params: Param[]; tags: RunTag[] }>();
    for (const r of rows) data.set(String(r.run_uuid), { metrics: [], params: [], tags: [] });
    for (const m of metricRows) data.get(String(m.run_uuid))?.metrics.push(metricOf(m));
    for (const p of paramRows) data.get(String(p.run_uuid))?.params.push({ key: String(p.key), value: String(p.value) });
    for (const t of tagRows) data.get(String(t.run_uuid))?.tags.push({ key: String(t.key), value: String(t.value) });
    const edges = await this.loggedModels.readRunEdges(tx, sub, params);
    return rows.map((r) => {
      const edge = edges.get(String(r.run_uuid));
      return { info: runInfoOf(r), data: data.get(String(r.run_uuid)) as Run["data"], inputs: edge?.inputs ?? EMPTY_RUN_INPUTS, outputs: edge?.outputs ?? EMPTY_RUN_OUTPUTS };
    });
  }

  private async requireRunRow(tx: SqlTx | SqlDriver, runId: string): Promise<SqlRow> {
    validateRunId(runId);
    const rows = await tx.all("SELECT * FROM runs WHERE run_uuid = ?", [runId]);
    if (rows[0] === undefined) throw MlflowError.notFound(`Run with id=${runId} not found`);
    return rows[0];
  }

  private async requireActiveRun(tx: SqlTx, runId: string): Promise<SqlRow> {
    const row = await this.requireRunRow(tx, runId);
    if (row.lifecycle_stage !== "active") {
      throw MlflowError.invalidParameterValue(`The run ${runId} must be in the 'active' state. Current state is ${String(row.lifecycle_stage)}.`);
    }
    return row;
  }

  async createRun(request: CreateRunRequest): Promise<Run> {
    const tags = [...request.tags];
    const nameTag = tags.find((t) => t.key === RUN_NAME_TAG)?.value;
    if (request.runName !== undefined && request.runName !== "" && nameTag !== undefined && request.runName !== nameTag) {
      throw MlflowError.invalidParameterValue(
        `Both 'run_name' argument and 'mlflow.runName' tag are specified, but with different values (run_name='${request.runName}', mlflow.runName='${nameTag}').`,
      );
    }
    const runName = (request.runName !== undefined && request.runName !== "" ? request.runName : undefined) ?? nameTag ?? generateRunName();
    if (nameTag === undefined) tags.push({ key: RUN_NAME_TAG, value: runName });
    const checked = validateBatch([], [], tags).tags;
    const runId = randomUUID().replace(/-/g, "");
    return this.driver.transaction(async (tx) => {
      const exp = await this.requireExperiment(tx, String(request.experimentId));
      if (exp.lifecycleStage !== "active") {
        throw MlflowError.invalidParameterValue(`The experiment ${exp.experimentId} must be in the 'active' state. Current state is ${exp.lifecycleStage}.`);
      }
      const artifactUri = `${exp.artifactLocation.replace(/\/+$/, "")}/${runId}/artifacts`;
      await tx.run(
        `INSERT INTO runs (run_uuid, name, experiment_id, user_id, status, start_time, end_time, deleted_time, artifact_uri, lifecycle_stage)
         VALUES (?, ?, ?, ?, 'RUNNING', ?, NULL, NULL, ?, 'active')`,
        [runId, runName, Number(exp.experimentId), request.userId, request.startTime, artifactUri],
      );
      await this.upsertTags(tx, runId, checked);
      return (await this.readRuns(tx, "WHERE run_uuid = ?", [runId]))[0] as Run;
    });
  }

  async getRun(runId: string): Promise<Run> {
    validateRunId(runId);
    const run = (await this.readRuns(this.driver, "WHERE run_uuid = ?", [runId]))[0];
    if (run === undefined) throw MlflowError.notFound(`Run with id=${runId} not found`);
    return run;
  }

  async updateRunInfo(runId: string, update: UpdateRunRequest): Promise<RunInfo> {
    if (update.status !== undefined && !RUN_STATUSES.includes(update.status)) {
      throw MlflowError.invalidParameterValue(`Invalid run status '${String(update.status)}'. Must be one of ${RUN_STATUSES.join(", ")}.`);
    }
    return this.driver.transaction(async (tx) => {
      const row = await this.requireActiveRun(tx, runId);
      const old = runInfoOf(row);
      const next: RunInfo = {
        ...old,
        status: update.status ?? old.status,
        endTime: update.endTime === undefined ? old.endTime : update.endTime,
        runName: update.runName !== undefined && update.runName !== "" ? update.runName : old.runName,
      };
      await tx.run("UPDATE runs SET status = ?, end_time = ?, name = ? WHERE run_uuid = ?", [next.status, next.endTime, next.runName, runId]);
      if (next.runName !== old.runName) await this.upsertTags(tx, runId, [{ key: RUN_NAME_TAG, value: next.runName }]);
      return next;
    });
  }

  private async setRunStage(runId: string, stage: LifecycleStage): Promise<void> {
    await this.driver.transaction(async (tx) => {
      await this.requireRunRow(tx, runId);
      await tx.run("UPDATE runs SET lifecycle_stage = ?, deleted_time = ? WHERE run_uuid = ?", [stage, stage === "deleted" ? Date.now() : null, runId]);
    });
  }

  async deleteRun(runId: string): Promise<void> {
    await this.setRunStage(runId, "deleted");
  }

  async restoreRun(runId: string): Promise<void> {
    await this.setRunStage(runId, "active");
  }

  /** Sets tags in one statement: a key given twice keeps its last value, as setting them one by one would. */
  private async upsertTags(tx: SqlTx, runId: string, tags: readonly RunTag[]): Promise<void> {
    if (tags.length === 0) return;
    const last = new Map<string, string>();
    for (const t of tags) last.set(t.key, t.value);
    const values: SqlValue[] = [];
    for (const [key, value] of last) values.push(runId, key, value);
    await tx.run(
      `INSERT INTO tags (run_uuid, key, value) VALUES ${placeholderRows(last.size, 3)} ON CONFLICT (run_uuid, key) DO UPDATE SET value = excluded.value`,
      values,
    );
    const runName = last.get(RUN_NAME_TAG);
    if (runName !== undefined) await tx.run("UPDATE runs SET name = ? WHERE run_uuid = ?", [runName, runId]);
  }

  /**
   * Logs params in two statements: insert the new ones, then compare every param with what
   * is stored. A param is immutable: logging another value for a key (stored before, or
   * earlier in this batch) fails with MLflow's error for the first such param.
   */
  private async insertParams(tx: SqlTx, runId: string, params: readonly Param[]): Promise<void> {
    if (params.length === 0) return;
    const values: SqlValue[] = [];
    for (const p of params) values.push(runId, p.key, p.value);
    await tx.run(`INSERT INTO params (run_uuid, key, value) VALUES ${placeholderRows(params.length, 3)} ON CONFLICT (run_uuid, key) DO NOTHING`, values);
    const keys = [...new Set(params.map((p) => p.key))];
    const rows = await tx.all(`SELECT key, value FROM params WHERE run_uuid = ? AND key IN (${placeholders(keys.length)})`, [runId, ...keys]);
    const stored = new Map(rows.map((r) => [String(r.key), String(r.value)]));
    for (const p of params) {
      const existing = String(stored.get(p.key));
      if (existing !== p.value) {
        throw MlflowError.invalidParameterValue(
          `Changing param values is not allowed. Param with key='${p.key}' was already logged with value='${existing}' ` +
            `for run ID='${runId}'. Attempted logging new value '${p.value}'.`,
        );
      }
    }
  }

  async logBatch(runId: string, batch: LogBatchRequest): Promise<void> {
    const { params, tags } = validateBatch(batch.metrics ?? [], batch.params ?? [], batch.tags ?? []);
    const metrics = (batch.metrics ?? []).map(finiteForSql);
    validateRunId(runId);
    const forModels = metrics.some((m) => m.modelId !== undefined && m.modelId !== null);
    if (params.length === 0 && tags.length === 0 && metrics.length > 0 && !forModels) {
      return this.metricWrites.submit({ runId, metrics });
    }
    await this.driver.transaction(async (tx) => {
      const run = await this.requireActiveRun(tx, runId);
      await this.insertParams(tx, runId, params);
      const runMetrics = forModels ? await this.loggedModels.logModelMetrics(tx, runId, num(run.experiment_id) as number, metrics) : metrics;
      await insertMetrics(tx, runId, runMetrics);
      await this.upsertTags(tx, runId, tags);
    });
  }

  async recordLoggedModel(runId: string, model: { readonly [key: string]: unknown }): Promise<void> {
    validateRunId(runId);
    const entry = loggedModelEntry(model as { [key: string]: JsonValue });
    await this.driver.transaction(async (tx) => {
      // The run's row is locked first on PostgreSQL, so two models logged at once both stay in the list.
      if (this.driver.dialect === "postgres") await tx.all("SELECT run_uuid FROM runs WHERE run_uuid = ? FOR UPDATE", [runId]);
      await this.requireActiveRun(tx, runId);
      const rows = await tx.all("SELECT value FROM tags WHERE run_uuid = ? AND key = ?", [runId, LOG_MODEL_HISTORY_TAG]);
      const value = appendLoggedModel(rows[0] === undefined ? undefined : String(rows[0].value), entry, runId);
      await this.upsertTags(tx, runId, [{ key: LOG_MODEL_HISTORY_TAG, value }]);
    });
  }

  async deleteTag(runId: string, key: string): Promise<void> {
    await this.driver.transaction(async (tx) => {
      await this.requireActiveRun(tx, runId);
      const n = await tx.run("DELETE FROM tags WHERE run_uuid = ? AND key = ?", [runId, key]);
      if (n === 0) throw MlflowError.notFound(`No tag with name: ${key} in run with id ${runId}`);
    });
  }

  /**
   * As MLflow's SQL store answers: points in the order of its metrics table's primary key
   * (timestamp, step, value), a point logged twice once (MLflow's key drops exact
   * duplicates), and an empty history for a run that does not exist.
   */
  async getMetricHistory(runId: string, metricKey: string): Promise<Metric[]> {
    validateRunId(runId);
    const rows = await this.driver.all(
      "SELECT DISTINCT key, value, is_nan, timestamp, step FROM metrics WHERE run_uuid = ? AND key = ? ORDER BY timestamp, step, value, is_nan",
      [runId, metricKey],
    );
    return rows.map(metricOf);
  }

  async searchRuns(options: SearchRunsOptions): Promise<PagedList<Run>> {
    const maxResults = options.maxResults ?? 1000;
    validateMaxResults(maxResults, 50_000);
    const ids = options.experimentIds.map(String).filter((id) => /^(0|[1-9]\d{0,17})$/.test(id)).map(Number);
    if (ids.length === 0) return { items: [], nextPageToken: null };
    // Parse first so that a bad filter, order_by or page token fails even when no run exists, before any SQL.
    const filter = parseFilter(options.filterString);
    const orderBy = (options.orderBy ?? []).map((o) => parseOrderBy(o));
    const offset = parsePageToken(options.pageToken);
    const stages = viewStages(options.runViewType);
    const query = runSearchSql(this.driver.dialect, { experimentIds: ids, lifecycleStages: stages, filter, orderBy, offset, limit: maxResults });
    const pageIds = query !== null
      ? (await this.driver.all(query.sql, query.params)).map((r) => String(r.run_uuid))
      : await this.searchRunIdsInJs(ids, stages, options, [...filter, ...orderBy], maxResults);
    // MLflow's SQL store offers a next page whenever this one is full, even when nothing follows.
    const nextPageToken = pageIds.length === maxResults ? makePageToken(offset + maxResults) : null;
    if (pageIds.length === 0) return { items: [], nextPageToken };
    const full = new Map<string, Run>();
    for (let i = 0; i < pageIds.length; i += 500) {
      const chunk = pageIds.slice(i, i + 500); // below SQLite's limit of bound variables
      for (const r of await this.readRuns(this.driver, `WHERE run_uuid IN (${placeholders(chunk.length)})`, chunk)) full.set(r.info.runId, r);
    }
    return { items: pageIds.map((id) => full.get(id) as Run), nextPageToken };
  }

  /**
   * The page's run ids found in JavaScript, where SQL cannot keep the meaning (see
   * sqlRunSearch.ts): the candidate runs holding only the keys the clauses name, then the
   * same filterRuns / sortRuns / paginate as the file store.
   */
  private async searchRunIdsInJs(
    ids: readonly number[],
    stages: readonly LifecycleStage[],
    options: SearchRunsOptions,
    clauses: ReadonlyArray<{ type: SearchEntityType; key: string }>,
    maxResults: number,
  ): Promise<string[]> {
    const where = `WHERE experiment_id IN (${placeholders(ids.length)}) AND lifecycle_stage IN (${placeholders(stages.length)})`;
    const slim = await this.readRuns(this.driver, where, [...ids, ...stages], clauses);
    const page = paginate(sortRuns(filterRuns(slim, options.filterString), options.orderBy ?? []), options.pageToken, maxResults);
    return page.items.map((r) => r.info.runId);
  }
}
