import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { MlflowClient, MlflowError, FileStore } from "../../src/tracking";
import type { Metric } from "../../src/tracking";
import { HAS_PYYAML, PYTHON, listTree, tempDir } from "./helpers";

const READER = join(__dirname, "mlflow_filestore_reader.py");

interface ReadRun {
  meta: Record<string, unknown>;
  metrics: Record<string, Array<{ key: string; value: number | string | null; timestamp: number; step: number }>>;
  params: Record<string, string>;
  tags: Record<string, string>;
  artifacts: string[];
}
interface ReadExperiment {
  meta: Record<string, unknown>;
  tags: Record<string, string>;
  runs: Record<string, ReadRun>;
}
interface ReadStore {
  experiments: Record<string, ReadExperiment>;
  trash: Record<string, ReadExperiment>;
  models: Record<string, unknown>;
  errors: string[];
}

function readWithPython(root: string): ReadStore {
  const r = spawnSync(PYTHON, [READER, root], { encoding: "utf8", maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as ReadStore;
}

async function expectMlflowError(p: Promise<unknown>, code: string, message: RegExp): Promise<void> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(MlflowError);
  expect((err as MlflowError).errorCode).toBe(code);
  expect((err as MlflowError).message).toMatch(message);
}

describe("FileStore layout and formats (mlflow-2.17-formats.md)", async () => {
  const tmp = tempDir();
  afterAll(tmp.cleanup);
  const root = join(tmp.dir, "mlruns");
  const client = new MlflowClient(root);
  const expId = await client.createExperiment("fs-exp", { tags: { team: "ml" } });
  const run = await client.createRun(expId, { runName: "fs-run", startTime: 1795682134715, tags: { "mlflow.user": "root" } });
  const runId = run.info.runId;
  const logged: Metric[] = [
    { key: "rmse", value: 4.5, timestamp: 1795682134720, step: 0 },
    { key: "rmse", value: 1, timestamp: 1795682134721, step: 1 },
    { key: "rmse", value: 1e-5, timestamp: 1795682134722, step: 2 },
    { key: "rmse", value: 3.25, timestamp: 1795682134719, step: 2 },
    { key: "odd", value: Infinity, timestamp: 1, step: 0 },
    { key: "odd", value: NaN, timestamp: 2, step: -1 },
    { key: "a/b", value: 0.1, timestamp: 5, step: 7 },
  ];
  for (const m of logged) await client.logMetric(runId, m.key, m.value, { timestamp: m.timestamp, step: m.step });
  await client.logParam(runId, "lr", 0.01);
  await client.logParam(runId, "key with space", "x y");
  await client.logParam(runId, "lr", "0.01");
  await client.setTag(runId, "note", "zażółć\nline two");
  await client.logText(runId, "hello", "notes/hello.txt");
  await client.setTerminated(runId, "FINISHED", 1795682134735);
  const running = await client.createRun(expId, { runName: "left-running" });
  const deleted = await client.createRun(expId, {});
  await client.deleteRun(deleted.info.runId);
  const goneId = await client.createExperiment("gone");
  await client.deleteExperiment(goneId);

  it("creates .trash, experiment 0 'Default' and 18-digit experiment ids", async () => {
    expect(listTree(root)).toContain("0/meta.yaml");
    expect((await client.getExperiment("0")).name).toBe("Default");
    expect(expId).toMatch(/^[1-9]\d{17}$/);
    expect(listTree(root)).toContain(`.trash/${goneId}/meta.yaml`);
    // Temporary files are renamed or removed: none is left behind.
    expect(listTree(root).filter((f) => f.includes(".tmp-"))).toEqual([]);
  });

  it("writes the experiment meta.yaml with the reference's fields, in order and quoting", () => {
    const text = readFileSync(join(root, expId, "meta.yaml"), "utf8");
    const uri = `file://${root}/${expId}`;
    expect(text).toMatch(
      new RegExp(
        `^artifact_location: ${uri.replace(/[/.]/g, "\\$&")}\ncreation_time: \\d{13}\nexperiment_id: '${expId}'\n` +
          `last_update_time: \\d{13}\nlifecycle_stage: active\nname: fs-exp\n$`,
      ),
    );
    expect(readFileSync(join(root, expId, "tags", "team"), "utf8")).toBe("ml");
  });

  it("writes the run meta.yaml, params, tags and metric lines as MLflow does", () => {
    const dir = join(root, expId, runId);
    expect(readFileSync(join(dir, "meta.yaml"), "utf8")).toBe(
      `artifact_uri: file://${root}/${expId}/${runId}/artifacts\nend_time: 1795682134735\nentry_point_name: ''\n` +
        `experiment_id: '${expId}'\nlifecycle_stage: active\nrun_id: ${runId}\nrun_name: fs-run\nrun_uuid: ${runId}\n` +
        `source_name: ''\nsource_type: 4\nsource_version: ''\nstart_time: 1795682134715\nstatus: 3\ntags: []\nuser_id: ${run.info.userId}\n`,
    );
    expect(readFileSync(join(dir, "metrics", "rmse"), "utf8")).toBe(
      "1795682134720 4.5 0\n1795682134721 1.0 1\n1795682134722 1e-05 2\n1795682134719 3.25 2\n",
    );
    expect(readFileSync(join(dir, "metrics", "odd"), "utf8")).toBe("1 inf 0\n2 nan -1\n");
    expect(readFileSync(join(dir, "metrics", "a", "b"), "utf8")).toBe("5 0.1 7\n");
    expect(readFileSync(join(dir, "params", "lr"), "utf8")).toBe("0.01");
    expect(readFileSync(join(dir, "params", "key with space"), "utf8")).toBe("x y");
    expect(readFileSync(join(dir, "tags", "mlflow.runName"), "utf8")).toBe("fs-run");
    expect(readFileSync(join(dir, "artifacts", "notes", "hello.txt"), "utf8")).toBe("hello");
  });

  it("marks a never-ended run with end_time null and a deleted run with deleted_time", () => {
    expect(readFileSync(join(root, expId, running.info.runId, "meta.yaml"), "utf8")).toMatch(/\nend_time: null\n[\s\S]*\nstatus: 1\n/);
    expect(readFileSync(join(root, expId, deleted.info.runId, "meta.yaml"), "utf8")).toMatch(/^artifact_uri: .*\ndeleted_time: \d{13}\n[\s\S]*lifecycle_stage: deleted\n/);
  });

  it("reports the latest metric as the max by (step, timestamp, value), and the full history", async () => {
    const got = await client.getRun(runId);
    const latest = (key: string): Metric =>
      logged
        .filter((m) => m.key === key)
        .reduce((a, b) => (b.step > a.step || (b.step === a.step && (b.timestamp > a.timestamp || (b.timestamp === a.timestamp && b.value > a.value))) ? b : a));
    for (const key of ["rmse", "odd", "a/b"]) {
      expect(got.data.metrics.find((m) => m.key === key)).toEqual(latest(key));
    }
    expect(await client.getMetricHistory(runId, "rmse")).toEqual(logged.filter((m) => m.key === "rmse"));
  });

  describe.skipIf(!HAS_PYYAML)("read back by a Python reader that parses files as MLflow 2.17's FileStore", () => {
    const read = readWithPython(root);
    it("finds no format errors (types, keys, byte-identical YAML, Python float text)", () => {
      expect(read.errors).toEqual([]);
    });
    it("reads every experiment, run, metric step, param and tag that was logged", () => {
      expect(read.experiments["0"]?.meta.name).toBe("Default");
      const exp = read.experiments[expId] as ReadExperiment;
      expect(exp.meta).toMatchObject({ name: "fs-exp", experiment_id: expId, lifecycle_stage: "active" });
      expect(exp.tags).toEqual({ team: "ml" });
      expect(Object.keys(exp.runs).sort()).toEqual([runId, running.info.runId, deleted.info.runId].sort());
      const r = exp.runs[runId] as ReadRun;
      expect(r.meta).toMatchObject({ status: 3, end_time: 1795682134735, start_time: 1795682134715, run_name: "fs-run" });
      const pyValue = (v: number): number | string | null => (Number.isNaN(v) ? null : Number.isFinite(v) ? v : String(v).replace("Infinity", "inf"));
      for (const key of ["rmse", "odd", "a/b"]) {
        expect(r.metrics[key]).toEqual(logged.filter((m) => m.key === key).map((m) => ({ ...m, value: pyValue(m.value) })));
      }
      expect(r.params).toEqual({ lr: "0.01", "key with space": "x y" });
      expect(r.tags).toMatchObject({ note: "zażółć\nline two", "mlflow.runName": "fs-run", "mlflow.user": "root" });
      expect(r.artifacts).toEqual(["notes/hello.txt"]);
      expect(read.trash[goneId]?.meta).toMatchObject({ name: "gone", lifecycle_stage: "deleted", tags: {} });
    });
  });
});

describe("FileStore reads files written by MLflow itself (reference snippets)", () => {
  it("parses the reference's experiment and run meta.yaml", async () => {
    const tmp = tempDir();
    try {
      const root = join(tmp.dir, "mlruns");
      const exp = "958166322248970843";
      const run = "2fcd8561e6144c2b894eecb165cfe5af";
      mkdirSync(join(root, exp, run, "metrics"), { recursive: true });
      mkdirSync(join(root, exp, run, "params"), { recursive: true });
      mkdirSync(join(root, exp, run, "tags"), { recursive: true });
      writeFileSync(
        join(root, exp, "meta.yaml"),
        `artifact_location: file://${root}/${exp}\ncreation_time: 1795682134223\nexperiment_id: '${exp}'\n` +
          `last_update_time: 1795682134223\nlifecycle_stage: active\nname: fs-exp\n`,
      );
      writeFileSync(
        join(root, exp, run, "meta.yaml"),
        `artifact_uri: file://${root}/${exp}/${run}/artifacts\nend_time: 1795682134735\nentry_point_name: ''\n` +
          `experiment_id: '${exp}'\nlifecycle_stage: active\nrun_id: ${run}\nrun_name: fs-run\nrun_uuid: ${run}\n` +
          `source_name: ''\nsource_type: 4\nsource_version: ''\nstart_time: 1795682134715\nstatus: 3\ntags: []\nuser_id: root\n`,
      );
      // Two-field lines (older MLflow) mean step 0.
      writeFileSync(join(root, exp, run, "metrics", "m"), "1795682134720 0.5\n1795682134721 1.5 3\n");
      writeFileSync(join(root, exp, run, "params", "p"), "v");
      const store = new FileStore(root);
      const e = await store.getExperiment(exp);
      expect(e).toMatchObject({ experimentId: exp, name: "fs-exp", creationTime: 1795682134223, lifecycleStage: "active" });
      const r = await store.getRun(run);
      expect(r.info).toMatchObject({ runId: run, status: "FINISHED", endTime: 1795682134735, userId: "root", experimentId: exp });
      expect(await store.getMetricHistory(run, "m")).toEqual([
        { key: "m", value: 0.5, timestamp: 1795682134720, step: 0 },
        { key: "m", value: 1.5, timestamp: 1795682134721, step: 3 },
      ]);
      expect(r.data.params).toEqual([{ key: "p", value: "v" }]);
    } finally {
      tmp.cleanup();
    }
  });
});

describe("MLflow validation and error codes", async () => {
  const tmp = tempDir();
  afterAll(tmp.cleanup);
  const client = new MlflowClient(join(tmp.dir, "mlruns"));
  const expId = await client.createExperiment("v");
  const runId = (await client.createRun(expId)).info.runId;

  it("rejects bad keys, naming them", async () => {
    // MLflow 2.17's messages (mlflow/utils/validation.py), checked against the real server in tests/compat.
    await expectMlflowError(client.logMetric(runId, "bad*key", 1), "INVALID_PARAMETER_VALUE", /Invalid value "bad\*key" for parameter 'metrics\[0\]\.name' supplied: Names may only contain/);
    await expectMlflowError(client.logParam(runId, "../escape", 1), "INVALID_PARAMETER_VALUE", /Invalid value "\.\.\/escape" for parameter 'params\[0\]\.key' supplied: Names may be treated as files.*'\.\.\/escape'/);
    await expectMlflowError(client.setTag(runId, "/abs", "x"), "INVALID_PARAMETER_VALUE", /Invalid value "\/abs"/);
    await expectMlflowError(client.setTag(runId, "trailing/", "x"), "INVALID_PARAMETER_VALUE", /would resolve to 'trailing'/);
    await client.setTag(runId, "ünïcödé: Łódź", "polish keys are fine");
    await expectMlflowError(client.logMetric(runId, "k".repeat(251), 1), "INVALID_PARAMETER_VALUE", /exceeded length limit of 250/);
    await client.logMetric(runId, "k".repeat(250), 1);
  });

  it("truncates long values as MLflow 2.17 stores them (param 6000, tag 8000) and keeps params immutable", async () => {
    await client.logParam(runId, "long", "x".repeat(6001) + "y");
    await client.logParam(runId, "ok", "x".repeat(6000));
    await client.setTag(runId, "long", "x".repeat(9000));
    const stored = (await client.getRun(runId)).data;
    expect(stored.params.find((p) => p.key === "long")?.value).toBe("x".repeat(6000));
    expect(stored.tags.find((t) => t.key === "long")?.value).toBe("x".repeat(8000));
    await client.logParam(runId, "alpha", 1);
    await client.logParam(runId, "alpha", "1");
    await expectMlflowError(client.logParam(runId, "alpha", 2), "INVALID_PARAMETER_VALUE", /Changing param values is not allowed.*key='alpha'.*value='1'.*'2'/);
  });

  it("enforces MLflow's batch limits on the store and chunks in the client", async () => {
    const metrics = Array.from({ length: 1001 }, (_, i) => ({ key: "m", value: i, timestamp: i, step: i }));
    await expectMlflowError(client.store.logBatch(runId, { metrics }), "INVALID_PARAMETER_VALUE", /at most 1000 metrics/);
    const params = Array.from({ length: 101 }, (_, i) => ({ key: `p${i}`, value: "v" }));
    await expectMlflowError(client.store.logBatch(runId, { params }), "INVALID_PARAMETER_VALUE", /at most 100 params/);
    await client.logBatch(runId, { metrics, params });
    expect((await client.getMetricHistory(runId, "m")).length).toBe(1001);
    expect((await client.getRun(runId)).data.params.filter((p) => /^p\d+$/.test(p.key)).length).toBe(101);
  });

  it("keeps artifacts inside the run's artifact root", async () => {
    for (const bad of ["../escape.txt", "/etc/x.txt", "a/../../b.txt", "..\\win.txt"]) {
      await expectMlflowError(client.logText(runId, "x", bad), "INVALID_PARAMETER_VALUE", /Invalid artifact path/);
    }
    await client.logText(runId, "ok", "a/./b/c.txt");
    expect((await client.listArtifacts(runId, "a/b")).map((f) => [f.path, f.fileSize])).toEqual([["a/b/c.txt", 2]]);
    await expectMlflowError(client.listArtifacts(runId, "../.."), "INVALID_PARAMETER_VALUE", /Invalid artifact path/);
  });

  it("answers RESOURCE_DOES_NOT_EXIST and RESOURCE_ALREADY_EXISTS like MLflow", async () => {
    await expectMlflowError(client.getRun("0123456789abcdef0123456789abcdef"), "RESOURCE_DOES_NOT_EXIST", /not found/);
    await expectMlflowError(client.getExperiment("12345"), "RESOURCE_DOES_NOT_EXIST", /Could not find experiment with ID 12345/);
    await expectMlflowError(client.createExperiment("v"), "RESOURCE_ALREADY_EXISTS", /Experiment 'v' already exists/);
    expect(new MlflowError("x", "RESOURCE_DOES_NOT_EXIST").httpStatus).toBe(404);
  });

  it("deletes, restores and renames experiments and runs", async () => {
    const id = await client.createExperiment("to-delete");
    await client.deleteExperiment(id);
    expect((await client.getExperiment(id)).lifecycleStage).toBe("deleted");
    await expectMlflowError(client.createExperiment("to-delete"), "RESOURCE_ALREADY_EXISTS", /deleted state/);
    expect((await client.searchExperiments()).items.map((e) => e.name)).not.toContain("to-delete");
    expect((await client.searchExperiments({ viewType: "DELETED_ONLY" })).items.map((e) => e.name)).toEqual(["to-delete"]);
    await client.restoreExperiment(id);
    await client.renameExperiment(id, "renamed");
    expect((await client.getExperimentByName("renamed"))?.experimentId).toBe(id);
    const r = await client.createRun(id);
    await client.deleteRun(r.info.runId);
    await expectMlflowError(client.logMetric(r.info.runId, "m", 1), "INVALID_PARAMETER_VALUE", /must be in 'active' lifecycle_stage/);
    expect((await client.searchRuns([id])).items).toEqual([]);
    expect((await client.searchRuns([id], { runViewType: "DELETED_ONLY" })).items.map((x) => x.info.runId)).toEqual([r.info.runId]);
    await client.restoreRun(r.info.runId);
    expect((await client.searchRuns([id])).items.length).toBe(1);
    await expectMlflowError(client.deleteExperiment("0"), "INVALID_PARAMETER_VALUE", /default experiment/);
  });
});
