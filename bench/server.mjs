// `npm run bench -- server [--duration 30] [--clients 50] [--metrics-per-request 10] [--interval-ms 0]`
// 50 concurrent clients log metric batches for `duration` seconds to a tracking server
// (back to back by default; with --interval-ms N each client sends one batch every N ms,
// like a training loop logging once per step)
// backed by SQLite, then by PostgreSQL (a throwaway cluster started here); afterwards
// every run's metric history is read back to count lost points.
// Last line: {"sqlite": {"requests","errors","lost","p99_ms"}, "postgres": {...}}.
// (No Python side: MLflow's server is not installable here, so figures are absolute.)
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseArgs({
  options: {
    duration: { type: "string", default: "30" },
    clients: { type: "string", default: "50" },
    "metrics-per-request": { type: "string", default: "10" },
    "interval-ms": { type: "string", default: "0" },
  },
});
const durationMs = Number(values.duration) * 1000;
const clients = Number(values.clients);
const perRequest = Number(values["metrics-per-request"]);
const intervalMs = Number(values["interval-ms"]);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function startServer(backend, artifacts) {
  const entry = join(root, "dist", "cli", "serverCommand.js");
  const code = `require(${JSON.stringify(entry)}).serverCommand.run(process.argv.slice(1).filter((a, i) => i > 0 || a !== "--")).then((c) => process.exit(c))`;
  const child = spawn(process.execPath, ["-e", code, "--", "--backend-store-uri", backend, "--artifacts-destination", artifacts, "--port", "0"], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (out += d));
  return new Promise((resolve, reject) => {
    child.stdout.on("data", () => {
      const m = /listening at (http:\/\/\S+)/.exec(out);
      if (m) resolve({ url: m[1], stop: () => new Promise((r) => { child.once("exit", r); child.kill("SIGTERM"); }) });
    });
    child.once("exit", (c) => reject(new Error(`server exited (${c}): ${out}`)));
  });
}

const PG_BIN = "/usr/lib/postgresql/15/bin";
async function startPostgres() {
  if (!existsSync(join(PG_BIN, "initdb"))) return { skipped: `no PostgreSQL binaries in ${PG_BIN}` };
  const dir = mkdtempSync(join(tmpdir(), "bench-pg-"));
  const asRoot = userInfo().uid === 0;
  if (asRoot) {
    const uid = spawnSync("id", ["-u", "postgres"], { encoding: "utf8" });
    const gid = spawnSync("id", ["-g", "postgres"], { encoding: "utf8" });
    if (uid.status !== 0) return { skipped: "running as root without a 'postgres' user" };
    chownSync(dir, Number(uid.stdout.trim()), Number(gid.stdout.trim()));
  }
  const run = (cmd, args) => (asRoot ? execFileSync("runuser", ["-u", "postgres", "--", join(PG_BIN, cmd), ...args], { stdio: "pipe", cwd: dir }) : execFileSync(join(PG_BIN, cmd), args, { stdio: "pipe", cwd: dir }));
  const data = join(dir, "data");
  run("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8"]);
  const port = await freePort();
  run("pg_ctl", ["-D", data, "-l", join(dir, "log"), "-w", "-o", `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200`, "start"]);
  return {
    uri: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    stop: () => {
      try { run("pg_ctl", ["-D", data, "-m", "fast", "-w", "stop"]); } finally { rmSync(dir, { recursive: true, force: true }); }
    },
  };
}

async function post(url, path, body) {
  const r = await fetch(`${url}/api/2.0/mlflow/${path}`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  const json = await r.json();
  if (!r.ok) throw new Error(`${path}: ${r.status} ${JSON.stringify(json)}`);
  return json;
}

async function load(url) {
  const { experiment_id } = await post(url, "experiments/create", { name: `bench-${Date.now()}` });
  const runs = [];
  for (let c = 0; c < clients; c++) runs.push((await post(url, "runs/create", { experiment_id, start_time: Date.now(), run_name: `client-${c}` })).run.info.run_id);
  const latencies = [];
  let requests = 0;
  let errors = 0;
  const acknowledged = new Array(clients).fill(0);
  const deadline = Date.now() + durationMs;
  await Promise.all(
    runs.map(async (runId, c) => {
      let step = 0;
      let next = Date.now() + Math.random() * intervalMs;
      while (Date.now() < deadline) {
        if (intervalMs > 0) {
          await sleep(Math.max(0, next - Date.now()));
          next += intervalMs;
        }
        const metrics = Array.from({ length: perRequest }, () => ({ key: "loss", value: Math.random(), timestamp: Date.now(), step: step++ }));
        const t0 = performance.now();
        try {
          const r = await fetch(`${url}/api/2.0/mlflow/runs/log-batch`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ run_id: runId, metrics }) });
          await r.arrayBuffer();
          if (r.ok) acknowledged[c] += perRequest;
          else errors++;
        } catch {
          errors++;
        }
        latencies.push(performance.now() - t0);
        requests++;
      }
    }),
  );
  let lost = 0;
  for (const [c, runId] of runs.entries()) {
    const r = await fetch(`${url}/api/2.0/mlflow/metrics/get-history?run_id=${runId}&metric_key=loss`);
    const stored = ((await r.json()).metrics ?? []).length;
    lost += Math.max(0, acknowledged[c] - stored);
  }
  latencies.sort((a, b) => a - b);
  const p = (q) => Number((latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN).toFixed(2));
  return { requests, errors, lost, p99_ms: p(0.99), p50_ms: p(0.5), metrics_per_s: Math.round((requests - errors) * perRequest / (durationMs / 1000)) };
}

async function measure(label, backend) {
  const artifacts = mkdtempSync(join(tmpdir(), `bench-${label}-artifacts-`));
  const server = await startServer(backend, artifacts);
  try {
    const figures = await load(server.url);
    console.log(`${label}: ${JSON.stringify(figures)}`);
    return figures;
  } finally {
    await server.stop();
    rmSync(artifacts, { recursive: true, force: true });
  }
}

const result = {};
const sqliteDir = mkdtempSync(join(tmpdir(), "bench-sqlite-"));
try {
  result.sqlite = await measure("sqlite", `sqlite:///${join(sqliteDir, "mlflow.db")}`);
} finally {
  rmSync(sqliteDir, { recursive: true, force: true });
}
const pg = await startPostgres();
if (pg.skipped) {
  console.log(`postgres: skipped (${pg.skipped})`);
  result.postgres = { skipped: pg.skipped };
} else {
  try {
    result.postgres = await measure("postgres", pg.uri);
  } finally {
    pg.stop();
  }
}
console.log(JSON.stringify({ ...result, clients, duration_s: durationMs / 1000, metrics_per_request: perRequest, interval_ms: intervalMs }));
