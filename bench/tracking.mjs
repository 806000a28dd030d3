// `npm run bench -- tracking`: MLflow FileStore throughput and concurrency.
//  1. 100,000 metric points logged one call at a time through the fluent API to one run
//     (median of 3 repeats, each on a fresh run).
//  2. 8 concurrent writers (4 worker threads + 4 processes) x 10,000 metrics to one run,
//     then count what arrived: every (writer, step) must be there exactly once.
// There is no Python MLflow on this machine, so no side-by-side ratio: absolute figures.
// Last line: {"metrics_100k_s", "concurrent_lost", "concurrent_s", ...}.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker, isMainThread, workerData, parentPort } from "node:worker_threads";
import * as lib from "../dist/tracking/index.js";

const SELF = fileURLToPath(import.meta.url);
const POINTS = 100_000;
const WRITERS = 8;
const PER_WRITER = 10_000;

async function writer(job) {
  const client = new lib.MlflowClient(job.root);
  for (let i = 0; i < job.count; i++) {
    await client.logMetric(job.runId, "shared", i, { step: job.id * job.count + i });
  }
  await client.setTag(job.runId, `writer.${job.id}`, "done");
  return job.id;
}

function runWriter(job) {
  if (job.id % 2 === 0) {
    return new Promise((resolve, reject) => {
      const w = new Worker(SELF, { workerData: job });
      w.once("message", resolve);
      w.once("error", reject);
    });
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SELF, "--writer", JSON.stringify(job)], { stdio: ["ignore", "ignore", "inherit"] });
    child.once("exit", (code) => (code === 0 ? resolve(job.id) : reject(new Error(`writer process ${job.id} exited ${code}`))));
  });
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), "mlflow-bench-"));
  const root = join(dir, "mlruns");
  try {
    const loadStart = loadavg()[0];
    lib.setTrackingUri(root);
    await lib.setExperiment("bench");
    const times = [];
    for (let repeat = 0; repeat < 3; repeat++) {
      const run = await lib.startRun({ runName: `metrics-100k-${repeat}` });
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < POINTS; i++) await lib.logMetric("loss", 1 / (i + 1), { step: i });
      times.push(Number(process.hrtime.bigint() - t0) / 1e9);
      await lib.endRun();
      const history = await lib.getClient().getMetricHistory(run.info.runId, "loss");
      if (history.length !== POINTS) throw new Error(`expected ${POINTS} points, read back ${history.length}`);
      console.log(`100k metrics, repeat ${repeat + 1}: ${times.at(-1).toFixed(3)} s`);
    }

    const client = new lib.MlflowClient(root);
    const experimentId = (await client.getExperimentByName("bench")).experimentId;
    const runId = (await client.createRun(experimentId, { runName: "concurrent" })).info.runId;
    const jobs = Array.from({ length: WRITERS }, (_, id) => ({ root, runId, id, count: PER_WRITER }));
    const t0 = process.hrtime.bigint();
    await Promise.all(jobs.map(runWriter));
    const concurrentS = Number(process.hrtime.bigint() - t0) / 1e9;
    const history = await client.getMetricHistory(runId, "shared");
    const seen = new Set(history.filter((m) => m.value === m.step % PER_WRITER).map((m) => m.step));
    const lost = WRITERS * PER_WRITER - seen.size;
    const tags = (await client.getRun(runId)).data.tags.filter((t) => t.key.startsWith("writer.")).length;
    console.log(`${WRITERS} writers (4 threads + 4 processes) x ${PER_WRITER}: ${concurrentS.toFixed(3)} s, ${history.length} lines read, ${lost} lost, ${tags} writer tags`);
    console.log("no Python MLflow is installed here (PyPI unreachable): figures are absolute, not ratios");
    console.log(
      JSON.stringify({
        metrics_100k_s: Number(median(times).toFixed(3)),
        concurrent_lost: lost + (WRITERS - tags),
        concurrent_s: Number(concurrentS.toFixed(3)),
        metrics_100k_runs_s: times.map((t) => Number(t.toFixed(3))),
        concurrent_lines: history.length,
        load_avg_start: Number(loadStart.toFixed(2)),
        load_avg_end: Number(loadavg()[0].toFixed(2)),
      }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (!isMainThread) {
  writer(workerData).then((id) => parentPort.postMessage(id));
} else if (process.argv[2] === "--writer") {
  writer(JSON.parse(process.argv[3])).then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
} else {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
