/**
 * RDBStorage on PostgreSQL (a throwaway server): the same mixed study written to PostgreSQL and
 * to SQLite (whose contents Python Optuna verifies in rdb.test.ts) reads back identically, the
 * schema has Optuna 3.1's tables and enum types, and concurrent workers on separate connection
 * pools share one study without lost or duplicated trials.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ValueError } from "../../src/errors";
import { createStudy, distributionToJson, FrozenTrial, loadStudy, RandomSampler, RDBStorage, TPESampler, TrialPruned } from "../../src/tuning";
import { PostgresServer, postgresUnavailable, startPostgres } from "./postgresServer";
import { expectResumedAsOptuna, killTuneMidTrialThenResume } from "../cli/killResume";

const unavailable = postgresUnavailable();
if (unavailable !== undefined) console.warn(`SKIPPED PostgreSQL tests: ${unavailable}`);

function comparable(trials: FrozenTrial[]): unknown[] {
  return trials.map((t) => ({
    number: t.number,
    state: t.state,
    value: t.value,
    params: t.params,
    distributions: Object.fromEntries(Object.entries(t.distributions).map(([k, d]) => [k, distributionToJson(d)])),
    intermediate: [...t.intermediateValues],
    userAttrs: t.userAttrs,
    systemAttrs: t.systemAttrs,
    started: t.datetimeStart !== null,
    completed: t.datetimeComplete !== null,
  }));
}

async function writeMixed(url: string): Promise<void> {
  const study = await createStudy({ studyName: "mixed", storage: url, sampler: new RandomSampler({ seed: 9 }) });
  await study.setUserAttr("k", [1, "two"]);
  await study.optimize(
    (t) => {
      const x = t.suggestFloat("x", -2, 2);
      const lr = t.suggestFloat("lr", 1e-4, 1, { log: true });
      const d = t.suggestInt("d", 2, 12, { step: 2 });
      const c = t.suggestCategorical("c", ["a", null, 1.5, true]);
      t.setUserAttr("u", { c });
      for (let s = 0; s < 3; s++) t.report(s === 1 && t.number === 2 ? NaN : x * s, s);
      if (t.number % 4 === 3) throw new TrialPruned();
      if (t.number === 5) throw new ValueError("boom");
      if (t.number === 6) return NaN;
      if (t.number === 7) return -Infinity;
      return x * x + lr + d;
    },
    { nTrials: 10, catch: [ValueError] },
  );
  await study.enqueueTrial({ x: 1 });
  await study.storage.close();
}

describe.skipIf(unavailable !== undefined)("RDBStorage on PostgreSQL", () => {
  let server: PostgresServer;
  beforeAll(async () => {
    server = await startPostgres();
  }, 60_000);
  afterAll(() => server?.stop());

  it("creates Optuna 3.1's tables, enum types and alembic revision", async () => {
    await (await RDBStorage.open(server.url)).close();
    const client = new Client({ connectionString: server.url });
    await client.connect();
    const tables = (await client.query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name")).rows.map((r: { table_name: string }) => r.table_name);
    const enums = (await client.query("SELECT typname FROM pg_type WHERE typtype = 'e' ORDER BY typname")).rows.map((r: { typname: string }) => r.typname);
    const revision = (await client.query("SELECT version_num FROM alembic_version")).rows;
    await client.end();
    expect(tables).toEqual(["alembic_version", "studies", "study_directions", "study_system_attributes", "study_user_attributes", "trial_heartbeats", "trial_intermediate_values", "trial_params", "trial_system_attributes", "trial_user_attributes", "trial_values", "trials", "version_info"]);
    expect(enums).toEqual(["studydirection", "trialintermediatevaluetype", "trialstate", "trialvaluetype"]);
    expect(revision).toEqual([{ version_num: "v3.0.0.d" }]);
  });

  it("stores the same study as SQLite does", async () => {
    const sqliteDir = mkdtempSync(join(tmpdir(), "tuning-pgcmp-"));
    const sqlite = `sqlite:///${join(sqliteDir, "cmp.db")}`;
    await writeMixed(server.url);
    await writeMixed(sqlite);
    const fromPg = await loadStudy({ studyName: "mixed", storage: server.url });
    const fromSqlite = await loadStudy({ studyName: "mixed", storage: sqlite });
    expect(fromPg.trials.length).toBe(11);
    expect(comparable(fromPg.trials)).toEqual(comparable(fromSqlite.trials));
    expect(fromPg.userAttrs).toEqual({ k: [1, "two"] });
    expect(new Set(fromPg.trials.map((t) => t.state))).toEqual(new Set(["COMPLETE", "PRUNED", "FAIL", "WAITING"]));
    await fromPg.storage.close();
    await fromSqlite.storage.close();
    rmSync(sqliteDir, { recursive: true, force: true });
  });

  it("four workers with their own connection pools share a study without losing a trial", async () => {
    const url = server.url.replace(/\/postgres$/, "/postgres?application_name=workers");
    await (await createStudy({ studyName: "shared", storage: url })).storage.close();
    const workers = await Promise.all([0, 1, 2, 3].map(async (w) => loadStudy({ studyName: "shared", storage: await RDBStorage.open(url), sampler: new TPESampler({ seed: w, constantLiar: true }) })));
    await Promise.all(
      workers.map((s, w) =>
        s.optimize(async (t) => {
          const x = t.suggestFloat("x", 0, 1);
          t.setUserAttr("worker", w);
          await new Promise((r) => setTimeout(r, 2));
          return (x - 0.5) ** 2;
        }, { nTrials: 12, nJobs: 2 }),
      ),
    );
    for (const s of workers) await s.storage.close();
    const study = await loadStudy({ studyName: "shared", storage: url });
    expect(study.trials.map((t) => t.number)).toEqual([...Array(48).keys()]);
    expect(study.trials.every((t) => t.state === "COMPLETE" && t.value === ((t.params["x"] as number) - 0.5) ** 2)).toBe(true);
    expect(new Set(study.trials.map((t) => t.userAttrs["worker"]))).toEqual(new Set([0, 1, 2, 3]));
    await study.storage.close();
  });

  it("workers started together on a new database create the schema and the study once", async () => {
    const admin = new Client({ connectionString: server.url });
    await admin.connect();
    await admin.query("CREATE DATABASE together");
    await admin.end();
    const url = server.url.replace(/\/postgres$/, "/together");
    const studies = await Promise.all([0, 1, 2, 3, 4, 5].map(() => createStudy({ studyName: "together", storage: url, loadIfExists: true })));
    expect(new Set(studies.map((s) => s.studyId)).size).toBe(1);
    for (const s of studies) await s.storage.close();
  });

  it("tune killed with SIGKILL mid-trial resumes: the killed trial failed, not made up, N more run, no parameters drawn again", async () => {
    const outcome = await killTuneMidTrialThenResume(server.url, "pg-tune", ["--trials", "3", "--rounds", "20"], ["--trials", "2", "--rounds", "20"]);
    expectResumedAsOptuna(outcome, 2);
  }, 300_000);
});
