/**
 * The model registry on SQL (MLflow's registry `SqlAlchemyStore`): registered models,
 * versions, tags, aliases and stages. As MLflow does, a deleted version keeps its row with
 * the internal stage `Deleted_Internal`, so version numbers are never reused; a new
 * version number is taken inside the transaction that inserts it (the primary key
 * catches a racing writer, which then retries).
 */
import { MlflowError } from "../../tracking/errors";
import type {
  ModelVersion,
  ModelVersionStage,
  ModelVersionTag,
  PagedList,
  RegisteredModel,
  RegisteredModelTag,
} from "../../tracking/entities";
import type { CreateModelVersionRequest, RegistryStore, SearchRegistryOptions } from "../../tracking/store/registryStore";
import { parseModelVersion, validateAlias, validateKey, validateModelName, validateRegistryTag } from "../../tracking/validation";
import { compareValue, MODEL_ATTRIBUTES, modelVersionValue, paginate, parseFilter, parseOrderBy, registeredModelValue, validateMaxResults, VERSION_ATTRIBUTES, type SearchAttributes } from "../../tracking/search";
import { canonicalStage } from "../../tracking/store/fileRegistryStore";
import { num, text, type SqlDriver, type SqlRow, type SqlTx } from "./driver";
import { isUniqueViolation } from "./sqlTrackingStore";

const STAGE_DELETED_INTERNAL = "Deleted_Internal";


type Db = SqlTx | SqlDriver;

function sortBy<T>(items: T[], orderBy: readonly string[], attributes: SearchAttributes, value: (item: T, type: string, key: string) => string | number | null): T[] {
  let out = items;
  for (const clause of [...orderBy].reverse()) {
    const o = parseOrderBy(clause, attributes);
    out = out
      .map((item) => ({ item, v: value(item, o.type, o.key) ?? "" }))
      .sort((a, b) => (a.v < b.v ? -1 : a.v > b.v ? 1 : 0) * (o.ascending ? 1 : -1))
      .map((x) => x.item);
  }
  return out;
}

/**
 * MLflow's `latest_versions` of a registered model (its SQL store's `to_mlflow_entity`): the
 * highest version of each stage, the stages in the order their first version appears
 * (going up by version), and without aliases (MLflow reads those only for single versions).
 */
export function latestPerStage(versions: readonly ModelVersion[]): ModelVersion[] {
  const latest = new Map<string, ModelVersion>();
  for (const v of [...versions].sort((a, b) => Number(a.version) - Number(b.version))) latest.set(v.currentStage, { ...v, aliases: [] });
  return [...latest.values()];
}

/** MLflow's registry store over SQL, sharing the driver of a {@link SqlTrackingStore}. */
export class SqlRegistryStore implements RegistryStore {
  constructor(readonly driver: SqlDriver) {}

  private async requireModelRow(db: Db, name: string): Promise<SqlRow> {
    validateModelName(name);
    const rows = await db.all("SELECT * FROM registered_models WHERE name = ?", [name]);
    if (rows[0] === undefined) throw MlflowError.notFound(`Registered Model with name=${name} not found`);
    return rows[0];
  }

  private async readVersions(db: Db, where: string, params: readonly (string | number)[]): Promise<ModelVersion[]> {
    const rows = await db.all(`SELECT * FROM model_versions WHERE current_stage <> '${STAGE_DELETED_INTERNAL}' ${where}`, params);
    if (rows.length === 0) return [];
    const names = [...new Set(rows.map((r) => String(r.name)))];
    const marks = names.map(() => "?").join(", ");
    const tagRows = await db.all(`SELECT * FROM model_version_tags WHERE name IN (${marks}) ORDER BY key`, names);
    const aliasRows = await db.all(`SELECT * FROM registered_model_aliases WHERE name IN (${marks}) ORDER BY alias`, names);
    const id = (name: unknown, version: unknown): string => `${String(name)}\0${String(num(version))}`;
    return rows.map((r) => ({
      name: String(r.name),
      version: String(num(r.version)),
      creationTimestamp: num(r.creation_time) as number,
      lastUpdatedTimestamp: num(r.last_updated_time) as number,
      userId: text(r.user_id),
      currentStage: String(r.current_stage) as ModelVersionStage,
      description: text(r.description),
      source: text(r.source) ?? "",
      runId: text(r.run_id),
      runLink: text(r.run_link),
      status: String(r.status) as ModelVersion["status"],
      statusMessage: text(r.status_message),
      tags: tagRows.filter((t) => id(t.name, t.version) === id(r.name, r.version)).map((t) => ({ key: String(t.key), value: String(t.value) })),
      aliases: aliasRows.filter((a) => id(a.name, a.version) === id(r.name, r.version)).map((a) => String(a.alias)),
      modelId: text(r.model_id),
    }));
  }

  private async readModels(db: Db, where: string, params: readonly string[]): Promise<RegisteredModel[]> {
    const rows = await db.all(`SELECT * FROM registered_models ${where}`, params);
    if (rows.length === 0) return [];
    const names = rows.map((r) => String(r.name));
    const marks = names.map(() => "?").join(", ");
    const versions = await this.readVersions(db, `AND name IN (${marks})`, names);
    const tagRows = await db.all(`SELECT * FROM registered_model_tags WHERE name IN (${marks}) ORDER BY key`, names);
    const aliasRows = await db.all(`SELECT * FROM registered_model_aliases WHERE name IN (${marks}) ORDER BY alias`, names);
    return rows.map((r) => {
      const name = String(r.name);
      const own = versions.filter((v) => v.name === name);
      return {
        name,
        creationTimestamp: num(r.creation_time) as number,
        lastUpdatedTimestamp: num(r.last_updated_time) as number,
        description: text(r.description),
        latestVersions: latestPerStage(own),
        tags: tagRows.filter((t) => t.name === name).map((t) => ({ key: String(t.key), value: String(t.value) })),
        aliases: aliasRows.filter((a) => a.name === name).map((a) => ({ alias: String(a.alias), version: String(num(a.version)) })),
      };
    });
  }

  private async readModel(db: Db, name: string): Promise<RegisteredModel> {
    const found = (await this.readModels(db, "WHERE name = ?", [name]))[0];
    if (found === undefined) throw MlflowError.notFound(`Registered Model with name=${name} not found`);
    return found;
  }

  private async touch(tx: SqlTx, name: string): Promise<void> {
    await tx.run("UPDATE registered_models SET last_updated_time = ? WHERE name = ?", [Date.now(), name]);
  }

  async createRegisteredModel(name: string, tags: readonly RegisteredModelTag[] = [], description: string | null = null): Promise<RegisteredModel> {
    validateModelName(name);
    for (const t of tags) validateRegistryTag(t);
    try {
      return await this.driver.transaction(async (tx) => {
        const exists = await tx.all("SELECT name FROM registered_models WHERE name = ?", [name]);
        if (exists.length > 0) throw MlflowError.alreadyExists(`Registered Model (name=${name}) already exists.`);
        const now = Date.now();
        await tx.run("INSERT INTO registered_models (name, creation_time, last_updated_time, description) VALUES (?, ?, ?, ?)", [name, now, now, description]);
        for (const t of tags) await tx.run("INSERT INTO registered_model_tags (name, key, value) VALUES (?, ?, ?) ON CONFLICT (name, key) DO UPDATE SET value = excluded.value", [name, t.key, t.value]);
        return this.readModel(tx, name);
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw MlflowError.alreadyExists(`Registered Model (name=${name}) already exists.`);
      throw err;
    }
  }

  async getRegisteredModel(name: string): Promise<RegisteredModel> {
    validateModelName(name);
    return this.readModel(this.driver, name);
  }

  async renameRegisteredModel(name: string, newName: string): Promise<RegisteredModel> {
    validateModelName(newName);
    return this.driver.transaction(async (tx) => {
      await this.requireModelRow(tx, name);
      if ((await tx.all("SELECT name FROM registered_models WHERE name = ?", [newName])).length > 0) {
        throw MlflowError.alreadyExists(`Registered Model (name=${newName}) already exists.`);
      }
      for (const table of ["registered_models", "registered_model_tags", "model_versions", "model_version_tags", "registered_model_aliases"]) {
        await tx.run(`UPDATE ${table} SET name = ? WHERE name = ?`, [newName, name]);
      }
      const now = Date.now();
      await tx.run("UPDATE registered_models SET last_updated_time = ? WHERE name = ?", [now, newName]);
      await tx.run("UPDATE model_versions SET last_updated_time = ? WHERE name = ?", [now, newName]);
      return this.readModel(tx, newName);
    });
  }

  async updateRegisteredModel(name: string, description: string | null): Promise<RegisteredModel> {
    return this.driver.transaction(async (tx) => {
      await this.requireModelRow(tx, name);
      await tx.run("UPDATE registered_models SET description = ?, last_updated_time = ? WHERE name = ?", [description, Date.now(), name]);
      return this.readModel(tx, name);
    });
  }

  async deleteRegisteredModel(name: string): Promise<void> {
    await this.driver.transaction(async (tx) => {
      await this.requireModelRow(tx, name);
      for (const table of ["registered_model_aliases", "model_version_tags", "model_versions", "registered_model_tags", "registered_models"]) {
        await tx.run(`DELETE FROM ${table} WHERE name = ?`, [name]);
      }
    });
  }

  async searchRegisteredModels(options: SearchRegistryOptions = {}): Promise<PagedList<RegisteredModel>> {
    const maxResults = options.maxResults ?? 100;
    validateMaxResults(maxResults, 1000);
    const clauses = parseFilter(options.filterString, MODEL_ATTRIBUTES);
    const value = registeredModelValue;
    const models = (await this.readModels(this.driver, "", [])).filter((m) => clauses.every((c) => compareValue(value(m, c.type, c.key), c)));
    models.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return paginate(sortBy(models, options.orderBy ?? [], MODEL_ATTRIBUTES, value), options.pageToken, maxResults);
  }

  async getLatestVersions(name: string, stages?: readonly string[]): Promise<ModelVersion[]> {
    const model = await this.getRegisteredModel(name);
    if (stages === undefined || stages.length === 0) return [...model.latestVersions];
    const wanted = stages.map(canonicalStage);
    return model.latestVersions.filter((v) => wanted.includes(v.currentStage));
  }

  async setRegisteredModelTag(name: string, tag: RegisteredModelTag): Promise<void> {
    validateRegistryTag(tag);
    await this.driver.transaction(async (tx) => {
      await this.requireModelRow(tx, name);
      await tx.run("INSERT INTO registered_model_tags (name, key, value) VALUES (?, ?, ?) ON CONFLICT (name, key) DO UPDATE SET value = excluded.value", [name, tag.key, tag.value]);
    });
  }

  async deleteRegisteredModelTag(name: string, key: string): Promise<void> {
    validateKey("tag", key);
    await this.driver.transaction(async (tx) => {
      await this.requireModelRow(tx, name);
      await tx.run("DELETE FROM registered_model_tags WHERE name = ? AND key = ?", [name, key]);
    });
  }

  async createModelVersion(request: CreateModelVersionRequest): Promise<ModelVersion> {
    for (const t of request.tags ?? []) validateRegistryTag(t, "Model version");
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.driver.transaction(async (tx) => {
          await this.requireModelRow(tx, request.name);
          const max = await tx.all("SELECT MAX(version) AS v FROM model_versions WHERE name = ?", [request.name]);
          const version = (num(max[0]?.v) ?? 0) + 1;
          const now = Date.now();
          await tx.run(
            `INSERT INTO model_versions (name, version, creation_time, last_updated_time, description, user_id, current_stage, source,
               run_id, run_link, status, status_message, storage_location, model_id) VALUES (?, ?, ?, ?, ?, NULL, 'None', ?, ?, ?, 'READY', NULL, ?, ?)`,
            [request.name, version, now, now, request.description ?? null, request.source, request.runId ?? null, request.runLink ?? null,
              request.storageLocation ?? request.source, request.modelId ?? null],
          );
          for (const t of request.tags ?? []) {
            await tx.run("INSERT INTO model_version_tags (name, version, key, value) VALUES (?, ?, ?, ?) ON CONFLICT (name, version, key) DO UPDATE SET value = excluded.value", [request.name, version, t.key, t.value]);
          }
          await this.touch(tx, request.name);
          return (await this.readVersions(tx, "AND name = ? AND version = ?", [request.name, version]))[0] as ModelVersion;
        });
      } catch (err) {
        if (isUniqueViolation(err) && attempt < 10) continue;
        throw err;
      }
    }
  }

  private async requireVersion(db: Db, name: string, version: string): Promise<ModelVersion> {
    validateModelName(name);
    const n = parseModelVersion(version);
    const found = (await this.readVersions(db, "AND name = ? AND version = ?", [name, n]))[0];
    if (found === undefined) throw MlflowError.notFound(`Model Version (name=${name}, version=${n}) not found`);
    return found;
  }

  async getModelVersion(name: string, version: string): Promise<ModelVersion> {
    return this.requireVersion(this.driver, name, String(version));
  }

  async updateModelVersion(name: string, version: string, description: string | null): Promise<ModelVersion> {
    return this.driver.transaction(async (tx) => {
      const v = await this.requireVersion(tx, name, String(version));
      await tx.run("UPDATE model_versions SET description = ?, last_updated_time = ? WHERE name = ? AND version = ?", [description, Date.now(), name, Number(v.version)]);
      return this.requireVersion(tx, name, v.version);
    });
  }

  async deleteModelVersion(name: string, version: string): Promise<void> {
    await this.driver.transaction(async (tx) => {
      const v = await this.requireVersion(tx, name, String(version));
      const n = Number(v.version);
      await tx.run("DELETE FROM registered_model_aliases WHERE name = ? AND version = ?", [name, n]);
      await tx.run("DELETE FROM model_version_tags WHERE name = ? AND version = ?", [name, n]);
      await tx.run(
        `UPDATE model_versions SET current_stage = '${STAGE_DELETED_INTERNAL}', description = NULL, user_id = NULL, source = 'REDACTED-SOURCE-PATH',
           run_id = 'REDACTED-RUN-ID', run_link = 'REDACTED-RUN-LINK', status_message = NULL, last_updated_time = ? WHERE name = ? AND version = ?`,
        [Date.now(), name, n],
      );
      await this.touch(tx, name);
    });
  }

  async transitionModelVersionStage(name: string, version: string, stage: ModelVersionStage | string, archiveExistingVersions: boolean): Promise<ModelVersion> {
    const target = canonicalStage(stage);
    if (archiveExistingVersions && target !== "Staging" && target !== "Production") {
      throw MlflowError.invalidParameterValue(
        `Model version transition cannot archive existing model versions because '${target}' is not an Active stage. Valid stages are Staging, Production.`,
      );
    }
    return this.driver.transaction(async (tx) => {
      const v = await this.requireVersion(tx, name, String(version));
      const now = Date.now();
      if (archiveExistingVersions) {
        await tx.run("UPDATE model_versions SET current_stage = 'Archived', last_updated_time = ? WHERE name = ? AND current_stage = ? AND version <> ?", [now, name, target, Number(v.version)]);
      }
      await tx.run("UPDATE model_versions SET current_stage = ?, last_updated_time = ? WHERE name = ? AND version = ?", [target, now, name, Number(v.version)]);
      await this.touch(tx, name);
      return this.requireVersion(tx, name, v.version);
    });
  }

  async searchModelVersions(options: SearchRegistryOptions = {}): Promise<PagedList<ModelVersion>> {
    const maxResults = options.maxResults ?? 10_000;
    validateMaxResults(maxResults, 200_000);
    const clauses = parseFilter(options.filterString, VERSION_ATTRIBUTES);
    const value = modelVersionValue;
    const versions = (await this.readVersions(this.driver, "", [])).filter((v) => clauses.every((c) => compareValue(value(v, c.type, c.key), c)));
    versions.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : Number(b.version) - Number(a.version)));
    // As MLflow's SQL store: searched versions come without aliases (only a single version's read fills them in).
    // MLflow's default order: most recently updated first, then name, then version (newest first).
    const orderBy = options.orderBy !== undefined && options.orderBy.length > 0 ? options.orderBy : ["last_updated_timestamp DESC"];
    const page = paginate(sortBy(versions, orderBy, VERSION_ATTRIBUTES, value), options.pageToken, maxResults);
    return { items: page.items.map((v) => ({ ...v, aliases: [] })), nextPageToken: page.nextPageToken };
  }

  async setModelVersionTag(name: string, version: string, tag: ModelVersionTag): Promise<void> {
    validateRegistryTag(tag, "Model version");
    await this.driver.transaction(async (tx) => {
      const v = await this.requireVersion(tx, name, String(version));
      await tx.run("INSERT INTO model_version_tags (name, version, key, value) VALUES (?, ?, ?, ?) ON CONFLICT (name, version, key) DO UPDATE SET value = excluded.value", [name, Number(v.version), tag.key, tag.value]);
    });
  }

  async deleteModelVersionTag(name: string, version: string, key: string): Promise<void> {
    validateKey("tag", key);
    await this.driver.transaction(async (tx) => {
      const v = await this.requireVersion(tx, name, String(version));
      await tx.run("DELETE FROM model_version_tags WHERE name = ? AND version = ? AND key = ?", [name, Number(v.version), key]);
    });
  }

  async setRegisteredModelAlias(name: string, alias: string, version: string): Promise<void> {
    validateAlias(alias);
    await this.driver.transaction(async (tx) => {
      const v = await this.requireVersion(tx, name, String(version));
      await tx.run("INSERT INTO registered_model_aliases (name, alias, version) VALUES (?, ?, ?) ON CONFLICT (name, alias) DO UPDATE SET version = excluded.version", [name, alias, Number(v.version)]);
      await this.touch(tx, name);
    });
  }

  async deleteRegisteredModelAlias(name: string, alias: string): Promise<void> {
    validateAlias(alias);
    await this.driver.transaction(async (tx) => {
      await this.requireModelRow(tx, name);
      await tx.run("DELETE FROM registered_model_aliases WHERE name = ? AND alias = ?", [name, alias]);
      await this.touch(tx, name);
    });
  }

  async getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion> {
    // As MLflow's SQL store: an unknown alias (of a model that may not exist either) is INVALID_PARAMETER_VALUE.
    validateModelName(name);
    validateAlias(alias);
    const rows = await this.driver.all("SELECT version FROM registered_model_aliases WHERE name = ? AND alias = ?", [name, alias]);
    if (rows[0] === undefined) throw MlflowError.invalidParameterValue(`Registered model alias ${alias} not found.`);
    return this.getModelVersion(name, String(num(rows[0].version)));
  }

  async getModelVersionDownloadUri(name: string, version: string): Promise<string> {
    const v = await this.getModelVersion(name, version);
    const rows = await this.driver.all("SELECT storage_location FROM model_versions WHERE name = ? AND version = ?", [v.name, Number(v.version)]);
    return text(rows[0]?.storage_location) ?? v.source;
  }
}
