// `npm run bench -- server [--duration 30] [--clients 50] [--metrics-per-request 10] [--interval-ms 0] [--client http|fetch]`
// 50 concurrent clients log metric batches for `duration` seconds to a tracking server
// (back to back by default; with --interval-ms N each client sends one batch every N ms,
// like a training loop logging once per step)
// backed by SQLite, then by PostgreSQL (a throwaway cluster started here); afterwards
// every run's metric history is read back to count lost points.
// Last line: {"regime", "repeats", "order", "sqlite": {"requests","errors","lost","p99_ms",...,"cpu_ms_per_request"}, "postgres": {...}}.
// cpu_ms_per_request splits the CPU spent during the load phase between the server process,
// the database's own processes (PostgreSQL's postmaster and backends) and the clients: on a
// shared machine these are steadier than the latencies. --backends sqlite|postgres runs one.
// The clients send with node:http over keep-alive connections (--client http, the default), the
// leanest standard Node client, so that the load generator takes as little as possible of the
// cores it shares with the server; --client fetch uses Node's fetch (undici), as the first
// figures in docs/benchmarks.md did: about 4x the client CPU per request.
// Protocol: one side only (no Python MLflow server is measured here, so figures are absolute),
// regime warm (each backend's server started once and loaded for --duration), one run per
// backend, SQLite first; latency = each request's round trip at the client.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import http from "node:http";
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir, userInfo } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { freePort } from "../scripts/remote-stack.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseArgs({
  options: {
    duration: { type: "string", default: "30" },
    clients: { type: "string", default: "50" },
    "metrics-per-request": { type: "string", default: "10" },
    "interval-ms": { type: "string", default: "0" },
    backends: { type: "string", default: "sqlite,postgres" },
    client: { type: "string", default: "http" },
  },
});
const durationMs = Number(values.duration) * 1000;
const clients = Number(values.clients);
const perRequest = Number(values["metrics-per-request"]);
const intervalMs = Number(values["interval-ms"]);
const backends = new Set(values.backends.split(","));
if (values.client !== "http" && values.client !== "fetch") throw new Error(`--client must be http or fetch, not ${values.client}`);
const keepAlive = new http.Agent({ keepAlive: true, maxSockets: Infinity });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));


const TICK_MS = 1000 / Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout.trim() || 100);

/** CPU ms of one process (utime + stime), plus its reaped children's when `children` is set. */
function processCpuMs(pid, children = false) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(f[11]) + Number(f[12]) + (children ? Number(f[13]) + Number(f[14]) : 0);
    return ticks * TICK_MS;
  } catch {
    return NaN;
  }
}

/** CPU ms of a process tree: the root (with its reaped children) and its live descendants. */
function treeCpuMs(rootPid) {
  if (rootPid === undefined) return 0;
  let total = processCpuMs(rootPid, true);
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name) || Number(name) === rootPid) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === rootPid) total += processCpuMs(Number(name));
    } catch {
      // exited meanwhile
    }
  }
  return total;
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
      if (m) resolve({ url: m[1], pid: child.pid, stop: () => new Promise((r) => { child.once("exit", r); child.kill("SIGTERM"); }) });
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
  const postmasterPid = Number(readFileSync(join(data, "postmaster.pid"), "utf8").split("\n")[0]);
  return {
    uri: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    postmasterPid,
    stop: () => {
      try { run("pg_ctl", ["-D", data, "-m", "fast", "-w", "stop"]); } finally { rmSync(dir, { recursive: true, force: true }); }
    },
  };
}

/** POSTs JSON with node:http on a keep-alive connection; resolves to whether the answer was 2xx. */
function httpPost(base, path, body) {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: hostname, port, path, method: "POST", agent: keepAlive, headers: { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) } }, (res) => {
      res.on("data", () => undefined);
      res.on("end", () => resolve(res.statusCode >= 200 && res.statusCode < 300));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** One log-batch request with the chosen client; resolves to whether it was acknowledged. */
async function logBatch(url, body) {
  if (values.client === "http") return httpPost(url, "/api/2.0/mlflow/runs/log-batch", body);
  const r = await fetch(`${url}/api/2.0/mlflow/runs/log-batch`, { method: "POST", headers: { "Content-Type": "application/json" }, body });
  await r.arrayBuffer();
  return r.ok;
}

async function post(url, path, body) {
  const r = await fetch(`${url}/api/2.0/mlflow/${path}`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  const json = await r.json();
  if (!r.ok) throw new Error(`${path}: ${r.status} ${JSON.stringify(json)}`);
  return json;
}

async function load(url, serverPid, databasePid) {
  const { experiment_id } = await post(url, "experiments/create", { name: `bench-${Date.now()}` });
  const runs = [];
  for (let c = 0; c < clients; c++) runs.push((await post(url, "runs/create", { experiment_id, start_time: Date.now(), run_name: `client-${c}` })).run.info.run_id);
  const latencies = [];
  let requests = 0;
  let errors = 0;
  const acknowledged = new Array(clients).fill(0);
  const deadline = Date.now() + durationMs;
  const cpu0 = { server: processCpuMs(serverPid), database: treeCpuMs(databasePid), clients: process.cpuUsage() };
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
          if (await logBatch(url, JSON.stringify({ run_id: runId, metrics }))) acknowledged[c] += perRequest;
          else errors++;
        } catch {
          errors++;
        }
        latencies.push(performance.now() - t0);
        requests++;
      }
    }),
  );
  const clientCpu = process.cpuUsage(cpu0.clients);
  const okRequests = Math.max(1, requests - errors);
  const cpuPerRequest = (ms) => Number((ms / okRequests).toFixed(3));
  const cpu_ms_per_request = {
    server: cpuPerRequest(processCpuMs(serverPid) - cpu0.server),
    database: databasePid === undefined ? 0 : cpuPerRequest(treeCpuMs(databasePid) - cpu0.database),
    clients: cpuPerRequest((clientCpu.user + clientCpu.system) / 1000),
  };
  let lost = 0;
  for (const [c, runId] of runs.entries()) {
    const r = await fetch(`${url}/api/2.0/mlflow/metrics/get-history?run_id=${runId}&metric_key=loss`);
    const stored = ((await r.json()).metrics ?? []).length;
    lost += Math.max(0, acknowledged[c] - stored);
  }
  latencies.sort((a, b) => a - b);
  const p = (q) => Number((latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN).toFixed(2));
  return { requests, errors, lost, p99_ms: p(0.99), p50_ms: p(0.5), metrics_per_s: Math.round((requests - errors) * perRequest / (durationMs / 1000)), cpu_ms_per_request };
}

async function measure(label, backend, databasePid) {
  const artifacts = mkdtempSync(join(tmpdir(), `bench-${label}-artifacts-`));
  const server = await startServer(backend, artifacts);
  try {
    const loadBefore = loadavg()[0];
    const figures = { ...(await load(server.url, server.pid, databasePid)), load_avg_1m: [Number(loadBefore.toFixed(2)), Number(loadavg()[0].toFixed(2))] };
    console.log(`${label}: ${JSON.stringify(figures)}`);
    return figures;
  } finally {
    await server.stop();
    rmSync(artifacts, { recursive: true, force: true });
  }
}

const result = {};
if (backends.has("sqlite")) {
  const sqliteDir = mkdtempSync(join(tmpdir(), "bench-sqlite-"));
  try {
    result.sqlite = await measure("sqlite", `sqlite:///${join(sqliteDir, "mlflow.db")}`);
  } finally {
    rmSync(sqliteDir, { recursive: true, force: true });
  }
}
const pg = backends.has("postgres") ? await startPostgres() : { skipped: "not requested (--backends)" };
if (pg.skipped) {
  console.log(`postgres: skipped (${pg.skipped})`);
  result.postgres = { skipped: pg.skipped };
} else {
  try {
    result.postgres = await measure("postgres", pg.uri, pg.postmasterPid);
  } finally {
    pg.stop();
  }
}
keepAlive.destroy();
console.log(JSON.stringify({
  regime: "warm (one server process per backend, loaded for the whole duration)",
  repeats: 1,
  order: ["sqlite", "postgres"].filter((b) => backends.has(b)).join(" then "),
  ...result, clients, duration_s: durationMs / 1000, metrics_per_request: perRequest, interval_ms: intervalMs, client: values.client,
}));
