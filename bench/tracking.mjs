// `npm run bench -- tracking`: MLflow FileStore throughput and concurrency.
//  1. 100,000 metric points logged one call at a time through the fluent API to one run
//     (3 repeats, each on a fresh run, in this one process: warm; median and range).
//  2. 8 concurrent writers (4 worker threads + 4 processes) x 10,000 metrics to one run,
//     then read back: every (key, step) must be there exactly once, with its value: a missing
//     point counts as lost, a second line for the same (key, step) as a duplicate, a line with
//     a step or value that was never sent as a stray. The same
//     check is made on every 100k run (key "loss", steps 0..99,999).
// Protocol: regime warm (one process; part 2's writers start inside its timer), no Python side
// (MLflow's Python FileStore is not measured here), so there is no order and the figures are
// absolute. Timer: part 1 the 100,000 awaited calls; part 2 from starting the writers until all
// have finished.
// Last line: {"regime", "repeats", "order", "metrics_100k_s", "concurrent_lost",
// "concurrent_duplicates", "concurrent_s", ...}.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker, isMainThread, workerData, parentPort } from "node:worker_threads";
import * as lib from "../dist/tracking/index.js";
import { load1, spread } from "./lib/protocol.mjs";

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

/**
 * Exactly-once check of a metric history against the points that were sent: `expected(step)`
 * gives the value sent at each step in [0, steps). Returns how many are missing (or carry
 * another value) and how many lines repeat a step already seen.
 */
function exactlyOnce(history, steps, expected) {
  const seen = new Uint8Array(steps);
  let duplicates = 0;
  let strays = 0;
  for (const m of history) {
    if (!Number.isInteger(m.step) || m.step < 0 || m.step >= steps || m.value !== expected(m.step)) {
      strays++;
      continue;
    }
    if (seen[m.step]) duplicates++;
    else seen[m.step] = 1;
  }
  let lost = 0;
  for (let i = 0; i < steps; i++) if (!seen[i]) lost++;
  return { lost, duplicates, strays };
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), "mlflow-bench-"));
  const root = join(dir, "mlruns");
  try {
    const loadStart = load1();
    const checks = [];
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
      const check = exactlyOnce(history, POINTS, (step) => 1 / (step + 1));
      checks.push(check);
      console.log(`100k metrics, repeat ${repeat + 1}: ${times.at(-1).toFixed(3)} s, ${history.length} lines read, ${check.lost} lost, ${check.duplicates} duplicated, ${check.strays} stray`);
    }

    const client = new lib.MlflowClient(root);
    const experimentId = (await client.getExperimentByName("bench")).experimentId;
    const runId = (await client.createRun(experimentId, { runName: "concurrent" })).info.runId;
    const jobs = Array.from({ length: WRITERS }, (_, id) => ({ root, runId, id, count: PER_WRITER }));
    const t0 = process.hrtime.bigint();
    await Promise.all(jobs.map(runWriter));
    const concurrentS = Number(process.hrtime.bigint() - t0) / 1e9;
    const history = await client.getMetricHistory(runId, "shared");
    const { lost, duplicates, strays } = exactlyOnce(history, WRITERS * PER_WRITER, (step) => step % PER_WRITER);
    const tags = (await client.getRun(runId)).data.tags.filter((t) => t.key.startsWith("writer.")).length;
    console.log(`${WRITERS} writers (4 threads + 4 processes) x ${PER_WRITER}: ${concurrentS.toFixed(3)} s, ${history.length} lines read, ${lost} lost, ${duplicates} duplicated, ${strays} stray, ${tags} writer tags`);
    console.log("no Python side (MLflow's own FileStore is not measured here): figures are absolute, not ratios");
    console.log(
      JSON.stringify({
        regime: "warm",
        repeats: times.length,
        order: "one side only (no Python MLflow measured)",
        timer: "100k: the 100,000 awaited logMetric calls; concurrent: from starting the 8 writers until all finished",
        metrics_100k_s: spread(times).median,
        metrics_100k_range_s: spread(times),
        metrics_100k_lost: checks.reduce((a, c) => a + c.lost, 0),
        metrics_100k_duplicates: checks.reduce((a, c) => a + c.duplicates, 0),
        metrics_100k_strays: checks.reduce((a, c) => a + c.strays, 0),
        concurrent_lost: lost + (WRITERS - tags),
        concurrent_duplicates: duplicates,
        concurrent_strays: strays,
        concurrent_s: Number(concurrentS.toFixed(3)),
        concurrent_lines: history.length,
        load1_start: loadStart,
        load1_end: load1(),
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
