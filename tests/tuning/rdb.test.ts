/**
 * RDBStorage on SQLite with Optuna 3.1's schema: Python Optuna reads our studies and we read
 * Python's; resuming continues numbering; several processes share one study without losing or
 * duplicating trials; a killed worker's RUNNING trial is failed through heartbeats.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import Database from "better-sqlite3";
import {
  createStudy,
  distributionToJson,
  FrozenTrial,
  loadStudy,
  RandomSampler,
  RDBStorage,
  TrialPruned,
  ValueErrorLike,
  failStaleTrials,
} from "./rdbTestImports";
import { pythonOptunaAvailable, runPython } from "./pythonOracle";
import { pythonJsonLoads } from "../../src/tuning/json";
import { compileTuning } from "./compileForChildren";

const dir = mkdtempSync(join(tmpdir(), "tuning-rdb-"));
const url = (name: string): string => `sqlite:///${join(dir, name)}`;
const python = pythonOptunaAvailable();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface DumpedTrial {
  number: number;
  state: string;
  value: number | string | null;
  params: Record<string, unknown>;
  distributions: Record<string, string>;
  intermediate_values: Record<string, number | string>;
  user_attrs: Record<string, unknown>;
  system_attrs: Record<string, unknown>;
  has_start: boolean;
  has_complete: boolean;
}
interface Dump {
  direction: string;
  user_attrs: Record<string, unknown>;
  trials: DumpedTrial[];
  best_number: number | null;
}

const pyDump = (u: string, name: string): Dump => JSON.parse(runPython([join(__dirname, "python", "study_dump.py"), u, name])) as Dump;
const num = (v: number | null): number | string | null => (v === null ? null : Number.isFinite(v) ? v : v > 0 ? "inf" : v < 0 ? "-inf" : "nan");

/** Our trials in the dump's shape. */
function asDump(trials: FrozenTrial[]): DumpedTrial[] {
  return trials.map((t) => ({
    number: t.number,
    state: t.state,
    value: num(t.value),
    params: Object.fromEntries(Object.entries(t.params).map(([k, v]) => [k, typeof v === "number" ? num(v) : v])),
    distributions: Object.fromEntries(Object.entries(t.distributions).map(([k, d]) => [k, distributionToJson(d)])),
    intermediate_values: Object.fromEntries([...t.intermediateValues].map(([s, v]) => [String(s), num(v) as number | string])),
    user_attrs: t.userAttrs,
    system_attrs: t.systemAttrs,
    has_start: t.datetimeStart !== null,
    has_complete: t.datetimeComplete !== null,
  }));
}

async function writeMixedStudy(u: string, name: string): Promise<void> {
  const study = await createStudy({ studyName: name, storage: u, sampler: new RandomSampler({ seed: 5 }) });
  await study.setUserAttr("dataset", { name: "olx", rows: 3 });
  await study.optimize(
    (trial) => {
      const x = trial.suggestFloat("x", -2, 2);
      const lr = trial.suggestFloat("lr", 1e-4, 1, { log: true });
      const q = trial.suggestFloat("q", 0, 1, { step: 0.25 });
      const depth = trial.suggestInt("depth", 2, 12, { step: 2 });
      const leaves = trial.suggestInt("leaves", 1, 1024, { log: true });
      const kind = trial.suggestCategorical("kind", ["gbtree", null, 1.5, true]);
      trial.setUserAttr("tag", { n: trial.number, kind });
      for (let step = 0; step < 4; step++) trial.report(step === 2 && trial.number === 1 ? NaN : x * step, step);
      if (trial.number % 5 === 3) throw new TrialPruned();
      if (trial.number % 7 === 6) throw new ValueErrorLike("boom");
      if (trial.number === 10) return NaN;
      if (trial.number === 9) return Infinity;
      return x * x + depth + lr + q + leaves / 1000;
    },
    { nTrials: 12, catch: [ValueErrorLike] },
  );
  await study.enqueueTrial({ x: 0.5, kind: null });
  await study.storage.close();
}

describe("RDBStorage (SQLite, Optuna 3.1 schema)", () => {
  it("creates exactly Optuna 3.1's tables, version and alembic revision", async () => {
    const storage = await RDBStorage.open(url("schema.db"));
    await storage.close();
    const db = new Database(join(dir, "schema.db"), { readonly: true });
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
    expect(tables).toEqual(
      ["alembic_version", "studies", "study_directions", "study_system_attributes", "study_user_attributes", "trial_heartbeats", "trial_intermediate_values", "trial_params", "trial_system_attributes", "trial_user_attributes", "trial_values", "trials", "version_info"],
    );
    expect(db.prepare("SELECT version_num FROM alembic_version").get()).toEqual({ version_num: "v3.0.0.d" });
    expect(db.prepare("SELECT schema_version FROM version_info").get()).toEqual({ schema_version: 12 });
    db.close();
  });

  it("round-trips a study through close and reopen, and resumes numbering", async () => {
    await writeMixedStudy(url("round.db"), "round");
    const study = await loadStudy({ studyName: "round", storage: url("round.db"), sampler: new RandomSampler({ seed: 1 }) });
    expect(study.trials.length).toBe(13);
    expect(study.trials.map((t) => t.number)).toEqual([...Array(13).keys()]);
    expect(study.trials.filter((t) => t.state === "PRUNED").map((t) => t.number)).toEqual([3, 8]);
    expect(study.trials.filter((t) => t.state === "FAIL").map((t) => t.number)).toEqual([6, 10]);
    expect(study.trials[10]?.systemAttrs).toEqual({});
    expect(study.trials[1]?.intermediateValues.get(2)).toBeNaN();
    expect(study.trials[9]?.value).toBe(Infinity);
    expect(study.trials[12]?.state).toBe("WAITING");
    expect(study.userAttrs).toEqual({ dataset: { name: "olx", rows: 3 } });
    await study.optimize((t) => t.suggestFloat("x", -2, 2) ** 2, { nTrials: 2 });
    expect(study.trials.length).toBe(14);
    expect(study.trials[12]?.params["x"]).toBe(0.5);
    expect(study.trials[13]?.number).toBe(13);
    await study.storage.close();
  });

  it.skipIf(!python)("Python optuna.load_study reads our study: states, values, params, distributions, attrs", async () => {
    await writeMixedStudy(url("ours.db"), "ours");
    const theirs = pyDump(url("ours.db"), "ours");
    const study = await loadStudy({ studyName: "ours", storage: url("ours.db") });
    expect(theirs.trials.length).toBe(13);
    expect(theirs.direction).toBe("MINIMIZE");
    expect(theirs.user_attrs).toEqual({ dataset: { name: "olx", rows: 3 } });
    expect(asDump(study.trials)).toEqual(theirs.trials);
    expect(theirs.best_number).toBe(study.bestTrial.number);
    const states = new Set(theirs.trials.map((t) => t.state));
    expect([...states].sort()).toEqual(["COMPLETE", "FAIL", "PRUNED", "WAITING"]);
    await study.storage.close();
  });

  it.skipIf(!python)("trialsDataFrame has the columns and values of Python's trials_dataframe()", async () => {
    await writeMixedStudy(url("df.db"), "df");
    const theirs = pythonJsonLoads(runPython([join(__dirname, "python", "dataframe_dump.py"), url("df.db"), "df"])) as unknown as { columns: string[]; records: Record<string, unknown>[] };
    const study = await loadStudy({ studyName: "df", storage: url("df.db") });
    const rows = study.trialsDataFrame();
    await study.storage.close();
    const timeColumns = ["datetime_start", "datetime_complete", "duration"];
    expect(Object.keys(rows[0] ?? {}).filter((c) => !timeColumns.includes(c))).toEqual(theirs.columns);
    rows.forEach((row, i) => {
      for (const c of theirs.columns) expect([c, row[c]]).toEqual([c, (theirs.records[i] as Record<string, unknown>)[c]]);
    });
  });

  it.skipIf(!python)("writes distribution_json byte for byte as Optuna does", async () => {
    const db = new Database(join(dir, "ours.db"), { readonly: true });
    const ours = (db.prepare("SELECT DISTINCT param_name, distribution_json FROM trial_params ORDER BY param_name").all() as { param_name: string; distribution_json: string }[]);
    db.close();
    const theirs = runPython(["-c", `
import json, optuna
from optuna.distributions import *
d = {"depth": IntDistribution(2, 12, step=2), "kind": CategoricalDistribution(["gbtree", None, 1.5, True]),
     "leaves": IntDistribution(1, 1024, log=True), "lr": FloatDistribution(1e-4, 1.0, log=True),
     "q": FloatDistribution(0.0, 1.0, step=0.25), "x": FloatDistribution(-2.0, 2.0)}
print(json.dumps({k: distribution_to_json(v) for k, v in d.items()}))`]);
    const expected = JSON.parse(theirs) as Record<string, string>;
    expect(ours.length).toBe(6);
    for (const row of ours) expect(row.distribution_json).toBe(expected[row.param_name]);
  });

  it.skipIf(!python)("reads a study Python Optuna wrote, as Python sees it", async () => {
    runPython([join(__dirname, "python", "study_write.py"), url("py.db"), "py"]);
    const theirs = pyDump(url("py.db"), "py");
    const study = await loadStudy({ studyName: "py", storage: url("py.db") });
    expect(study.direction).toBe("MAXIMIZE");
    expect(asDump(study.trials)).toEqual(theirs.trials);
    expect(study.bestTrial.number).toBe(theirs.best_number);
    await study.optimize((t) => -(t.suggestFloat("x", -2, 2) ** 2), { nTrials: 3 });
    expect(study.trials.filter((t) => t.state === "COMPLETE").length).toBeGreaterThan(theirs.trials.filter((t) => t.state === "COMPLETE").length);
    await study.storage.close();
    const after = pyDump(url("py.db"), "py");
    expect(after.trials.length).toBe(theirs.trials.length + 2);
  });

  it("concurrent async trials (nJobs 4) on one SQLite connection keep every write", async () => {
    const study = await createStudy({ storage: url("jobs.db"), studyName: "jobs", sampler: new RandomSampler({ seed: 2 }) });
    await study.optimize(async (t) => {
      const x = t.suggestFloat("x", 0, 1);
      for (let s = 0; s < 3; s++) {
        t.report(x + s, s);
        await new Promise((r) => setTimeout(r, 1));
      }
      t.setUserAttr("n", t.number);
      return x;
    }, { nTrials: 20, nJobs: 4 });
    await study.storage.close();
    const reread = await loadStudy({ studyName: "jobs", storage: url("jobs.db") });
    expect(reread.trials.map((t) => t.number)).toEqual([...Array(20).keys()]);
    for (const t of reread.trials) {
      expect(t.state).toBe("COMPLETE");
      expect(t.userAttrs["n"]).toBe(t.number);
      expect([...t.intermediateValues.values()]).toEqual([0, 1, 2].map((s) => (t.params["x"] as number) + s));
    }
    await reread.storage.close();
  });

  it("rejects a parameter re-used with another distribution kind, across trials, as Optuna does", async () => {
    const study = await createStudy({ storage: url("compat.db"), studyName: "c" });
    await study.optimize((t) => t.suggestFloat("p", 0, 1), { nTrials: 1 });
    await expect(study.optimize((t) => Number(t.suggestCategorical("p", [1, 2])), { nTrials: 1 })).rejects.toThrow("Cannot set different distribution kind to the same parameter name");
    expect(study.trials.map((t) => t.state)).toEqual(["COMPLETE", "FAIL"]);
    await study.storage.close();
  });
});

describe("RDBStorage across processes", () => {
  let entry = "";
  let env: Record<string, string> = {};
  let cleanup = (): void => undefined;
  beforeAll(() => {
    ({ entry, env, cleanup } = compileTuning());
  }, 120_000);
  afterAll(() => cleanup());

  const workerScript = (): string => {
    const path = join(dir, "worker.js");
    writeFileSync(
      path,
      `const lib = require(${JSON.stringify(entry)});
const [u, name, n, mode] = process.argv.slice(2);
(async () => {
  // Heartbeats only where a test is about them: a grace period of seconds is too tight for workers starved on a loaded machine.
  const storage = await lib.RDBStorage.open(u, mode === "hang" ? { heartbeatInterval: 1, gracePeriod: 2 } : mode === "busy" ? { heartbeatInterval: 1, gracePeriod: 4 } : {});
  const study = await lib.createStudy({ studyName: name, storage, loadIfExists: true, sampler: new lib.TPESampler({ seed: process.pid, nStartupTrials: 5 }) });
  if (mode === "busy") {
    await study.optimize((t) => { t.suggestFloat("x", 0, 1); console.log("started"); const end = Date.now() + 8000; let step = 0; while (Date.now() < end) { const tick = Date.now() + 100; while (Date.now() < tick) {} t.report(step, step); step++; } return 1; }, { nTrials: 1 });
    await storage.close();
    return;
  }
  if (mode === "hang") {
    await study.optimize(async (t) => { t.suggestFloat("x", 0, 1); console.log("started"); await new Promise(() => setInterval(() => {}, 1000)); return 0; }, { nTrials: 1 });
  }
  await study.optimize(async (t) => { const x = t.suggestFloat("x", 0, 1); await new Promise((r) => setTimeout(r, 3)); t.setUserAttr("pid", process.pid); return (x - 0.3) ** 2; }, { nTrials: Number(n) });
  await storage.close();
})().catch((e) => { console.error(e); process.exit(1); });
`,
    );
    return path;
  };

  it("three worker processes share one study: no trial lost or duplicated", async () => {
    const script = workerScript();
    await createStudy({ studyName: "shared", storage: url("shared.db") }).then((s) => s.storage.close());
    const runs = [0, 1, 2].map(
      () =>
        new Promise<number>((resolveRun) => {
          const child = spawn(process.execPath, [script, url("shared.db"), "shared", "15"], { env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "inherit"] });
          child.on("exit", (code) => resolveRun(code ?? -1));
        }),
    );
    expect(await Promise.all(runs)).toEqual([0, 0, 0]);
    const study = await loadStudy({ studyName: "shared", storage: url("shared.db") });
    const trials = study.trials;
    expect(trials.length).toBe(45);
    expect(trials.map((t) => t.number)).toEqual([...Array(45).keys()]);
    expect(trials.every((t) => t.state === "COMPLETE")).toBe(true);
    for (const t of trials) expect(t.value).toBeCloseTo(((t.params["x"] as number) - 0.3) ** 2, 12);
    expect(new Set(trials.map((t) => t.userAttrs["pid"])).size).toBe(3);
    await study.storage.close();
    if (python) expect(pyDump(url("shared.db"), "shared").trials.length).toBe(45);
  }, 120_000);

  it("a live worker in a long synchronous objective keeps its heartbeat (reports beat without yielding)", async () => {
    const script = workerScript();
    const child = spawn(process.execPath, [script, url("busy.db"), "busy", "1", "busy"], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "inherit"] });
    const exited = new Promise<number>((r) => child.on("exit", (code) => r(code ?? -1)));
    await new Promise<void>((resolveStarted) => child.stdout.on("data", (d: Buffer) => d.toString().includes("started") && resolveStarted()));
    const storage = await RDBStorage.open(url("busy.db"), { heartbeatInterval: 1, gracePeriod: 4 });
    const study = await loadStudy({ studyName: "busy", storage });
    const failed: number[] = [];
    for (let i = 0; i < 14; i++) {
      await new Promise((r) => setTimeout(r, 500));
      failed.push(...(await failStaleTrials(study)));
    }
    expect(failed).toEqual([]);
    expect(await exited).toBe(0);
    await study.refresh();
    expect(study.trials.map((t) => t.state)).toEqual(["COMPLETE"]);
    expect(study.trials[0]?.intermediateValues.size).toBeGreaterThan(20);
    await storage.close();
  }, 60_000);

  it("a killed worker's RUNNING trial is marked FAIL by the heartbeat of the next worker", async () => {
    const script = workerScript();
    const child = spawn(process.execPath, [script, url("hb.db"), "hb", "1", "hang"], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "inherit"] });
    await new Promise<void>((resolveStarted) => child.stdout.on("data", (d: Buffer) => d.toString().includes("started") && resolveStarted()));
    child.kill("SIGKILL");
    await new Promise((r) => child.on("exit", r));
    const storage = await RDBStorage.open(url("hb.db"), { heartbeatInterval: 1, gracePeriod: 2 });
    const study = await loadStudy({ studyName: "hb", storage });
    expect(study.trials.map((t) => t.state)).toEqual(["RUNNING"]);
    await new Promise((r) => setTimeout(r, 4200));
    await study.optimize((t) => t.suggestFloat("x", 0, 1), { nTrials: 1 });
    expect(study.trials.map((t) => t.state)).toEqual(["FAIL", "COMPLETE"]);
    await storage.close();
    if (python) expect(pyDump(url("hb.db"), "hb").trials.map((t) => t.state)).toEqual(["FAIL", "COMPLETE"]);
  }, 60_000);
});

