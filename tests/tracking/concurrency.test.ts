import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { afterAll, describe, expect, it } from "vitest";
import { MlflowClient, parseMetricLines } from "../../src/tracking";
import { HAS_PYYAML, PYTHON, compiledTracking, tempDir } from "./helpers";

const WRITER = join(__dirname, "writer.cjs");
const COUNT = 1500;

interface Job {
  library: string;
  root: string;
  runId?: string;
  experimentId?: string;
  id: number;
  count: number;
  mode: "log" | "forever" | "experiment";
  experimentName?: string;
}

function inThread(job: Job): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const w = new Worker(WRITER, { workerData: job });
    w.once("message", resolve);
    w.once("error", reject);
    w.once("exit", (code) => (code === 0 ? undefined : reject(new Error(`worker ${job.id} exited with ${code}`))));
  });
}

function inProcess(job: Job): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRITER, JSON.stringify(job)], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`process ${job.id}: ${err}`))));
  });
}

function pythonReaderErrors(root: string): string[] {
  const r = spawnSync(PYTHON, [join(__dirname, "mlflow_filestore_reader.py"), root], { encoding: "utf8", maxBuffer: 1 << 28 });
  return (JSON.parse(r.stdout) as { errors: string[] }).errors;
}

describe("concurrent writers (worker threads and processes) on one store", async () => {
  const tmp = tempDir();
  afterAll(tmp.cleanup);
  const root = join(tmp.dir, "mlruns");
  const client = new MlflowClient(root);
  const experimentId = await client.createExperiment("concurrent");
  const runId = (await client.createRun(experimentId)).info.runId;
  const library = compiledTracking();

  it("loses no metric line, param or tag with 3 threads + 3 processes logging to one run", async () => {
    const jobs: Job[] = [0, 1, 2, 3, 4, 5].map((id) => ({ library, root, runId, id, count: COUNT, mode: "log" }));
    await Promise.all(jobs.map((job) => (job.id % 2 === 0 ? inThread(job) : inProcess(job))));
    const shared = await client.getMetricHistory(runId, "shared");
    expect(shared.length).toBe(6 * COUNT);
    const steps = new Set(shared.map((m) => m.step));
    expect(steps.size).toBe(6 * COUNT);
    for (const m of shared) expect(m.value).toBe(m.step % COUNT);
    for (const job of jobs) {
      const own = await client.getMetricHistory(runId, `w${job.id}`);
      expect(own.map((m) => m.step)).toEqual(Array.from({ length: COUNT }, (_, i) => i));
    }
    const run = await client.getRun(runId);
    const params = Object.fromEntries(run.data.params.map((p) => [p.key, p.value]));
    expect(params).toEqual({ p0: "0", p1: "1", p2: "2", p3: "3", p4: "4", p5: "5", same: "v" });
    const tags = Object.fromEntries(run.data.tags.map((t) => [t.key, t.value]));
    for (const job of jobs) expect(tags[`writer.${job.id}`]).toBe("done");
    expect(tags.contended).toMatch(/^[0-5]:\d+$/);
    // Every line of the shared file is whole.
    const file = join(root, experimentId, runId, "metrics", "shared");
    expect(parseMetricLines("shared", readFileSync(file, "utf8"), file).length).toBe(6 * COUNT);
    if (HAS_PYYAML) expect(pythonReaderErrors(root)).toEqual([]);
  });

  it("creates one experiment when 2 threads and 2 processes race to set the same new name", async () => {
    const jobs: Job[] = [0, 1, 2, 3].map((id) => ({ library, root, id, count: 0, mode: "experiment", experimentName: "raced" }));
    const results = (await Promise.all(jobs.map((job) => (job.id % 2 === 0 ? inThread(job) : inProcess(job))))) as Array<{ experimentId: string }>;
    const ids = new Set(results.map((r) => r.experimentId));
    expect(ids.size).toBe(1);
    const named = (await client.searchExperiments({ filterString: "name = 'raced'", viewType: "ALL" })).items;
    expect(named.map((e) => e.experimentId)).toEqual([...ids]);
  });

  it("leaves a readable store when a writer process is killed mid-run; the run is listed RUNNING and closed as KILLED", async () => {
    const child = spawn(process.execPath, [WRITER, JSON.stringify({ library, root, experimentId, id: 9, count: 0, mode: "forever" })], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const doomed = await new Promise<string>((resolve) => {
      let out = "";
      child.stdout.on("data", (d: Buffer) => {
        out += d.toString();
        const line = out.split("\n")[0] as string;
        if (out.includes("\n")) resolve((JSON.parse(line) as { runId: string }).runId);
      });
    });
    // Let it log for a while, then kill it without warning.
    for (;;) {
      const history = await client.getMetricHistory(doomed, "forever");
      if (history.length > 300) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));
    const history = await client.getMetricHistory(doomed, "forever");
    expect(history.map((m) => m.step)).toEqual(history.map((_, i) => i));
    const running = await client.listRunningRuns([experimentId]);
    expect(running.map((r) => r.info.runId)).toContain(doomed);
    if (HAS_PYYAML) expect(pythonReaderErrors(root)).toEqual([]);
    await client.killRuns(running.filter((r) => r.info.runId === doomed));
    expect((await client.getRun(doomed)).info.status).toBe("KILLED");
  });
});
