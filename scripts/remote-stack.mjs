// The pieces of the original Python project's remote setup, started on this machine:
// a private PostgreSQL cluster (Debian's postgresql, initdb into a temporary folder, a free
// port, password authentication), an S3 service (s3rver from the npm registry, in its own
// process), our tracking server in front of both, and processes logged line by line.
// A Stack remembers everything it started and stops it in reverse order, on normal exit,
// on an error and on Ctrl-C (SIGINT), SIGTERM or SIGHUP. Used by scripts/remote.mjs,
// bench/remote.mjs and the tests.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { randomBytes } from "node:crypto";
import { tmpdir, userInfo } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
export const CLI = join(ROOT, "bin", "mlflow-demo-ts.js");
const PG_BIN = "/usr/lib/postgresql/15/bin";
const S3RVER_BIN = join(ROOT, "node_modules", "s3rver", "bin", "s3rver.js");

/** The access key s3rver knows (it checks the key id, not the signature). */
export const S3RVER_KEY = "S3RVER";

/** Resolves to a free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Why PostgreSQL or s3rver cannot start here, or null. */
export function stackUnavailable() {
  if (!existsSync(join(PG_BIN, "initdb"))) return `PostgreSQL 15 binaries not found in ${PG_BIN} (apt-get install postgresql)`;
  if (userInfo().uid === 0 && spawnSync("id", ["-u", "postgres"]).status !== 0) return "running as root and there is no 'postgres' user to run initdb as";
  if (!existsSync(S3RVER_BIN)) return `s3rver is not installed (${S3RVER_BIN}); run npm ci`;
  return null;
}

/** Waits until `child` exits; SIGTERM first, SIGKILL after `graceMs`. */
export async function stopChild(child, graceMs = 5000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
}

/**
 * Spawns a process whose output lines go to `log` with a prefix; resolves `ready` with the
 * first match of `readyPattern` in its stdout (rejects if it exits first or after `timeoutMs`).
 */
export function spawnLogged(command, args, { env = process.env, cwd = ROOT, prefix = "", log = (line) => process.stderr.write(line + "\n"), readyPattern = null, timeoutMs = 60_000 } = {}) {
  const child = spawn(command, args, { env, cwd, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  let ready;
  const readyPromise = new Promise((resolve, reject) => (ready = { resolve, reject }));
  let matched = readyPattern === null;
  if (matched) ready.resolve(null);
  const timer = readyPattern === null ? null : setTimeout(() => ready.reject(new Error(`${prefix || command} did not start within ${timeoutMs / 1000} s:\n${output.slice(-4000)}`)), timeoutMs);
  for (const [stream, isStdout] of [[child.stdout, true], [child.stderr, false]]) {
    let pending = "";
    stream.on("data", (d) => {
      const text = d.toString();
      output += text;
      pending += text;
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) if (log !== null) log(prefix + line);
      if (!matched && isStdout) {
        const m = readyPattern.exec(output);
        if (m !== null) {
          matched = true;
          clearTimeout(timer);
          ready.resolve(m);
        }
      }
    });
  }
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  exited.then(({ code, signal }) => {
    if (timer !== null) clearTimeout(timer);
    if (!matched) ready.reject(new Error(`${prefix || command} exited (${signal ?? code}) before it was ready:\n${output.slice(-4000)}`));
  });
  return { child, ready: readyPromise, exited, output: () => output };
}

/** Everything started, stopped in reverse order exactly once. */
export class Stack {
  constructor({ log = (line) => process.stderr.write(line + "\n") } = {}) {
    this.log = log ?? (() => undefined);
    this.stops = [];
    this.stopping = null;
    this.dir = mkdtempSync(join(tmpdir(), "mlflow-remote-"));
    this.onSignal = (signal) => {
      this.log(`remote: ${signal}, stopping everything`);
      this.stop().finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
    };
    for (const s of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(s, this.onSignal);
    this.defer("temporary folder", () => rmSync(this.dir, { recursive: true, force: true }));
  }

  /** Registers a cleanup step. */
  defer(name, stop) {
    this.stops.push({ name, stop });
  }

  /** Stops everything (idempotent). */
  stop() {
    this.stopping ??= (async () => {
      for (const { name, stop } of this.stops.reverse()) {
        try {
          await stop();
        } catch (err) {
          this.log(`remote: stopping ${name} failed: ${err.message}`);
        }
      }
      this.stops = [];
      for (const s of ["SIGINT", "SIGTERM", "SIGHUP"]) process.off(s, this.onSignal);
    })();
    return this.stopping;
  }

  /** A private PostgreSQL 15 cluster with password authentication; `uri(db)` for each database made by `createDatabase`. */
  async postgres() {
    // A folder of its own: the stack's folder is private to this user, and the cluster runs as 'postgres'.
    const dir = mkdtempSync(join(tmpdir(), "mlflow-remote-pg-"));
    this.defer("PostgreSQL folder", () => rmSync(dir, { recursive: true, force: true }));
    const password = randomBytes(12).toString("hex");
    const asRoot = userInfo().uid === 0;
    if (asRoot) {
      const id = (flag) => Number(execFileSync("id", [flag, "postgres"], { encoding: "utf8" }).trim());
      chownSync(dir, id("-u"), id("-g"));
    }
    const env = { ...process.env, PGPASSWORD: password };
    const run = (cmd, args) =>
      asRoot
        ? execFileSync("runuser", ["-u", "postgres", "--", join(PG_BIN, cmd), ...args], { stdio: "pipe", cwd: dir, env })
        : execFileSync(join(PG_BIN, cmd), args, { stdio: "pipe", cwd: dir, env });
    writeFileSync(join(dir, "pwfile"), password + "\n", { mode: 0o644 });
    if (asRoot) execFileSync("chown", ["postgres", join(dir, "pwfile")]);
    const data = join(dir, "data");
    run("initdb", ["-D", data, "-U", "postgres", "--auth=scram-sha-256", `--pwfile=${join(dir, "pwfile")}`, "--no-sync", "-E", "UTF8"]);
    rmSync(join(dir, "pwfile"));
    const port = await freePort();
    run("pg_ctl", ["-D", data, "-l", join(dir, "log"), "-w", "-t", "60", "-o", `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200`, "start"]);
    this.defer("PostgreSQL", () => run("pg_ctl", ["-D", data, "-m", "fast", "-w", "-t", "30", "stop"]));
    const uri = (db) => `postgresql://postgres:${password}@127.0.0.1:${port}/${db}`;
    return {
      port,
      dir,
      uri,
      createDatabase: (name) => {
        run("psql", ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "-d", "postgres", "-q", "-c", `CREATE DATABASE "${name}"`]);
        return uri(name);
      },
    };
  }

  /**
   * s3rver in its own process on a free port with `buckets` made at start; `env` is what an
   * S3 client needs (endpoint, s3rver's key, region). s3rver's continuation tokens use DES,
   * which OpenSSL 3 only offers with its legacy provider.
   */
  async s3(buckets = ["mlflow"], { tls = null } = {}) {
    const dir = join(this.dir, "s3");
    mkdirSync(dir);
    const args = ["--openssl-legacy-provider", S3RVER_BIN, "-d", dir, "-a", "127.0.0.1", "-p", "0", "--silent", "--no-vhost-buckets"];
    for (const b of buckets) args.push("--configure-bucket", b);
    if (tls !== null) args.push("--key", tls.key, "--cert", tls.cert);
    const proc = spawnLogged(process.execPath, args, { prefix: "[s3] ", log: this.log, readyPattern: /listening on \S+:(\d+)/ });
    this.defer("s3rver", () => stopChild(proc.child));
    const m = await proc.ready;
    const endpoint = `${tls === null ? "http" : "https"}://127.0.0.1:${m[1]}`;
    return {
      endpoint,
      process: proc.child,
      env: { MLFLOW_S3_ENDPOINT_URL: endpoint, AWS_ACCESS_KEY_ID: S3RVER_KEY, AWS_SECRET_ACCESS_KEY: S3RVER_KEY, AWS_REGION: "us-east-1", AWS_EC2_METADATA_DISABLED: "true" },
    };
  }

  /** Writes an auth config with an admin (MANAGE) and a tuner (WRITE) user; returns its path and the users. */
  authConfig() {
    const users = {
      admin: { username: "admin", password: randomBytes(9).toString("base64url"), permissions: { "*": "MANAGE" } },
      tuner: { username: "tuner", password: randomBytes(9).toString("base64url"), permissions: { "*": "WRITE" } },
    };
    const path = join(this.dir, "auth.json");
    writeFileSync(path, JSON.stringify({ users: Object.values(users) }, null, 2), { mode: 0o600 });
    return { path, users };
  }

  /** Our tracking server (`mlflow-demo-ts server ARGS --port PORT`); resolves once it listens. */
  async trackingServer(args, { env = process.env, port = 0 } = {}) {
    const proc = spawnLogged(process.execPath, [CLI, "server", ...args, "--port", String(port)], { env, prefix: "[server] ", log: this.log, readyPattern: /listening at (http:\/\/\S+)/ });
    this.defer("tracking server", () => stopChild(proc.child));
    const m = await proc.ready;
    return { url: m[1], process: proc.child, output: proc.output };
  }

  /** Runs `mlflow-demo-ts ARGS` to its end (stopped with the stack if still running); resolves to its exit and output. */
  async runCli(args, { env = process.env, prefix = "" } = {}) {
    const proc = spawnLogged(process.execPath, [CLI, ...args], { env, prefix, log: this.log });
    const entry = { name: prefix || args[0], stop: () => stopChild(proc.child) };
    this.stops.push(entry);
    const result = await proc.exited;
    this.stops = this.stops.filter((s) => s !== entry);
    return { ...result, output: proc.output() };
  }
}

/** `env` without AWS or MLflow S3 settings: what a client of the artifact proxy runs with. */
export function withoutS3Credentials(env) {
  return Object.fromEntries(Object.entries(env).filter(([k]) => !/^AWS_|^MLFLOW_S3_/.test(k)));
}
