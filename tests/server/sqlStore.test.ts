import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openSqlStores } from "../../src/server/sql/openSqlStores";
import { MIGRATIONS, currentSchemaVersion } from "../../src/server/sql/migrations";
import { defineStoreSuite } from "./storeSuite";
import { defineGroupCommitSuite } from "./groupCommitSuite";

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "sqlstore-test-"));
}

defineStoreSuite("SQL store on SQLite", async () => {
  const dir = tempDir();
  const stores = await openSqlStores(`sqlite:///${join(dir, "mlflow.db")}`, "mlflow-artifacts:");
  return {
    tracking: stores.tracking,
    registry: stores.registry,
    rules: "sql",
    cleanup: async () => {
      await stores.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

defineGroupCommitSuite("SQL store on SQLite", async () => {
  const dir = tempDir();
  const stores = await openSqlStores(`sqlite:///${join(dir, "group.db")}`, "mlflow-artifacts:");
  return {
    tracking: stores.tracking,
    refuseMetricKey: async (key) => {
      await stores.driver.transaction((tx) =>
        tx.run(`CREATE TRIGGER refuse_${key} BEFORE INSERT ON metrics WHEN NEW.key = '${key}' BEGIN SELECT RAISE(ABORT, 'metric key ${key} refused'); END`),
      );
    },
    cleanup: async () => {
      await stores.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe("SQLite schema migrations", () => {
  it("records every numbered migration once and keeps data when reopened", async () => {
    const dir = tempDir();
    const uri = `sqlite:///${join(dir, "m.db")}`;
    try {
      const first = await openSqlStores(uri, "mlflow-artifacts:");
      expect(await currentSchemaVersion(first.driver)).toBe(MIGRATIONS.length);
      const rows = await first.driver.all("SELECT version, name FROM schema_migrations ORDER BY version");
      expect(rows.map((r) => Number(r.version))).toEqual(MIGRATIONS.map((m) => m.version));
      const id = await first.tracking.createExperiment("kept");
      expect((await first.tracking.getExperiment(id)).artifactLocation).toBe(`mlflow-artifacts:/${id}`);
      await first.close();
      const second = await openSqlStores(uri, "mlflow-artifacts:");
      expect((await second.driver.all("SELECT COUNT(*) AS n FROM schema_migrations"))[0]?.n).toBe(MIGRATIONS.length);
      expect((await second.tracking.getExperimentByName("kept"))?.experimentId).toBe(id);
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("lets two processes' worth of stores on one file write without losing rows", async () => {
    const dir = tempDir();
    const uri = `sqlite:///${join(dir, "shared.db")}`;
    try {
      const [a, b] = await Promise.all([openSqlStores(uri, "mlflow-artifacts:"), openSqlStores(uri, "mlflow-artifacts:")]);
      const run = await a.tracking.createRun({ experimentId: "0", userId: "u", startTime: 1, tags: [] });
      await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          (i % 2 === 0 ? a : b).tracking.logBatch(run.info.runId, { metrics: Array.from({ length: 100 }, (_, j) => ({ key: "m", value: j, timestamp: i, step: i * 100 + j })) }),
        ),
      );
      expect(await b.tracking.getMetricHistory(run.info.runId, "m")).toHaveLength(1000);
      await a.close();
      await b.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
