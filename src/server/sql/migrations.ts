/**
 * The SQL store's versioned schema: numbered migrations, each applied once in its own
 * transaction and recorded in `schema_migrations`, written for both dialects.
 * Never edit a released migration; append a new one.
 */
import type { SqlDialect, SqlDriver } from "./driver";
import { num } from "./driver";

/** One schema step. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  /** Statements to run, per dialect (most are shared). */
  readonly statements: (dialect: SqlDialect) => string[];
}

const serial = (d: SqlDialect): string => (d === "sqlite" ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGSERIAL PRIMARY KEY");
const double = (d: SqlDialect): string => (d === "sqlite" ? "REAL" : "DOUBLE PRECISION");

/** Every migration, in order. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "tracking tables",
    statements: (d) => [
      `CREATE TABLE experiments (experiment_id ${serial(d)}, name TEXT NOT NULL UNIQUE, artifact_location TEXT NOT NULL,
        lifecycle_stage TEXT NOT NULL, creation_time BIGINT, last_update_time BIGINT)`,
      `CREATE TABLE experiment_tags (experiment_id BIGINT NOT NULL REFERENCES experiments(experiment_id), key TEXT NOT NULL,
        value TEXT NOT NULL, PRIMARY KEY (experiment_id, key))`,
      `CREATE TABLE runs (run_uuid TEXT PRIMARY KEY, name TEXT NOT NULL, experiment_id BIGINT NOT NULL REFERENCES experiments(experiment_id),
        user_id TEXT NOT NULL, status TEXT NOT NULL, start_time BIGINT NOT NULL, end_time BIGINT, deleted_time BIGINT,
        artifact_uri TEXT NOT NULL, lifecycle_stage TEXT NOT NULL)`,
      `CREATE INDEX runs_experiment ON runs (experiment_id)`,
      `CREATE TABLE tags (run_uuid TEXT NOT NULL REFERENCES runs(run_uuid), key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (run_uuid, key))`,
      `CREATE TABLE params (run_uuid TEXT NOT NULL REFERENCES runs(run_uuid), key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (run_uuid, key))`,
      `CREATE TABLE metrics (id ${serial(d)}, run_uuid TEXT NOT NULL REFERENCES runs(run_uuid), key TEXT NOT NULL,
        value ${double(d)} NOT NULL, is_nan INTEGER NOT NULL, timestamp BIGINT NOT NULL, step BIGINT NOT NULL)`,
      `CREATE INDEX metrics_run_key ON metrics (run_uuid, key, id)`,
      `CREATE TABLE latest_metrics (run_uuid TEXT NOT NULL REFERENCES runs(run_uuid), key TEXT NOT NULL, value ${double(d)} NOT NULL,
        is_nan INTEGER NOT NULL, timestamp BIGINT NOT NULL, step BIGINT NOT NULL, PRIMARY KEY (run_uuid, key))`,
    ],
  },
  {
    version: 2,
    name: "model registry tables",
    statements: () => [
      `CREATE TABLE registered_models (name TEXT PRIMARY KEY, creation_time BIGINT NOT NULL, last_updated_time BIGINT NOT NULL, description TEXT)`,
      `CREATE TABLE registered_model_tags (name TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (name, key))`,
      `CREATE TABLE model_versions (name TEXT NOT NULL, version INTEGER NOT NULL, creation_time BIGINT NOT NULL,
        last_updated_time BIGINT NOT NULL, description TEXT, user_id TEXT, current_stage TEXT NOT NULL, source TEXT,
        run_id TEXT, run_link TEXT, status TEXT NOT NULL, status_message TEXT, storage_location TEXT, PRIMARY KEY (name, version))`,
      `CREATE TABLE model_version_tags (name TEXT NOT NULL, version INTEGER NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
        PRIMARY KEY (name, version, key))`,
      `CREATE TABLE registered_model_aliases (name TEXT NOT NULL, alias TEXT NOT NULL, version INTEGER NOT NULL, PRIMARY KEY (name, alias))`,
    ],
  },
  {
    // MLflow's tables (alembic 7f2a7d5fae7d, and 6953534de441's `step`): datasets once per experiment,
    // and edges from a source to a destination (DATASET -> RUN inputs; MLflow 3's RUN_OUTPUT -> MODEL_OUTPUT).
    version: 3,
    name: "datasets, inputs and input tags",
    statements: () => [
      `CREATE TABLE datasets (dataset_uuid TEXT NOT NULL, experiment_id BIGINT NOT NULL REFERENCES experiments(experiment_id) ON DELETE CASCADE,
        name TEXT NOT NULL, digest TEXT NOT NULL, dataset_source_type TEXT NOT NULL, dataset_source TEXT NOT NULL, dataset_schema TEXT,
        dataset_profile TEXT, CONSTRAINT dataset_pk PRIMARY KEY (experiment_id, name, digest))`,
      `CREATE INDEX index_datasets_dataset_uuid ON datasets (dataset_uuid)`,
      `CREATE INDEX index_datasets_experiment_id_dataset_source_type ON datasets (experiment_id, dataset_source_type)`,
      `CREATE TABLE inputs (input_uuid TEXT NOT NULL, source_type TEXT NOT NULL, source_id TEXT NOT NULL, destination_type TEXT NOT NULL,
        destination_id TEXT NOT NULL, step BIGINT NOT NULL DEFAULT 0,
        CONSTRAINT inputs_pk PRIMARY KEY (source_type, source_id, destination_type, destination_id))`,
      `CREATE INDEX index_inputs_input_uuid ON inputs (input_uuid)`,
      `CREATE INDEX index_inputs_destination_type_destination_id_source_type ON inputs (destination_type, destination_id, source_type)`,
      `CREATE TABLE input_tags (input_uuid TEXT NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL, CONSTRAINT input_tags_pk PRIMARY KEY (input_uuid, name))`,
    ],
  },
  {
    // MLflow 3's logged models (alembic 400f98739977) and the model id of a registry version.
    version: 4,
    name: "logged models",
    statements: (d) => [
      `CREATE TABLE logged_models (model_id TEXT NOT NULL, experiment_id BIGINT NOT NULL, name TEXT NOT NULL, artifact_location TEXT NOT NULL,
        creation_timestamp_ms BIGINT NOT NULL, last_updated_timestamp_ms BIGINT NOT NULL, status INTEGER NOT NULL, lifecycle_stage TEXT,
        model_type TEXT, source_run_id TEXT, status_message TEXT,
        CONSTRAINT logged_models_lifecycle_stage_check CHECK (lifecycle_stage IN ('active', 'deleted')),
        CONSTRAINT fk_logged_models_experiment_id FOREIGN KEY (experiment_id) REFERENCES experiments(experiment_id) ON DELETE CASCADE,
        CONSTRAINT logged_models_pk PRIMARY KEY (model_id))`,
      `CREATE INDEX index_logged_models_experiment_id ON logged_models (experiment_id)`,
      `CREATE TABLE logged_model_metrics (model_id TEXT NOT NULL, metric_name TEXT NOT NULL, metric_timestamp_ms BIGINT NOT NULL,
        metric_step BIGINT NOT NULL, metric_value ${double(d)}, experiment_id BIGINT NOT NULL, run_id TEXT NOT NULL, dataset_uuid TEXT,
        dataset_name TEXT, dataset_digest TEXT,
        CONSTRAINT fk_logged_model_metrics_experiment_id FOREIGN KEY (experiment_id) REFERENCES experiments(experiment_id),
        CONSTRAINT fk_logged_model_metrics_model_id FOREIGN KEY (model_id) REFERENCES logged_models(model_id) ON DELETE CASCADE,
        CONSTRAINT fk_logged_model_metrics_run_id FOREIGN KEY (run_id) REFERENCES runs(run_uuid) ON DELETE CASCADE,
        CONSTRAINT logged_model_metrics_pk PRIMARY KEY (model_id, metric_name, metric_timestamp_ms, metric_step, run_id))`,
      `CREATE INDEX index_logged_model_metrics_model_id ON logged_model_metrics (model_id)`,
      `CREATE TABLE logged_model_params (model_id TEXT NOT NULL, experiment_id BIGINT NOT NULL, param_key TEXT NOT NULL, param_value TEXT NOT NULL,
        CONSTRAINT fk_logged_model_params_experiment_id FOREIGN KEY (experiment_id) REFERENCES experiments(experiment_id),
        CONSTRAINT fk_logged_model_params_model_id FOREIGN KEY (model_id) REFERENCES logged_models(model_id) ON DELETE CASCADE,
        CONSTRAINT logged_model_params_pk PRIMARY KEY (model_id, param_key))`,
      `CREATE TABLE logged_model_tags (model_id TEXT NOT NULL, experiment_id BIGINT NOT NULL, tag_key TEXT NOT NULL, tag_value TEXT NOT NULL,
        CONSTRAINT fk_logged_model_tags_experiment_id FOREIGN KEY (experiment_id) REFERENCES experiments(experiment_id),
        CONSTRAINT fk_logged_model_tags_model_id FOREIGN KEY (model_id) REFERENCES logged_models(model_id) ON DELETE CASCADE,
        CONSTRAINT logged_model_tags_pk PRIMARY KEY (model_id, tag_key))`,
      `ALTER TABLE model_versions ADD COLUMN model_id TEXT`,
    ],
  },
];

/** The schema version a fully migrated database has. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;

/**
 * Applies the migrations a database lacks, each in one transaction. Concurrent callers
 * (several server processes starting at once) are safe: the migrations table's primary
 * key makes a second application of one version fail and roll back; the loser re-reads.
 * Resolves to the versions applied now.
 */
export async function migrate(driver: SqlDriver): Promise<number[]> {
  await driver.transaction(async (tx) => {
    // PostgreSQL's CREATE TABLE IF NOT EXISTS is not atomic between sessions (the loser of a race
    // fails on the table's row type): a transaction-scoped advisory lock serialises the creators.
    if (driver.dialect === "postgres") await tx.run("SELECT pg_advisory_xact_lock(7310846231)");
    await tx.run(`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`);
  });
  const applied: number[] = [];
  for (const migration of MIGRATIONS) {
    const done = await driver.transaction(async (tx) => {
      if (driver.dialect === "postgres") await tx.run("LOCK TABLE schema_migrations IN EXCLUSIVE MODE");
      const rows = await tx.all("SELECT version FROM schema_migrations WHERE version = ?", [migration.version]);
      if (rows.length > 0) return false;
      for (const sql of migration.statements(driver.dialect)) await tx.run(sql);
      await tx.run("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)", [migration.version, migration.name, Date.now()]);
      return true;
    });
    if (done) applied.push(migration.version);
  }
  return applied;
}

/** The highest applied migration (0 for an empty database). */
export async function currentSchemaVersion(driver: SqlDriver): Promise<number> {
  const rows = await driver.all("SELECT MAX(version) AS v FROM schema_migrations");
  return num(rows[0]?.v) ?? 0;
}
