// A tracking writer for the concurrency tests, run as a worker thread (workerData) or a
// child process (JSON in argv[2]). Plain JavaScript: it loads the transpiled library.
"use strict";
const { isMainThread, workerData, parentPort } = require("node:worker_threads");

async function main(job) {
  const lib = require(job.library);
  const client = new lib.MlflowClient(job.root);
  if (job.mode === "experiment") {
    // Everyone races to create the same experiment by name (the fluent setExperiment path).
    lib.setTrackingUri(job.root);
    const e = await lib.setExperiment(job.experimentName);
    return { id: job.id, experimentId: e.experimentId };
  }
  if (job.mode === "forever") {
    const run = await client.createRun(job.experimentId, { runName: "doomed" });
    process.stdout.write(JSON.stringify({ runId: run.info.runId }) + "\n");
    for (let i = 0; ; i++) {
      await client.logMetric(run.info.runId, "forever", i, { step: i });
      if (i % 50 === 0) await client.setTag(run.info.runId, "progress", String(i));
    }
  }
  await client.logParam(job.runId, `p${job.id}`, job.id);
  await client.logParam(job.runId, "same", "v");
  for (let i = 0; i < job.count; i++) {
    const step = job.id * job.count + i;
    await client.logMetric(job.runId, "shared", i, { step, timestamp: 1700000000000 + i });
    await client.logMetric(job.runId, `w${job.id}`, i / 7, { step: i });
    if (i % 100 === 0) await client.setTag(job.runId, "contended", `${job.id}:${i}`);
  }
  await client.setTag(job.runId, `writer.${job.id}`, "done");
  return { id: job.id, done: job.count };
}

const job = isMainThread ? JSON.parse(process.argv[2]) : workerData;
main(job).then(
  (result) => {
    if (isMainThread) process.stdout.write(JSON.stringify(result) + "\n");
    else parentPort.postMessage(result);
  },
  (err) => {
    console.error(err && err.stack ? err.stack : String(err));
    process.exit(1);
  },
);
