/**
 * MLflow 3's logged models and MLflow 2.x's run inputs in the SQL store, in MLflow's
 * tables (`logged_models`, `logged_model_params`, `logged_model_tags`,
 * `logged_model_metrics`, `datasets`, `inputs`, `input_tags`), with the SQL store's
 * semantics: every metric row of a model is kept and returned, a model's metric is also
 * a run metric, outputs are `RUN_OUTPUT -> MODEL_OUTPUT` rows of `inputs`, and a search
 * loads the live models of the requested experiments and applies MLflow 3's filter and
 * ordering (`tracking/loggedModelSearch`).
 */
import { randomUUID } from "node:crypto";
import { MlflowError } from "../../tracking/errors";
import type {
  DatasetInput,
  LoggedModel,
  LoggedModelParam,
  LoggedModelStatus,
  LoggedModelTag,
  Metric,
  ModelInput,
  ModelOutput,
  PagedList,
  RunInputs,
  RunOutputs,
} from "../../tracking/entities";
import type { CreateLoggedModelRequest, LoggedModelStore, SearchLoggedModelsOptions } from "../../tracking/store/loggedModelStore";
import {
  LOGGED_MODEL_STATUS_CODES,
  loggedModelArtifactLocation,
  loggedModelStatusFromCode,
  newLoggedModelId,
  validateLoggedModelName,
} from "../../tracking/loggedModelRules";
import { searchLoggedModelList } from "../../tracking/loggedModelSearch";
import { dedupeDatasetInputs, validateDatasetInputs } from "../../tracking/datasetRules";
import { generateRunName } from "../../tracking/runNames";
import { validateKey, validateMetric, validateParam, validateRunId } from "../../tracking/validation";
import { num, text, type SqlDriver, type SqlRow, type SqlTx, type SqlValue } from "./driver";

type Db = SqlTx | SqlDriver;

const marks = (n: number): string => Array.from({ length: n }, () => "?").join(", ");
const newUuid = (): string => randomUUID().replace(/-/g, "");

function notFound(modelId: string): MlflowError {
  return MlflowError.notFound(`Logged model with ID '${modelId}' not found.`);
}

function metricOf(r: SqlRow): Metric {
  return {
    key: String(r.metric_name),
    value: r.metric_value === null || r.metric_value === undefined ? NaN : (num(r.metric_value) as number),
    timestamp: num(r.metric_timestamp_ms) as number,
    step: num(r.metric_step) as number,
    datasetName: text(r.dataset_name),
    datasetDigest: text(r.dataset_digest),
    modelId: String(r.model_id),
    runId: String(r.run_id),
  };
}

/** Logged models, run inputs and run outputs over one SQL database. */
export class SqlLoggedModels implements LoggedModelStore {
  constructor(private readonly driver: SqlDriver) {}

  private async readModels(db: Db, where: string, params: readonly SqlValue[]): Promise<LoggedModel[]> {
    const rows = await db.all(`SELECT * FROM logged_models WHERE ${where} ORDER BY creation_timestamp_ms DESC, model_id`, params);
    if (rows.length === 0) return [];
    const sub = `SELECT model_id FROM logged_models WHERE ${where}`;
    const tagRows = await db.all(`SELECT model_id, tag_key, tag_value FROM logged_model_tags WHERE model_id IN (${sub}) ORDER BY tag_key`, params);
    const paramRows = await db.all(`SELECT model_id, param_key, param_value FROM logged_model_params WHERE model_id IN (${sub}) ORDER BY param_key`, params);
    const metricRows = await db.all(
      `SELECT * FROM logged_model_metrics WHERE model_id IN (${sub}) ORDER BY metric_name, metric_timestamp_ms, metric_step, run_id`,
      params,
    );
    const byModel = <T>(list: SqlRow[], map: (r: SqlRow) => T): Map<string, T[]> => {
      const out = new Map<string, T[]>();
      for (const r of list) {
        const id = String(r.model_id);
        out.set(id, [...(out.get(id) ?? []), map(r)]);
      }
      return out;
    };
    const tags = byModel(tagRows, (r) => ({ key: String(r.tag_key), value: String(r.tag_value) }));
    const modelParams = byModel(paramRows, (r) => ({ key: String(r.param_key), value: String(r.param_value) }));
    const metrics = byModel(metricRows, metricOf);
    return rows.map((r) => {
      const id = String(r.model_id);
      return {
        modelId: id,
        experimentId: String(r.experiment_id),
        name: String(r.name),
        artifactLocation: String(r.artifact_location),
        creationTimestamp: num(r.creation_timestamp_ms) as number,
        lastUpdatedTimestamp: num(r.last_updated_timestamp_ms) as number,
        status: loggedModelStatusFromCode(r.status),
        statusMessage: text(r.status_message),
        modelType: text(r.model_type),
        sourceRunId: text(r.source_run_id),
        tags: tags.get(id) ?? [],
        params: modelParams.get(id) ?? [],
        metrics: metrics.get(id) ?? [],
      };
    });
  }

  private async requireModelRow(db: Db, modelId: string): Promise<SqlRow> {
    const rows = await db.all("SELECT * FROM logged_models WHERE model_id = ? AND lifecycle_stage <> 'deleted'", [modelId]);
    if (rows[0] === undefined) throw notFound(modelId);
    return rows[0];
  }

  async createLoggedModel(request: CreateLoggedModelRequest): Promise<LoggedModel> {
    validateLoggedModelName(request.name);
    for (const p of request.params ?? []) validateParam(p);
    for (const t of request.tags ?? []) validateKey("tag", t.key);
    const experimentId = String(request.experimentId);
    if (!/^\d{1,18}$/.test(experimentId)) throw MlflowError.notFound(`No Experiment with id=${experimentId} exists`);
    return this.driver.transaction(async (tx) => {
      const exp = (await tx.all("SELECT artifact_location, lifecycle_stage FROM experiments WHERE experiment_id = ?", [Number(experimentId)]))[0];
      if (exp === undefined) throw MlflowError.notFound(`No Experiment with id=${experimentId} exists`);
      if (exp.lifecycle_stage !== "active") {
        throw MlflowError.invalidParameterValue(`The experiment ${experimentId} must be in the 'active' state. Current state is ${String(exp.lifecycle_stage)}.`);
      }
      const modelId = newLoggedModelId();
      const now = Date.now();
      await tx.run(
        `INSERT INTO logged_models (model_id, experiment_id, name, artifact_location, creation_timestamp_ms, last_updated_timestamp_ms, status,
           lifecycle_stage, model_type, source_run_id, status_message) VALUES (?, ?, ?, ?, ?, ?, ?, 'active', ?, ?, NULL)`,
        [
          modelId, Number(experimentId), request.name ?? generateRunName(), loggedModelArtifactLocation(String(exp.artifact_location), modelId),
          now, now, LOGGED_MODEL_STATUS_CODES.PENDING, request.modelType ?? null, request.sourceRunId ?? null,
        ],
      );
      for (const p of request.params ?? []) {
        await tx.run("INSERT INTO logged_model_params (model_id, experiment_id, param_key, param_value) VALUES (?, ?, ?, ?)", [modelId, Number(experimentId), p.key, p.value]);
      }
      await this.upsertTags(tx, modelId, Number(experimentId), request.tags ?? []);
      return (await this.readModels(tx, "model_id = ?", [modelId]))[0] as LoggedModel;
    });
  }

  private async upsertTags(tx: SqlTx, modelId: string, experimentId: number, tags: readonly LoggedModelTag[]): Promise<void> {
    for (const t of tags) {
      await tx.run(
        `INSERT INTO logged_model_tags (model_id, experiment_id, tag_key, tag_value) VALUES (?, ?, ?, ?)
         ON CONFLICT (model_id, tag_key) DO UPDATE SET tag_value = excluded.tag_value`,
        [modelId, experimentId, t.key, t.value],
      );
    }
  }

  async getLoggedModel(modelId: string): Promise<LoggedModel> {
    const found = (await this.readModels(this.driver, "model_id = ? AND lifecycle_stage <> 'deleted'", [modelId]))[0];
    if (found === undefined) throw notFound(modelId);
    return found;
  }

  async finalizeLoggedModel(modelId: string, status: LoggedModelStatus): Promise<LoggedModel> {
    return this.driver.transaction(async (tx) => {
      await this.requireModelRow(tx, modelId);
      await tx.run("UPDATE logged_models SET status = ?, last_updated_timestamp_ms = ? WHERE model_id = ?", [LOGGED_MODEL_STATUS_CODES[status], Date.now(), modelId]);
      return (await this.readModels(tx, "model_id = ?", [modelId]))[0] as LoggedModel;
    });
  }

  async setLoggedModelTags(modelId: string, tags: readonly LoggedModelTag[]): Promise<void> {
    for (const t of tags) validateKey("tag", t.key);
    await this.driver.transaction(async (tx) => {
      const row = await this.requireModelRow(tx, modelId);
      await this.upsertTags(tx, modelId, num(row.experiment_id) as number, tags);
    });
  }

  async deleteLoggedModelTag(modelId: string, key: string): Promise<void> {
    await this.driver.transaction(async (tx) => {
      await this.requireModelRow(tx, modelId);
      const n = await tx.run("DELETE FROM logged_model_tags WHERE model_id = ? AND tag_key = ?", [modelId, key]);
      if (n === 0) throw MlflowError.notFound(`No tag with key '${key}' found for model with ID '${modelId}'.`);
    });
  }

  async logLoggedModelParams(modelId: string, params: readonly LoggedModelParam[]): Promise<void> {
    for (const p of params) validateParam(p);
    await this.driver.transaction(async (tx) => {
      const row = await this.requireModelRow(tx, modelId);
      for (const p of params) {
        await tx.run("INSERT INTO logged_model_params (model_id, experiment_id, param_key, param_value) VALUES (?, ?, ?, ?)", [modelId, num(row.experiment_id), p.key, p.value]);
      }
    });
  }

  async deleteLoggedModel(modelId: string): Promise<void> {
    await this.driver.transaction(async (tx) => {
      // As MLflow's SQL store: deleting an already deleted model is not an error.
      const rows = await tx.all("SELECT model_id FROM logged_models WHERE model_id = ?", [modelId]);
      if (rows.length === 0) throw notFound(modelId);
      await tx.run("UPDATE logged_models SET lifecycle_stage = 'deleted', last_updated_timestamp_ms = ? WHERE model_id = ?", [Date.now(), modelId]);
    });
  }

  async searchLoggedModels(options: SearchLoggedModelsOptions): Promise<PagedList<LoggedModel>> {
    const ids = options.experimentIds.map(String).filter((id) => /^\d{1,18}$/.test(id)).map(Number);
    const candidates = ids.length === 0 ? [] : await this.readModels(this.driver, `lifecycle_stage <> 'deleted' AND experiment_id IN (${marks(ids.length)})`, ids);
    return searchLoggedModelList(candidates, options);
  }

  /**
   * Within a log-batch transaction: stores the metrics that name a logged model in
   * `logged_model_metrics` and resolves to the run metrics still to insert. Re-logging an
   * existing run metric for a model (what `log_model` does with the run's metrics of its
   * step) adds no duplicate row to the run's history, as MLflow's metrics key prevents.
   */
  async logModelMetrics(tx: SqlTx, runId: string, experimentId: number, metrics: readonly Metric[]): Promise<Metric[]> {
    const linked = metrics.filter((m) => m.modelId !== undefined && m.modelId !== null);
    if (linked.length === 0) return [...metrics];
    for (const m of linked) {
      validateMetric(m);
      const model = await this.requireModelRow(tx, m.modelId as string);
      if (num(model.experiment_id) !== experimentId) throw notFound(m.modelId as string);
      await tx.run(
        `INSERT INTO logged_model_metrics (model_id, metric_name, metric_timestamp_ms, metric_step, metric_value, experiment_id, run_id,
           dataset_uuid, dataset_name, dataset_digest) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?, ?) ON CONFLICT DO NOTHING`,
        [m.modelId as string, m.key, m.timestamp, m.step, Number.isNaN(m.value) ? null : m.value, experimentId, runId, m.datasetName ?? null, m.datasetDigest ?? null],
      );
    }
    const keys = [...new Set(linked.map((m) => m.key))];
    const stored = await tx.all(`SELECT key, value, is_nan, timestamp, step FROM metrics WHERE run_uuid = ? AND key IN (${marks(keys.length)})`, [runId, ...keys]);
    const have = new Set(stored.map((r) => `${String(r.key)}\0${num(r.timestamp)}\0${num(r.step)}\0${Number(r.is_nan) === 1 ? "NaN" : num(r.value)}`));
    return metrics.filter((m) => m.modelId === undefined || m.modelId === null || !have.has(`${m.key}\0${m.timestamp}\0${m.step}\0${Number.isNaN(m.value) ? "NaN" : m.value}`));
  }

  private async requireActiveRun(tx: SqlTx, runId: string): Promise<number> {
    validateRunId(runId);
    const row = (await tx.all("SELECT experiment_id, lifecycle_stage FROM runs WHERE run_uuid = ?", [runId]))[0];
    if (row === undefined) throw MlflowError.notFound(`Run with id=${runId} not found`);
    if (row.lifecycle_stage !== "active") {
      // As MLflow's SQL store (`_check_run_is_active`, 2.17 and 3.6) and our run writes.
      throw MlflowError.invalidParameterValue(`The run ${runId} must be in the 'active' state. Current state is ${String(row.lifecycle_stage)}.`);
    }
    return num(row.experiment_id) as number;
  }

  async logOutputs(runId: string, models: readonly ModelOutput[]): Promise<void> {
    await this.driver.transaction(async (tx) => {
      await this.requireActiveRun(tx, runId);
      for (const m of models) {
        await tx.run(
          `INSERT INTO inputs (input_uuid, source_type, source_id, destination_type, destination_id, step) VALUES (?, 'RUN_OUTPUT', ?, 'MODEL_OUTPUT', ?, ?)
           ON CONFLICT DO NOTHING`,
          [newUuid(), runId, m.modelId, m.step],
        );
      }
    });
  }

  async logInputs(runId: string, datasets: readonly DatasetInput[], models: readonly ModelInput[] = []): Promise<void> {
    validateDatasetInputs(datasets);
    await this.driver.transaction(async (tx) => {
      const experimentId = await this.requireActiveRun(tx, runId);
      for (const input of dedupeDatasetInputs(datasets)) {
        const d = input.dataset;
        const existing = await tx.all("SELECT dataset_uuid FROM datasets WHERE experiment_id = ? AND name = ? AND digest = ?", [experimentId, d.name, d.digest]);
        let datasetUuid = text(existing[0]?.dataset_uuid);
        if (datasetUuid === null) {
          datasetUuid = newUuid();
          await tx.run(
            `INSERT INTO datasets (dataset_uuid, experiment_id, name, digest, dataset_source_type, dataset_source, dataset_schema, dataset_profile)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
            [datasetUuid, experimentId, d.name, d.digest, d.sourceType, d.source, d.schema, d.profile],
          );
        }
        const inputUuid = newUuid();
        const added = await tx.run(
          `INSERT INTO inputs (input_uuid, source_type, source_id, destination_type, destination_id, step) VALUES (?, 'DATASET', ?, 'RUN', ?, 0)
           ON CONFLICT DO NOTHING`,
          [inputUuid, datasetUuid, runId],
        );
        if (added === 0) continue;
        for (const t of input.tags) await tx.run("INSERT INTO input_tags (input_uuid, name, value) VALUES (?, ?, ?) ON CONFLICT DO NOTHING", [inputUuid, t.key, t.value]);
      }
      for (const m of models) {
        await tx.run(
          `INSERT INTO inputs (input_uuid, source_type, source_id, destination_type, destination_id, step) VALUES (?, 'RUN_INPUT', ?, 'MODEL_INPUT', ?, 0)
           ON CONFLICT DO NOTHING`,
          [newUuid(), runId, m.modelId],
        );
      }
    });
  }

  /** The inputs and outputs of the runs selected by `runIdQuery` (a `SELECT run_uuid ...` with `params`). */
  async readRunEdges(db: Db, runIdQuery: string, params: readonly SqlValue[]): Promise<Map<string, { inputs: RunInputs; outputs: RunOutputs }>> {
    // A run's datasets in the order they were logged: MLflow 2.17 orders only by run and gets the
    // database's row order of `inputs` (SQLite reads them through the destination index, rowid
    // order; PostgreSQL in heap order), which for these never-updated rows is insertion order.
    const loggedOrder = this.driver.dialect === "postgres" ? "i.ctid" : "i.rowid";
    const datasetRows = await db.all(
      `SELECT i.destination_id AS run_uuid, i.input_uuid, d.name, d.digest, d.dataset_source_type, d.dataset_source, d.dataset_schema, d.dataset_profile
       FROM inputs i JOIN datasets d ON d.dataset_uuid = i.source_id
       WHERE i.source_type = 'DATASET' AND i.destination_type = 'RUN' AND i.destination_id IN (${runIdQuery}) ORDER BY i.destination_id, ${loggedOrder}`,
      params,
    );
    const tagRows = await db.all(
      `SELECT t.input_uuid, t.name, t.value FROM input_tags t JOIN inputs i ON i.input_uuid = t.input_uuid
       WHERE i.source_type = 'DATASET' AND i.destination_type = 'RUN' AND i.destination_id IN (${runIdQuery}) ORDER BY t.name`,
      params,
    );
    const edgeRows = await db.all(
      `SELECT source_type, source_id, destination_id, step FROM inputs
       WHERE source_type IN ('RUN_OUTPUT', 'RUN_INPUT') AND source_id IN (${runIdQuery}) ORDER BY destination_id`,
      params,
    );
    const out = new Map<string, { inputs: { datasetInputs: DatasetInput[]; modelInputs: ModelInput[] }; outputs: { modelOutputs: ModelOutput[] } }>();
    const entry = (runId: string) => {
      let e = out.get(runId);
      if (e === undefined) {
        e = { inputs: { datasetInputs: [], modelInputs: [] }, outputs: { modelOutputs: [] } };
        out.set(runId, e);
      }
      return e;
    };
    const tagsByInput = new Map<string, Array<{ key: string; value: string }>>();
    for (const t of tagRows) tagsByInput.set(String(t.input_uuid), [...(tagsByInput.get(String(t.input_uuid)) ?? []), { key: String(t.name), value: String(t.value) }]);
    for (const r of datasetRows) {
      entry(String(r.run_uuid)).inputs.datasetInputs.push({
        dataset: {
          name: String(r.name),
          digest: String(r.digest),
          sourceType: String(r.dataset_source_type),
          source: String(r.dataset_source),
          schema: text(r.dataset_schema),
          profile: text(r.dataset_profile),
        },
        tags: tagsByInput.get(String(r.input_uuid)) ?? [],
      });
    }
    for (const r of edgeRows) {
      const e = entry(String(r.source_id));
      if (r.source_type === "RUN_OUTPUT") e.outputs.modelOutputs.push({ modelId: String(r.destination_id), step: num(r.step) ?? 0 });
      else e.inputs.modelInputs.push({ modelId: String(r.destination_id) });
    }
    return out;
  }
}
