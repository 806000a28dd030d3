// `npm run bench -- remote [--workers 1,2,4] [--trials 16] [--real-trials 8] [--size-mb 200] [--files 25] [--no-real]`
// The original Python project's remote setup on this machine (scripts/remote-stack.mjs: a private
// PostgreSQL, s3rver, our server with auth proxying artifacts to S3):
//   1. worker scaling: N tune processes (N = 1, 2, 4) share one PostgreSQL study per N and log every
//      trial to the server, on the bundled sample (and on the real data when ../shared has it):
//      trials per minute, duplicate trial numbers, and every trial read back as an MLflow run with its
//      params and value (lost runs/params/metrics); the champion registered once at the end;
//   2. artifacts under load: 4 concurrent writers log files of mixed sizes through the proxy and
//      straight to S3; every acknowledged upload is read back both ways and compared by sha256;
//   3. a 200 MB artifact: upload and download through the proxy and directly, each in a child process
//      (its peak RSS shows whether it streams), against the same file copied on disk.
// Protocol: one stack (PostgreSQL, s3rver, our server) started once and kept up for the whole run
// (warm); every tune worker a fresh process; one run per configuration (repeats 1), in a fixed
// order: N = 1, 2, 4 on the sample, then on the real data, then the artifacts, then the 200 MB file
// through the proxy before directly. No Python side: figures are absolute (the 200 MB transfers
// are ratios against copying the same file on disk, timed just before).
// Last line: one JSON object of figures with regime, repeats and order. The machine's load average
// is recorded before and after: on 2 shared cores, worker scaling is bounded by the cores, not by
// the storage.
import { createHash, randomBytes } from "node:crypto";
import { spawnSync } from "node:child_process";
import { copyFileSync, createReadStream, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { ROOT, Stack, stackUnavailable, withoutS3Credentials } from "../scripts/remote-stack.mjs";

const { values } = parseArgs({
  options: {
    workers: { type: "string", default: "1,2,4" },
    trials: { type: "string", default: "16" },
    "real-trials": { type: "string", default: "8" },
    "size-mb": { type: "string", default: "200" },
    files: { type: "string", default: "25" },
    "no-real": { type: "boolean", default: false },
  },
});
const workerCounts = values.workers.split(",").map(Number);
const sizeMb = Number(values["size-mb"]);
const REAL_CSV = join(ROOT, "..", "shared", "data", "olx_house_price_Q122.csv");
const lib = await import(join(ROOT, "dist", "index.js"));
const round = (x, d = 2) => Number(x.toFixed(d));
const log = (line) => process.stderr.write(line + "\n");

const unavailable = stackUnavailable();
if (unavailable !== null) {
  console.log(JSON.stringify({ regime: "none (skipped)", repeats: 0, order: "none", skipped: unavailable }));
  process.exit(0);
}

const PROTOCOL = {
  regime: "warm stack (PostgreSQL, s3rver, server started once), each tune worker a fresh process",
  repeats: 1,
  order: `fixed: workers ${workerCounts.join(", ")} on the sample${existsSync(REAL_CSV) && !values["no-real"] ? " then on the real data" : ""}, artifacts, 200 MB via proxy then direct`,
};
const load0 = loadavg().map((v) => round(v));
const stack = new Stack({ log: (line) => (/^\[(worker|champion) /.test(line) ? undefined : log(line)) });
try {
  const pgService = await stack.postgres();
  const trackingDb = pgService.createDatabase("mlflow");
  const studyDb = pgService.createDatabase("optuna");
  const s3 = await stack.s3(["mlflow"]);
  Object.assign(process.env, s3.env);
  const auth = stack.authConfig();
  const server = await stack.trackingServer(["--backend-store-uri", trackingDb, "--artifacts-destination", "s3://mlflow/artifacts", "--auth-config", auth.path], { env: { ...process.env, ...s3.env } });
  const admin = auth.users.admin;
  process.env.MLFLOW_TRACKING_USERNAME = admin.username;
  process.env.MLFLOW_TRACKING_PASSWORD = admin.password;
  const workerEnv = { ...withoutS3Credentials(process.env), MLFLOW_TRACKING_URI: server.url, MLFLOW_TRACKING_USERNAME: auth.users.tuner.username, MLFLOW_TRACKING_PASSWORD: auth.users.tuner.password };
  const client = new lib.MlflowClient(server.url);

  // ---------------------------------------------------------------- 1. worker scaling
  async function scaling(label, csv, trials) {
    const out = {};
    for (const n of workerCounts) {
      const study = `bench-${label}-w${n}`;
      const args = ["tune", "--storage", studyDb, "--study-name", study, "--no-champion", ...(csv ? ["--csv", csv] : [])];
      const loadStart = loadavg()[0];
      const t0 = performance.now();
      const results = await Promise.all(
        Array.from({ length: n }, (_, i) => stack.runCli([...args, "--trials", String(Math.floor(trials / n) + (i < trials % n ? 1 : 0))], { env: workerEnv, prefix: `[worker ${i + 1}] ` })),
      );
      const wall = (performance.now() - t0) / 1000;
      const failed = results.filter((r) => r.code !== 0).length;
      const check = await readBack(study);
      out[`w${n}`] = { workers: n, failed_workers: failed, wall_s: round(wall, 1), trials_per_min_wall: round((check.trials / wall) * 60), ...check, load_1m: [round(loadStart), round(loadavg()[0])] };
      log(`remote bench: ${label}, ${n} worker(s): ${JSON.stringify(out[`w${n}`])}`);
    }
    const base = out[`w${workerCounts[0]}`].trials_per_min;
    for (const k of Object.keys(out)) out[k].speedup = round(out[k].trials_per_min / base);
    return out;
  }

  /** The study's trials from PostgreSQL against the runs the server holds: duplicates and losses. */
  async function readBack(studyName) {
    const db = new pg.Client({ connectionString: studyDb });
    await db.connect();
    try {
      const trials = (await db.query(
        `SELECT t.trial_id, t.number, t.state, t.datetime_start, t.datetime_complete, v.value
           FROM trials t JOIN studies s ON s.study_id = t.study_id LEFT JOIN trial_values v ON v.trial_id = t.trial_id
          WHERE s.study_name = $1`,
        [studyName],
      )).rows;
      const params = (await db.query("SELECT trial_id, param_name, param_value FROM trial_params WHERE trial_id = ANY($1)", [trials.map((t) => t.trial_id)])).rows;
      const numbers = trials.map((t) => t.number);
      const finished = trials.filter((t) => t.datetime_complete !== null);
      const spanS = (Math.max(...finished.map((t) => +t.datetime_complete)) - Math.min(...finished.map((t) => +t.datetime_start))) / 1000;
      const experiment = await client.getExperimentByName(studyName);
      const runs = experiment === null ? [] : await client.searchAllRuns([experiment.experimentId]);
      const byNumber = new Map(runs.map((r) => [r.data.tags.find((t) => t.key === "number")?.value, r]));
      let lostRuns = 0;
      let lostParams = 0;
      let lostMetrics = 0;
      for (const t of finished) {
        const run = byNumber.get(String(t.number));
        if (run === undefined) {
          lostRuns++;
          continue;
        }
        const runParams = new Map(run.data.params.map((p) => [p.key, p.value]));
        for (const p of params.filter((p) => p.trial_id === t.trial_id)) if (Number(runParams.get(p.param_name)) !== p.param_value) lostParams++;
        if (t.value !== null && run.data.metrics.find((m) => m.key === "value")?.value !== t.value) lostMetrics++;
      }
      return {
        trials: trials.length,
        complete: trials.filter((t) => t.state === "COMPLETE").length,
        pruned: trials.filter((t) => t.state === "PRUNED").length,
        trials_per_min: round((finished.length / spanS) * 60),
        duplicate_numbers: numbers.length - new Set(numbers).size,
        runs: runs.length,
        lost_runs: lostRuns,
        lost_params: lostParams,
        lost_metrics: lostMetrics,
      };
    } finally {
      await db.end();
    }
  }

  const sample = await scaling("sample", null, Number(values.trials));
  const real = existsSync(REAL_CSV) && !values["no-real"] ? await scaling("real", REAL_CSV, Number(values["real-trials"])) : null;
  if (real === null) log(`remote bench: SKIPPED real data (${values["no-real"] ? "--no-real" : `${REAL_CSV} absent`})`);
  const lastStudy = `bench-sample-w${workerCounts[workerCounts.length - 1]}`;
  const champion = await stack.runCli(["tune", "--storage", studyDb, "--study-name", lastStudy, "--trials", "0", "--json"], { env: workerEnv, prefix: "[champion] " });
  const championResult = champion.code === 0 ? JSON.parse(champion.output.trim().split("\n").pop()) : null;
  const versions = (await client.searchModelVersions({ filterString: "name = 'house_pricing_xgboost_model'" })).items ?? [];

  // ---------------------------------------------------------------- 2. artifacts under load
  const work = join(stack.dir, "bench");
  mkdirSync(work);
  const sha = (buf) => createHash("sha256").update(buf).digest("hex");
  async function artifactLoad(mode) {
    const experimentId = await client.createExperiment(`bench-artifacts-${mode}`, mode === "direct" ? { artifactLocation: "s3://mlflow/direct" } : {});
    const acknowledged = [];
    const t0 = performance.now();
    await Promise.all(
      [0, 1, 2, 3].map(async (w) => {
        const run = await client.createRun(experimentId);
        for (let i = 0; i < Number(values.files); i++) {
          const size = i % 10 === 9 ? 9 * 1024 * 1024 : 1024 + ((i * 7919 + w * 104729) % (512 * 1024));
          const data = randomBytes(size);
          const local = join(work, `${mode}-w${w}-${i}.bin`);
          writeFileSync(local, data);
          try {
            await client.logArtifact(run.info.runId, local, `w${w}`);
            acknowledged.push({ runId: run.info.runId, path: `w${w}/${mode}-w${w}-${i}.bin`, sha: sha(data), artifactUri: run.info.artifactUri });
          } catch (err) {
            log(`remote bench: upload failed (not acknowledged): ${err.message}`);
          }
          rmSync(local);
        }
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    const direct = new lib.S3ObjectStore("mlflow", lib.s3SettingsFromEnv());
    let lostClient = 0;
    let lostS3 = 0;
    for (const a of acknowledged) {
      const dst = join(work, "readback");
      rmSync(dst, { recursive: true, force: true });
      try {
        const path = await client.downloadArtifacts(a.runId, a.path, dst);
        if (sha(readFileSync(path)) !== a.sha) lostClient++;
      } catch {
        lostClient++;
      }
      const key = mode === "direct" ? `${a.artifactUri.replace("s3://mlflow/", "")}/${a.path}` : `artifacts/${a.artifactUri.replace(/^mlflow-artifacts:\//, "")}/${a.path}`;
      try {
        const { stream } = await direct.download(key);
        const h = createHash("sha256");
        for await (const c of stream) h.update(c);
        if (h.digest("hex") !== a.sha) lostS3++;
      } catch {
        lostS3++;
      }
    }
    return { writers: 4, acknowledged: acknowledged.length, attempted: 4 * Number(values.files), seconds: round(seconds, 1), lost_read_by_client: lostClient, lost_read_from_s3: lostS3 };
  }
  const artifacts = { proxied: await artifactLoad("proxied"), direct: await artifactLoad("direct") };
  log(`remote bench: artifacts ${JSON.stringify(artifacts)}`);

  // ---------------------------------------------------------------- 3. a 200 MB artifact
  const big = join(work, "big.bin");
  {
    const chunk = randomBytes(1024 * 1024);
    const parts = [];
    for (let i = 0; i < sizeMb; i++) parts.push(createHash("sha256").update(chunk).update(String(i)).digest(), chunk.subarray(32));
    writeFileSync(big, Buffer.concat(parts));
  }
  const bigSha = await new Promise((resolve) => {
    const h = createHash("sha256");
    createReadStream(big).on("data", (c) => h.update(c)).on("end", () => resolve(h.digest("hex")));
  });
  const bytes = statSync(big).size;
  const mbps = (s) => round(bytes / 1e6 / s, 1);
  const timeIt = (fn) => {
    const t0 = performance.now();
    fn();
    return (performance.now() - t0) / 1000;
  };
  const diskCopy = timeIt(() => copyFileSync(big, join(work, "big-copy.bin")));
  rmSync(join(work, "big-copy.bin"));
  const bigExperiment = await client.createExperiment("bench-200mb");
  const proxyRun = (await client.createRun(bigExperiment)).info.runId;
  const directExperiment = await client.createExperiment("bench-200mb-direct", { artifactLocation: "s3://mlflow/direct-200mb" });
  const directRun = (await client.createRun(directExperiment)).info.runId;
  const serverPid = server.process.pid;
  const peakRss = (pid) => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? NaN) / 1024;
  /** One transfer in a child process (its own peak RSS); resolves to seconds and MiB. */
  const transfer = (what, runId) => {
    const script = `
      const lib = require(${JSON.stringify(join(ROOT, "dist", "index.js"))});
      const { createHash } = require("node:crypto"); const { createReadStream } = require("node:fs");
      (async () => {
        const client = new lib.MlflowClient(process.env.MLFLOW_TRACKING_URI);
        const t0 = performance.now();
        let sha = null;
        if (${JSON.stringify(what)} === "up") await client.logArtifact(${JSON.stringify(runId)}, ${JSON.stringify(big)});
        else {
          const path = await client.downloadArtifacts(${JSON.stringify(runId)}, "big.bin", ${JSON.stringify(join(work, `down-${runId}`))});
          const s = (performance.now() - t0) / 1000;
          sha = await new Promise((r) => { const h = createHash("sha256"); createReadStream(path).on("data", (c) => h.update(c)).on("end", () => r(h.digest("hex"))); });
          console.log(JSON.stringify({ s, sha, rss_mib: process.resourceUsage().maxRSS / 1024 }));
          return;
        }
        console.log(JSON.stringify({ s: (performance.now() - t0) / 1000, sha, rss_mib: process.resourceUsage().maxRSS / 1024 }));
      })().catch((e) => { console.error(e); process.exit(1); });`;
    const r = spawnSync(process.execPath, ["-e", script], { env: { ...process.env, MLFLOW_TRACKING_URI: server.url }, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`${what} failed: ${r.stderr}`);
    return JSON.parse(r.stdout.trim().split("\n").pop());
  };
  const rssBefore = peakRss(serverPid);
  const proxyUp = transfer("up", proxyRun);
  const proxyDown = transfer("down", proxyRun);
  const serverPeak = peakRss(serverPid);
  const directUp = transfer("up", directRun);
  const directDown = transfer("down", directRun);
  const transfer200 = {
    bytes,
    disk_copy_mb_s: mbps(diskCopy),
    proxy_upload_mb_s: mbps(proxyUp.s),
    proxy_download_mb_s: mbps(proxyDown.s),
    direct_upload_mb_s: mbps(directUp.s),
    direct_download_mb_s: mbps(directDown.s),
    ratio_proxy_upload_vs_disk: round(proxyUp.s / diskCopy),
    ratio_proxy_download_vs_disk: round(proxyDown.s / diskCopy),
    ratio_direct_upload_vs_disk: round(directUp.s / diskCopy),
    ratio_direct_download_vs_disk: round(directDown.s / diskCopy),
    checksums_equal: proxyDown.sha === bigSha && directDown.sha === bigSha,
    client_peak_rss_mib: { proxy_upload: round(proxyUp.rss_mib, 0), proxy_download: round(proxyDown.rss_mib, 0), direct_upload: round(directUp.rss_mib, 0), direct_download: round(directDown.rss_mib, 0) },
    server_peak_rss_mib: { before: round(rssBefore, 0), after_proxy_transfers: round(serverPeak, 0) },
  };
  log(`remote bench: 200 MB ${JSON.stringify(transfer200)}`);

  console.log(
    JSON.stringify({
      ...PROTOCOL,
      cores: cpus().length,
      loadavg_start: load0,
      loadavg_end: loadavg().map((v) => round(v)),
      sample,
      real,
      champion: { registered_versions: versions.length, version: championResult?.model_version ?? null },
      artifacts,
      transfer_200mb: transfer200,
    }),
  );
} finally {
  await stack.stop();
}
