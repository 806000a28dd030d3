/**
 * Optuna's RDB storage (`optuna/storages/_rdb/storage.py`) on Optuna 3.1's schema: a study
 * written here opens in Python with `optuna.load_study(storage="sqlite:///...")`, and a study
 * Python wrote opens here. Trial numbers are assigned inside a write transaction, so workers in
 * separate processes never duplicate or lose a trial; with `heartbeatInterval`, RUNNING trials
 * of dead workers are found by {@link RDBStorage.getStaleTrialIds}.
 */
import { dirname, resolve } from "node:path";
import { ValueError } from "../../../errors";
import { checkDistributionCompatibility, Distribution, distributionToJson, jsonToDistribution } from "../../distributions";
import { DuplicatedStudyError, KeyError, UpdateFinishedTrialError } from "../../errors";
import { emptyFrozenTrial, FrozenTrial } from "../../frozenTrial";
import { JsonValue, pythonJsonDumps, pythonJsonLoads } from "../../json";
import { isFinished, StudyDirection, TrialState } from "../../state";
import { FailedTrialCallback, GetTrialsOptions, Storage, StudySummary } from "../base";
import { cryptoRandomId } from "../inMemory";
import { formatDatetime, parseDatetime } from "./datetime";
import { Row, SqlDriver, SqlValue } from "./driver";
import { ALEMBIC_REVISION, LIBRARY_VERSION, POSTGRES_DDL, SCHEMA_VERSION, SQLITE_DDL } from "./schema";
import { PostgresDriver } from "./postgresDriver";
import { SqliteDriver } from "./sqliteDriver";
import { makeDirs } from "../../../util/makeDirs";

/** Options of {@link RDBStorage}. */
export interface RDBStorageOptions {
  /** Seconds between heartbeats of running trials; enables stale-trial detection. */
  heartbeatInterval?: number;
  /** Seconds without heartbeat before a RUNNING trial is stale (default 2 x interval). */
  gracePeriod?: number;
  /** SQLite busy timeout in milliseconds (default 60 000). */
  busyTimeoutMs?: number;
  /** Called with each trial failed as stale (Optuna's `failed_trial_callback`). */
  failedTrialCallback?: FailedTrialCallback;
}

/** The key of the advisory lock that serializes schema creation and study creation on PostgreSQL. */
const SCHEMA_LOCK_KEY = 0x6f7074756e61; // "optuna"

/**
 * Workers started together would otherwise race: two CREATE TABLEs of one name fail on
 * pg_type's unique index, and two inserts of one study name on the studies' unique name
 * (instead of the second finding the first's study). The lock is released at commit.
 */
async function serializeOnPostgres(tx: SqlDriver): Promise<void> {
  if (tx.dialect === "postgresql") await tx.query("SELECT pg_advisory_xact_lock(?)", [SCHEMA_LOCK_KEY]);
}

/** Optuna-compatible relational storage. */
export class RDBStorage implements Storage {
  readonly heartbeatInterval: number | null;
  readonly failedTrialCallback: FailedTrialCallback | null;
  private readonly gracePeriod: number | null;

  private constructor(
    private readonly driver: SqlDriver,
    options: RDBStorageOptions,
  ) {
    if (options.heartbeatInterval !== undefined && options.heartbeatInterval <= 0) {
      throw new ValueError("The value of `heartbeatInterval` should be a positive integer.");
    }
    if (options.gracePeriod !== undefined && options.gracePeriod <= 0) throw new ValueError("The value of `gracePeriod` should be a positive integer.");
    this.heartbeatInterval = options.heartbeatInterval ?? null;
    this.gracePeriod = options.gracePeriod ?? null;
    this.failedTrialCallback = options.failedTrialCallback ?? null;
  }

  /**
   * Opens (creating the schema when new) "sqlite:///relative.db", "sqlite:////absolute.db" or
   * "postgresql://user@host:port/database".
   */
  static async open(url: string, options: RDBStorageOptions = {}): Promise<RDBStorage> {
    if (/^postgres(ql)?(\+\w+)?:\/\//.exec(url) !== null) {
      return RDBStorage.fromDriver(PostgresDriver.fromUrl(url.replace(/^postgres(ql)?\+\w+:/, "postgresql:")), options);
    }
    const match = /^sqlite:\/\/\/(.*)$/.exec(url);
    if (match === null) throw new ValueError(`RDBStorage: unsupported URL "${url}" (expected sqlite:///path.db or postgresql://...)`);
    const path = resolve(match[1] as string);
    makeDirs(dirname(path));
    return RDBStorage.fromDriver(new SqliteDriver(path, { busyTimeoutMs: options.busyTimeoutMs }), options);
  }

  /** Storage over any driver (the seam for other databases). */
  static async fromDriver(driver: SqlDriver, options: RDBStorageOptions = {}): Promise<RDBStorage> {
    const storage = new RDBStorage(driver, options);
    await storage.initSchema();
    return storage;
  }

  private async initSchema(): Promise<void> {
    await this.driver.transaction(async (tx) => {
      const postgres = tx.dialect === "postgresql";
      await serializeOnPostgres(tx);
      const tables = await tx.query(
        postgres
          ? "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'studies'"
          : "SELECT name FROM sqlite_master WHERE type='table' AND name='studies'",
      );
      if (tables.length === 0) {
        for (const ddl of postgres ? POSTGRES_DDL : SQLITE_DDL) await tx.run(ddl);
        await tx.run("INSERT INTO version_info (version_info_id, schema_version, library_version) VALUES (1, ?, ?)", [SCHEMA_VERSION, LIBRARY_VERSION]);
        await tx.run("INSERT INTO alembic_version (version_num) VALUES (?)", [ALEMBIC_REVISION]);
        return;
      }
      const version = await tx.query("SELECT version_num FROM alembic_version");
      const revision = version[0]?.["version_num"];
      if (revision !== ALEMBIC_REVISION) {
        throw new ValueError(`RDBStorage: the database schema is at revision ${String(revision)}, but this library reads ${ALEMBIC_REVISION} (Optuna 3.x). Upgrade it with \`optuna storage upgrade\`.`);
      }
    });
  }

  async createNewStudy(direction: StudyDirection, studyName?: string): Promise<number> {
    const name = studyName ?? `no-name-${cryptoRandomId()}`;
    return this.driver.transaction(async (tx) => {
      await serializeOnPostgres(tx);
      const existing = await tx.query("SELECT study_id FROM studies WHERE study_name = ?", [name]);
      if (existing.length > 0) throw new DuplicatedStudyError(`Another study with name '${name}' already exists. Please specify a different name, or reuse the existing one by setting \`loadIfExists\` to true.`);
      const lastInsertId = await tx.insert("INSERT INTO studies (study_name) VALUES (?)", [name], "study_id");
      await tx.run("INSERT INTO study_directions (direction, study_id, objective) VALUES (?, ?, 0)", [direction, lastInsertId]);
      return lastInsertId;
    });
  }

  async deleteStudy(studyId: number): Promise<void> {
    await this.driver.transaction(async (tx) => {
      await this.studyRow(tx, studyId);
      const sub = "trial_id IN (SELECT trial_id FROM trials WHERE study_id = ?)";
      for (const table of ["trial_params", "trial_values", "trial_intermediate_values", "trial_user_attributes", "trial_system_attributes", "trial_heartbeats"]) {
        await tx.run(`DELETE FROM ${table} WHERE ${sub}`, [studyId]);
      }
      await tx.run("DELETE FROM trials WHERE study_id = ?", [studyId]);
      for (const table of ["study_directions", "study_user_attributes", "study_system_attributes"]) await tx.run(`DELETE FROM ${table} WHERE study_id = ?`, [studyId]);
      await tx.run("DELETE FROM studies WHERE study_id = ?", [studyId]);
    });
  }

  async getStudyIdFromName(studyName: string): Promise<number> {
    const rows = await this.driver.query("SELECT study_id FROM studies WHERE study_name = ?", [studyName]);
    if (rows.length === 0) throw new KeyError(`No such study ${studyName}.`);
    return Number(rows[0]?.["study_id"]);
  }

  async getStudyNameFromId(studyId: number): Promise<string> {
    return String((await this.studyRow(this.driver, studyId))["study_name"]);
  }

  async getStudyDirection(studyId: number): Promise<StudyDirection> {
    await this.studyRow(this.driver, studyId);
    const rows = await this.driver.query("SELECT direction FROM study_directions WHERE study_id = ? ORDER BY objective", [studyId]);
    if (rows.length !== 1) throw new ValueError(`Study ${studyId} has ${rows.length} objectives; only single-objective studies are supported.`);
    return rows[0]?.["direction"] as StudyDirection;
  }

  async setStudyUserAttr(studyId: number, key: string, value: JsonValue): Promise<void> {
    await this.upsertAttr("study_user_attributes", "study_id", studyId, key, value);
  }

  async setStudySystemAttr(studyId: number, key: string, value: JsonValue): Promise<void> {
    await this.upsertAttr("study_system_attributes", "study_id", studyId, key, value);
  }

  async getStudyUserAttrs(studyId: number): Promise<Record<string, JsonValue>> {
    return this.readAttrs("study_user_attributes", "study_id", studyId);
  }

  async getStudySystemAttrs(studyId: number): Promise<Record<string, JsonValue>> {
    return this.readAttrs("study_system_attributes", "study_id", studyId);
  }

  async getAllStudies(): Promise<StudySummary[]> {
    const rows = await this.driver.query(
      `SELECT s.study_id, s.study_name, d.direction, (SELECT COUNT(*) FROM trials t WHERE t.study_id = s.study_id) AS n
       FROM studies s JOIN study_directions d ON d.study_id = s.study_id AND d.objective = 0 ORDER BY s.study_id`,
    );
    return rows.map((r) => ({ studyId: Number(r["study_id"]), studyName: String(r["study_name"]), direction: r["direction"] as StudyDirection, nTrials: Number(r["n"]) }));
  }

  async createNewTrial(studyId: number, template?: FrozenTrial): Promise<FrozenTrial> {
    const trialId = await this.driver.transaction(async (tx) => {
      await this.studyRow(tx, studyId, true);
      const state: TrialState = template?.state ?? "RUNNING";
      const start = template === undefined ? new Date() : template.datetimeStart;
      const complete = template?.datetimeComplete ?? null;
      const lastInsertId = await tx.insert(
        "INSERT INTO trials (number, study_id, state, datetime_start, datetime_complete) VALUES (NULL, ?, ?, ?, ?)",
        [studyId, "RUNNING", start === null ? null : formatDatetime(start), complete === null ? null : formatDatetime(complete)],
        "trial_id",
      );
      if (template !== undefined) {
        if (template.value !== null) await this.writeValue(tx, lastInsertId, template.value);
        for (const [name, value] of Object.entries(template.params)) {
          const dist = template.distributions[name] as Distribution;
          await this.writeParam(tx, lastInsertId, studyId, name, dist.toInternalRepr(value), dist);
        }
        for (const [k, v] of Object.entries(template.userAttrs)) await this.upsertAttr("trial_user_attributes", "trial_id", lastInsertId, k, v, tx);
        for (const [k, v] of Object.entries(template.systemAttrs)) await this.upsertAttr("trial_system_attributes", "trial_id", lastInsertId, k, v, tx);
        for (const [step, v] of template.intermediateValues) await this.writeIntermediate(tx, lastInsertId, step, v);
      }
      const count = await tx.query("SELECT COUNT(*) AS n FROM trials WHERE study_id = ? AND trial_id < ?", [studyId, lastInsertId]);
      await tx.run("UPDATE trials SET number = ?, state = ? WHERE trial_id = ?", [Number(count[0]?.["n"]), state, lastInsertId]);
      return lastInsertId;
    });
    return this.getTrial(trialId);
  }

  async setTrialParam(trialId: number, name: string, internal: number, distribution: Distribution): Promise<void> {
    await this.driver.transaction(async (tx) => {
      const trial = await this.trialRow(tx, trialId, true);
      await this.writeParam(tx, trialId, Number(trial["study_id"]), name, internal, distribution);
    });
  }

  async setTrialStateValues(trialId: number, state: TrialState, value?: number | null): Promise<boolean> {
    return this.driver.transaction(async (tx) => {
      const trial = await this.trialRow(tx, trialId, true);
      if (state === "RUNNING" && trial["state"] !== "WAITING") return false;
      if (value !== undefined && value !== null) await this.writeValue(tx, trialId, value);
      const now = formatDatetime(new Date());
      if (state === "RUNNING") await tx.run("UPDATE trials SET state = ?, datetime_start = ? WHERE trial_id = ?", [state, now, trialId]);
      else if (isFinished(state)) await tx.run("UPDATE trials SET state = ?, datetime_complete = ? WHERE trial_id = ?", [state, now, trialId]);
      else await tx.run("UPDATE trials SET state = ? WHERE trial_id = ?", [state, trialId]);
      return true;
    });
  }

  async setTrialIntermediateValue(trialId: number, step: number, value: number): Promise<void> {
    await this.driver.transaction(async (tx) => {
      await this.trialRow(tx, trialId, true);
      await this.writeIntermediate(tx, trialId, step, value);
    });
  }

  async setTrialUserAttr(trialId: number, key: string, value: JsonValue): Promise<void> {
    await this.driver.transaction(async (tx) => {
      await this.trialRow(tx, trialId, true);
      await this.upsertAttr("trial_user_attributes", "trial_id", trialId, key, value, tx);
    });
  }

  async setTrialSystemAttr(trialId: number, key: string, value: JsonValue): Promise<void> {
    await this.driver.transaction(async (tx) => {
      await this.trialRow(tx, trialId, true);
      await this.upsertAttr("trial_system_attributes", "trial_id", trialId, key, value, tx);
    });
  }

  async getTrial(trialId: number): Promise<FrozenTrial> {
    const row = await this.trialRow(this.driver, trialId, false);
    const [trial] = await this.loadTrials([row]);
    return trial as FrozenTrial;
  }

  async getTrialIdFromStudyIdTrialNumber(studyId: number, number: number): Promise<number> {
    const rows = await this.driver.query("SELECT trial_id FROM trials WHERE study_id = ? AND number = ?", [studyId, number]);
    if (rows.length === 0) throw new KeyError(`No trial with trial number ${number} exists in study with study_id ${studyId}.`);
    return Number(rows[0]?.["trial_id"]);
  }

  async getAllTrials(studyId: number, options: GetTrialsOptions = {}): Promise<FrozenTrial[]> {
    await this.studyRow(this.driver, studyId);
    let rows = await this.driver.query("SELECT * FROM trials WHERE study_id = ? ORDER BY number", [studyId]);
    const states = options.states;
    if (states !== undefined) rows = rows.filter((r) => states.includes(r["state"] as TrialState));
    const skip = options.skipTrialIds;
    if (skip !== undefined) rows = rows.filter((r) => !skip.has(Number(r["trial_id"])));
    return this.loadTrials(rows, rows.length > 200 ? studyId : undefined);
  }

  async recordHeartbeat(trialId: number): Promise<void> {
    await this.driver.transaction(async (tx) => {
      const now = this.nowSql();
      const updated = await tx.run(`UPDATE trial_heartbeats SET heartbeat = ${now} WHERE trial_id = ?`, [trialId]);
      if (updated.changes === 0) await tx.run(`INSERT INTO trial_heartbeats (trial_id, heartbeat) VALUES (?, ${now})`, [trialId]);
    });
  }

  recordHeartbeatSync(trialId: number): boolean {
    if (!(this.driver instanceof SqliteDriver)) return false;
    const updated = this.driver.runSyncIfIdle("UPDATE trial_heartbeats SET heartbeat = CURRENT_TIMESTAMP WHERE trial_id = ?", [trialId]);
    if (updated === undefined) return false;
    if (updated.changes === 0) return this.driver.runSyncIfIdle("INSERT INTO trial_heartbeats (trial_id, heartbeat) VALUES (?, CURRENT_TIMESTAMP)", [trialId]) !== undefined;
    return true;
  }

  async getStaleTrialIds(studyId: number): Promise<number[]> {
    if (this.heartbeatInterval === null) return [];
    const grace = this.gracePeriod ?? 2 * this.heartbeatInterval;
    const rows = await this.driver.query(
      `SELECT t.trial_id, h.heartbeat, ${this.nowSql()} AS now FROM trials t JOIN trial_heartbeats h ON h.trial_id = t.trial_id
       WHERE t.study_id = ? AND t.state = 'RUNNING'`,
      [studyId],
    );
    return rows
      .filter((r) => {
        const beat = parseDatetime(r["heartbeat"], true);
        const now = parseDatetime(r["now"], true);
        return beat !== null && now !== null && Math.floor((now.getTime() - beat.getTime()) / 1000) > grace;
      })
      .map((r) => Number(r["trial_id"]));
  }

  async close(): Promise<void> {
    await this.driver.close();
  }

  /** The database clock as a naive timestamp (UTC text in SQLite, session-local in PostgreSQL). */
  private nowSql(): string {
    return this.driver.dialect === "postgresql" ? "LOCALTIMESTAMP" : "CURRENT_TIMESTAMP";
  }

  private async studyRow(db: SqlDriver, studyId: number, lock = false): Promise<Row> {
    const rows = await db.query(`SELECT * FROM studies WHERE study_id = ?${lock && db.dialect === "postgresql" ? " FOR UPDATE" : ""}`, [studyId]);
    if (rows.length === 0) throw new KeyError(`No study with study_id ${studyId} exists.`);
    return rows[0] as Row;
  }

  private async trialRow(db: SqlDriver, trialId: number, forUpdate: boolean): Promise<Row> {
    const rows = await db.query(`SELECT * FROM trials WHERE trial_id = ?${forUpdate && db.dialect === "postgresql" ? " FOR UPDATE" : ""}`, [trialId]);
    if (rows.length === 0) throw new KeyError(`No trial with trial_id ${trialId} exists.`);
    const row = rows[0] as Row;
    if (forUpdate && isFinished(row["state"] as TrialState)) {
      throw new UpdateFinishedTrialError(`Trial#${String(row["number"])} has already finished and can not be updated.`);
    }
    return row;
  }

  private async writeParam(tx: SqlDriver, trialId: number, studyId: number, name: string, internal: number, distribution: Distribution): Promise<void> {
    const previous = await tx.query(
      "SELECT p.distribution_json FROM trial_params p JOIN trials t ON t.trial_id = p.trial_id WHERE t.study_id = ? AND p.param_name = ? LIMIT 1",
      [studyId, name],
    );
    if (previous.length > 0) checkDistributionCompatibility(jsonToDistribution(String(previous[0]?.["distribution_json"])), distribution, name);
    await tx.run("INSERT INTO trial_params (trial_id, param_name, param_value, distribution_json) VALUES (?, ?, ?, ?)", [trialId, name, internal, distributionToJson(distribution)]);
  }

  private async writeValue(tx: SqlDriver, trialId: number, value: number): Promise<void> {
    const [stored, type] = Number.isFinite(value) ? [value, "FINITE"] : [null, value > 0 ? "INF_POS" : "INF_NEG"];
    const updated = await tx.run("UPDATE trial_values SET value = ?, value_type = ? WHERE trial_id = ? AND objective = 0", [stored, type, trialId]);
    if (updated.changes === 0) await tx.run("INSERT INTO trial_values (trial_id, objective, value, value_type) VALUES (?, 0, ?, ?)", [trialId, stored, type]);
  }

  private async writeIntermediate(tx: SqlDriver, trialId: number, step: number, value: number): Promise<void> {
    const [stored, type] = Number.isNaN(value) ? [null, "NAN"] : Number.isFinite(value) ? [value, "FINITE"] : [null, value > 0 ? "INF_POS" : "INF_NEG"];
    const updated = await tx.run("UPDATE trial_intermediate_values SET intermediate_value = ?, intermediate_value_type = ? WHERE trial_id = ? AND step = ?", [stored, type, trialId, step]);
    if (updated.changes === 0) {
      await tx.run("INSERT INTO trial_intermediate_values (trial_id, step, intermediate_value, intermediate_value_type) VALUES (?, ?, ?, ?)", [trialId, step, stored, type]);
    }
  }

  private async upsertAttr(table: string, owner: string, ownerId: number, key: string, value: JsonValue, db: SqlDriver = this.driver): Promise<void> {
    const json = pythonJsonDumps(value);
    const updated = await db.run(`UPDATE ${table} SET value_json = ? WHERE ${owner} = ? AND "key" = ?`, [json, ownerId, key]);
    if (updated.changes === 0) await db.run(`INSERT INTO ${table} (${owner}, "key", value_json) VALUES (?, ?, ?)`, [ownerId, key, json]);
  }

  private async readAttrs(table: string, owner: string, ownerId: number): Promise<Record<string, JsonValue>> {
    const rows = await this.driver.query(`SELECT "key", value_json FROM ${table} WHERE ${owner} = ?`, [ownerId]);
    const out: Record<string, JsonValue> = {};
    for (const r of rows) out[String(r["key"])] = pythonJsonLoads(String(r["value_json"]));
    return out;
  }

  /** Builds frozen trials for trial rows; reads child tables by id list, or for the whole study when many. */
  private async loadTrials(rows: Row[], wholeStudyId?: number): Promise<FrozenTrial[]> {
    if (rows.length === 0) return [];
    const byId = new Map<number, FrozenTrial>();
    for (const r of rows) {
      const t = emptyFrozenTrial(r["state"] as TrialState);
      t.trialId = Number(r["trial_id"]);
      t.number = Number(r["number"]);
      t.datetimeStart = parseDatetime(r["datetime_start"]);
      t.datetimeComplete = parseDatetime(r["datetime_complete"]);
      byId.set(t.trialId, t);
    }
    const select = async (table: string): Promise<Row[]> => {
      if (wholeStudyId !== undefined) {
        return this.driver.query(`SELECT c.* FROM ${table} c JOIN trials t ON t.trial_id = c.trial_id WHERE t.study_id = ?`, [wholeStudyId]);
      }
      const ids = [...byId.keys()];
      const out: Row[] = [];
      for (let i = 0; i < ids.length; i += 500) {
        const chunk = ids.slice(i, i + 500);
        out.push(...(await this.driver.query(`SELECT * FROM ${table} WHERE trial_id IN (${chunk.map(() => "?").join(", ")})`, chunk as SqlValue[])));
      }
      return out;
    };
    for (const p of await select("trial_params")) {
      const t = byId.get(Number(p["trial_id"]));
      if (t === undefined) continue;
      const name = String(p["param_name"]);
      const dist = jsonToDistribution(String(p["distribution_json"]));
      t.distributions[name] = dist;
      t.params[name] = dist.toExternalRepr(Number(p["param_value"]));
    }
    for (const v of await select("trial_values")) {
      const t = byId.get(Number(v["trial_id"]));
      if (t === undefined || Number(v["objective"]) !== 0) continue;
      t.value = decodeValue(v["value"], String(v["value_type"]));
    }
    for (const v of await select("trial_intermediate_values")) {
      const t = byId.get(Number(v["trial_id"]));
      if (t === undefined) continue;
      t.intermediateValues.set(Number(v["step"]), decodeValue(v["intermediate_value"], String(v["intermediate_value_type"])));
    }
    for (const [table, field] of [["trial_user_attributes", "userAttrs"], ["trial_system_attributes", "systemAttrs"]] as const) {
      for (const a of await select(table)) {
        const t = byId.get(Number(a["trial_id"]));
        if (t !== undefined) t[field][String(a["key"])] = pythonJsonLoads(String(a["value_json"]));
      }
    }
    for (const t of byId.values()) t.intermediateValues = new Map([...t.intermediateValues].sort((a, b) => a[0] - b[0]));
    return rows.map((r) => byId.get(Number(r["trial_id"])) as FrozenTrial);
  }
}

function decodeValue(value: unknown, type: string): number {
  switch (type) {
    case "FINITE":
      return Number(value);
    case "INF_POS":
      return Infinity;
    case "INF_NEG":
      return -Infinity;
    default:
      return NaN;
  }
}
