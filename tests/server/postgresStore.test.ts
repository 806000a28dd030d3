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
import { postgresUnavailable, startTempPostgres, type TempPostgres } from "./postgres";
import { startServerProcess, type ServerProcess } from "./serverProcess";

const unavailable = postgresUnavailable();
if (unavailable !== null) console.warn(`SKIPPING PostgreSQL tests: ${unavailable}`);

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
    return { tracking: stores.tracking, registry: stores.registry, cleanup: () => stores.close() };
  });

  defineStoreSuite("REST store over a PostgreSQL-backed server", async () => {
    const store = new RestStore(server.url, { maxRetries: 1 });
    return { tracking: store, registry: store, splitsLargeBatches: true, cleanup: async () => undefined };
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
