/**
 * The real MLflow 2.17.2 of `../shared/peers/mlflow` (Python, run from source on Debian's
 * packages): whether it is there, its server as a child process on a free port of
 * 127.0.0.1 (a process group of its own, so that stopping it stops gunicorn's workers
 * too), and its Python for client scripts.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { freePort } from "../server/postgres";

const ROOT = resolve(__dirname, "..", "..");
/** Where the peer lives, next to the checkout. */
export const MLFLOW_PEER = resolve(ROOT, "..", "shared", "peers", "mlflow");
/** The peer's Python launcher (Debian's python3 with MLflow 2.17.2 importable). */
export const PEER_PYTHON = join(MLFLOW_PEER, "python.sh");

/** Why the real MLflow cannot be used here, or null when it can. */
export function realMlflowUnavailable(): string | null {
  if (!existsSync(PEER_PYTHON)) return `the real MLflow 2.17.2 is absent (${PEER_PYTHON} not found; it lives in ../shared/peers/mlflow next to the checkout)`;
  if (!existsSync("/usr/bin/python3")) return "Debian's /usr/bin/python3 is missing (scripts/setup.sh installs it)";
  return null;
}

/** A running real MLflow server. */
export interface RealMlflowServer {
  readonly url: string;
  /** Its log so far (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return Promise.resolve();
  const pid = child.pid;
  return new Promise((done) => {
    const timer = setTimeout(() => {
      try {
        process.kill(-pid, "SIGKILL");
      } catch {
        // already gone
      }
    }, 5000);
    child.once("exit", () => {
      clearTimeout(timer);
      done();
    });
    try {
      process.kill(-pid, "SIGTERM");
    } catch {
      clearTimeout(timer);
      done();
    }
  });
}

/** Starts `mlflow server` on a SQLite file in `dir` (artifacts proxied under `dir`); resolves once `/health` answers. */
export async function startRealMlflowServer(dir: string): Promise<RealMlflowServer> {
  const port = await freePort();
  const child = spawn(
    PEER_PYTHON,
    ["-m", "mlflow", "server", "--backend-store-uri", `sqlite:///${join(dir, "mlflow.db")}`, "--artifacts-destination", join(dir, "artifacts"), "--host", "127.0.0.1", "--port", String(port), "--workers", "1"],
    { cwd: dir, detached: true, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, PYTHONUNBUFFERED: "1" } },
  );
  let log = "";
  child.stdout?.on("data", (d: Buffer) => (log += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (log += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the real MLflow server exited (${child.exitCode}) before answering /health:\n${log}`);
    try {
      if ((await fetch(`${url}/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stopGroup(child);
      throw new Error(`the real MLflow server did not answer /health within 120 s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url, output: () => log, stop: () => stopGroup(child) };
}

/** Runs the peer's Python on `script` with `args`; resolves to stdout (rejects with stderr on failure). */
export function runPeerPython(script: string, args: readonly string[], cwd: string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, PYTHONUNBUFFERED: "1" };
    delete env.MLFLOW_TRACKING_URI;
    const child = spawn(PEER_PYTHON, [script, ...args], { cwd, stdio: ["ignore", "pipe", "pipe"], env });
    let out = "";
    let err = "";
    child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr?.on("data", (d: Buffer) => (err += d.toString()));
    child.once("exit", (code) => (code === 0 ? resolvePromise(out) : reject(new Error(`${script} failed (${code}):\n${err.slice(-4000)}`))));
  });
}
