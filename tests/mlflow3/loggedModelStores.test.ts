/**
 * The logged-model and dataset suite on every backend: the FileStore, the SQL store on
 * SQLite and on PostgreSQL, and the REST store against a server process (SQLite). Needs no
 * peer: it runs on a fresh clone.
 */
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FileStore } from "../../src/tracking/store/fileStore";
import { FileRegistryStore } from "../../src/tracking/store/fileRegistryStore";
import { openSqlStores } from "../../src/server/sql/openSqlStores";
import { MIGRATIONS, currentSchemaVersion } from "../../src/server/sql/migrations";
import { RestStore } from "../../src/tracking-rest/restStore";
import { postgresUnavailable, startTempPostgres, type TempPostgres } from "../server/postgres";
import { startServerProcess, type ServerProcess } from "../server/serverProcess";
import { defineLoggedModelSuite } from "./loggedModelSuite";

const dirs: string[] = [];
const tempDir = (prefix: string): string => {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

defineLoggedModelSuite("FileStore", async () => {
  const root = join(tempDir("lm-file-"), "mlruns");
  const tracking = new FileStore(root);
  return { tracking, registry: new FileRegistryStore(root), rules: "file", cleanup: async () => tracking.close() };
});

describe("FileStore run outputs", () => {
  it("refuses a model id that is not one folder name, writing nothing outside the run", async () => {
    const base = tempDir("lm-file-outputs-");
    const tracking = new FileStore(join(base, "mlruns"));
    try {
      const exp = await tracking.createExperiment("outputs");
      const runId = (await tracking.createRun({ experimentId: exp, userId: "u", startTime: 1, tags: [] })).info.runId;
      for (const modelId of ["../../../../escaped", "a/b", ""]) {
        await expect(tracking.logOutputs(runId, [{ modelId, step: 0 }]), modelId).rejects.toThrow(/Invalid model id .* only letters, digits/);
      }
      expect(readdirSync(base)).toEqual(["mlruns"]);
      expect(readdirSync(join(base, "mlruns"))).not.toContain("escaped");
      expect((await tracking.getRun(runId)).outputs?.modelOutputs ?? []).toEqual([]);
    } finally {
      await tracking.close();
    }
  });
});

defineLoggedModelSuite("SQL store on SQLite", async () => {
  const stores = await openSqlStores(`sqlite:///${join(tempDir("lm-sqlite-"), "m.db")}`, "mlflow-artifacts:");
  return { tracking: stores.tracking, registry: stores.registry, rules: "sql", cleanup: () => stores.close() };
});

describe("REST store over a SQLite-backed server process", () => {
  let server: ServerProcess;
  beforeAll(async () => {
    const dir = tempDir("lm-rest-");
    server = await startServerProcess(["--backend-store-uri", `sqlite:///${join(dir, "m.db")}`, "--artifacts-destination", join(dir, "artifacts")]);
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });
  defineLoggedModelSuite("REST", async () => {
    const store = new RestStore(server.url, { maxRetries: 1 });
    return { tracking: store, registry: store, rules: "sql", cleanup: async () => undefined };
  });
});

const pgUnavailable = postgresUnavailable();
if (pgUnavailable !== null) console.warn(`SKIPPED logged models and datasets on PostgreSQL: ${pgUnavailable}`);

describe.skipIf(pgUnavailable !== null)("PostgreSQL", () => {
  let pg: TempPostgres;
  beforeAll(async () => {
    pg = await startTempPostgres();
  }, 120_000);
  afterAll(() => pg?.stop());

  defineLoggedModelSuite("SQL store on PostgreSQL", async () => {
    const stores = await openSqlStores(pg.createDatabase("logged_models"), "mlflow-artifacts:");
    return { tracking: stores.tracking, registry: stores.registry, rules: "sql", cleanup: () => stores.close() };
  });

  it("migrates a database made by the earlier schema (version 2) to MLflow's dataset and logged-model tables, keeping its data", async () => {
    const { openSqlDriver } = await import("../../src/server/sql/openSqlStores");
    const uri = pg.createDatabase("old_schema");
    const driver = openSqlDriver(uri);
    try {
      // Apply only the first two migrations, as a server of the previous release did, and store a version.
      await driver.transaction(async (tx) => {
        await tx.run("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)");
        for (const m of MIGRATIONS.filter((x) => x.version <= 2)) {
          for (const sql of m.statements("postgres")) await tx.run(sql);
          await tx.run("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)", [m.version, m.name, 1]);
        }
        await tx.run("INSERT INTO registered_models (name, creation_time, last_updated_time) VALUES ('old', 1, 1)");
        await tx.run(
          `INSERT INTO model_versions (name, version, creation_time, last_updated_time, current_stage, source, status, storage_location)
           VALUES ('old', 1, 1, 1, 'None', 'runs:/abc/model', 'READY', 'runs:/abc/model')`,
        );
      });
      expect(await currentSchemaVersion(driver)).toBe(2);
    } finally {
      await driver.close();
    }
    const stores = await openSqlStores(uri, "mlflow-artifacts:");
    try {
      expect(await currentSchemaVersion(stores.driver)).toBe(MIGRATIONS[MIGRATIONS.length - 1]?.version);
      expect(await stores.registry.getModelVersion("old", "1")).toMatchObject({ source: "runs:/abc/model", modelId: null });
      const tables = await stores.driver.all("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name");
      expect(tables.map((r) => String(r.table_name))).toEqual(
        expect.arrayContaining(["datasets", "inputs", "input_tags", "logged_models", "logged_model_metrics", "logged_model_params", "logged_model_tags"]),
      );
    } finally {
      await stores.close();
    }
  });
});
