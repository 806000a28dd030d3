/**
 * The SQL store on a real PostgreSQL 15 (started by the test): the shared store suite,
 * the migrations, and the REST suite against a server process on PostgreSQL.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSqlStores } from "../../src/server/sql/openSqlStores";
import { MIGRATIONS, currentSchemaVersion } from "../../src/server/sql/migrations";
import { RestStore } from "../../src/tracking-rest/restStore";
import { defineStoreSuite } from "./storeSuite";
import { defineGroupCommitSuite } from "./groupCommitSuite";
import { postgresUnavailable, startTempPostgres, type TempPostgres } from "./postgres";
import { startServerProcess, type ServerProcess } from "./serverProcess";

const unavailable = postgresUnavailable();
if (unavailable !== null) console.warn(`SKIPPED PostgreSQL store tests: ${unavailable}`);

describe.skipIf(unavailable !== null)("PostgreSQL backend", () => {
  let pg: TempPostgres;
  let server: ServerProcess;
  let dir: string;

  beforeAll(async () => {
    pg = await startTempPostgres();
    dir = mkdtempSync(join(tmpdir(), "pg-rest-test-"));
    server = await startServerProcess(["--backend-store-uri", pg.createDatabase("served"), "--artifacts-destination", join(dir, "artifacts")]);
  }, 180_000);

  afterAll(async () => {
    await server?.stop();
    pg?.stop();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  defineStoreSuite("SQL store on PostgreSQL", async () => {
    const stores = await openSqlStores(pg.createDatabase("direct"), "mlflow-artifacts:");
    return { tracking: stores.tracking, registry: stores.registry, rules: "sql", cleanup: () => stores.close() };
  });

  defineStoreSuite("REST store over a PostgreSQL-backed server", async () => {
    const store = new RestStore(server.url, { maxRetries: 1 });
    return { tracking: store, registry: store, splitsLargeBatches: true, rules: "sql", cleanup: async () => undefined };
  });

  defineGroupCommitSuite("SQL store on PostgreSQL", async () => {
    const stores = await openSqlStores(pg.createDatabase("group_commit"), "mlflow-artifacts:");
    return {
      tracking: stores.tracking,
      refuseMetricKey: async (key) => {
        await stores.driver.transaction((tx) => tx.run(`ALTER TABLE metrics ADD CONSTRAINT refuse_${key} CHECK (key <> '${key}')`));
      },
      cleanup: () => stores.close(),
    };
  });

  it("answers 50 concurrent log-batch requests, each after its commit, a bad one with its own MLflow error", async () => {
    const post = async (path: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> => {
      const r = await fetch(`${server.url}/api/2.0/mlflow/${path}`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
      return { status: r.status, json: (await r.json()) as Record<string, unknown> };
    };
    const exp = String((await post("experiments/create", { name: `rest-group-${Date.now()}` })).json.experiment_id);
    const runIds: string[] = [];
    for (let i = 0; i < 10; i++) runIds.push(((await post("runs/create", { experiment_id: exp, start_time: 1 })).json.run as { info: { run_id: string } }).info.run_id);
    const deleted = runIds[9] as string;
    expect((await post("runs/delete", { run_id: deleted })).status).toBe(200);
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, k) => {
        const runId = runIds[k % 10] as string;
        const metrics = Array.from({ length: 10 }, (_, i) => ({ key: "loss", value: k + i / 10, timestamp: 1000 + k, step: k * 10 + i }));
        return post("runs/log-batch", { run_id: runId, metrics }).then((a) => ({ ...a, runId, metrics }));
      }),
    );
    for (const a of answers) {
      if (a.runId === deleted) {
        expect(a.status).toBe(400);
        expect(a.json).toEqual({ error_code: "INVALID_PARAMETER_VALUE", message: `The run ${deleted} must be in the 'active' state. Current state is deleted.` });
      } else {
        expect(a.status).toBe(200);
        expect(a.json).toEqual({});
      }
    }
    for (const runId of runIds.slice(0, 9)) {
      const r = await fetch(`${server.url}/api/2.0/mlflow/metrics/get-history?run_id=${runId}&metric_key=loss`);
      const stored = ((await r.json()) as { metrics: { step: number; value: number }[] }).metrics;
      const sent = answers.filter((a) => a.runId === runId).flatMap((a) => a.metrics);
      expect(stored.map((m) => [m.step, m.value]).sort((x, y) => (x[0] as number) - (y[0] as number))).toEqual(sent.map((m) => [m.step, m.value]));
    }
    const missing = await post("runs/log-batch", { run_id: "0123456789abcdef0123456789abcdef", metrics: [{ key: "m", value: 1, timestamp: 1, step: 0 }] });
    expect(missing).toEqual({ status: 404, json: { error_code: "RESOURCE_DOES_NOT_EXIST", message: "Run with id=0123456789abcdef0123456789abcdef not found" } });
  });

  it("applies the numbered migrations once even when several stores open one database at once", async () => {
    const uri = pg.createDatabase("migrations");
    const opened = await Promise.all([1, 2, 3].map(() => openSqlStores(uri, "mlflow-artifacts:")));
    try {
      expect(await currentSchemaVersion(opened[0]!.driver)).toBe(MIGRATIONS.length);
      const rows = await opened[0]!.driver.all("SELECT version FROM schema_migrations ORDER BY version");
      expect(rows.map((r) => Number(r.version))).toEqual(MIGRATIONS.map((m) => m.version));
      const defaults = await opened[0]!.driver.all("SELECT name FROM experiments WHERE experiment_id = 0");
      expect(defaults).toEqual([{ name: "Default" }]);
    } finally {
      for (const s of opened) await s.close();
    }
  });
});
