import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { resolve } from "node:path";
import { PROJECT_ROOT } from "../../src/data/paths";

/** The real MLflow 2.17.2 (run from source with Debian's Python and xgboost 1.7). */
export const MLFLOW_PYTHON = resolve(PROJECT_ROOT, "..", "shared", "peers", "mlflow", "python.sh");

/** True when the MLflow peer is there; prints a visible SKIPPED line otherwise. */
export function haveMlflowPeer(what: string): boolean {
  if (existsSync(MLFLOW_PYTHON)) return true;
  console.warn(`SKIPPED ${what}: ${MLFLOW_PYTHON} is missing (the real MLflow 2.17.2 in ../shared/peers/mlflow)`);
  return false;
}

/**
 * Runs a Python script under the real MLflow with JSON on stdin, without blocking (importing
 * MLflow takes seconds: tests overlap it with other work); resolves to its last stdout line as JSON.
 */
export function runMlflowPython<T>(script: string, input: unknown): Promise<T> {
  return new Promise((done, fail) => {
    const child = spawn(MLFLOW_PYTHON, ["-c", script], { stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    child.once("error", fail);
    child.once("exit", (code) => {
      if (code !== 0) return fail(new Error(`MLflow's Python failed (${code}): ${stderr}`));
      const lines = stdout.trim().split("\n");
      try {
        done(JSON.parse(lines[lines.length - 1] as string) as T);
      } catch (err) {
        fail(err instanceof Error ? err : new Error(String(err)));
      }
    });
    child.stdin.end(JSON.stringify(input));
  });
}

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const s = createServer();
    s.once("error", fail);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => done(port));
    });
  });
}

/** `mlflow models serve` as a child process group, stopped by its process id. */
export interface MlflowServe {
  readonly url: string;
  stop(): Promise<void>;
}

/** Starts the real `mlflow models serve -m <uri> --env-manager local` and waits for GET /ping. */
export async function startMlflowServe(modelUri: string, trackingUri: string): Promise<MlflowServe> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    MLFLOW_PYTHON,
    ["-m", "mlflow", "models", "serve", "-m", modelUri, "--env-manager", "local", "-h", "127.0.0.1", "-p", String(port), "-w", "1"],
    { env: { ...process.env, MLFLOW_TRACKING_URI: trackingUri }, detached: true, stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const stop = (): Promise<void> =>
    new Promise((done) => {
      if (child.exitCode !== null || child.pid === undefined) return done();
      child.once("exit", () => done());
      const signal = (name: NodeJS.Signals): void => {
        try {
          process.kill(-(child.pid as number), name);
        } catch {
          // the group is gone already
        }
      };
      signal("SIGTERM");
      setTimeout(() => {
        if (child.exitCode === null) signal("SIGKILL");
      }, 5000).unref();
    });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`mlflow models serve exited (${child.exitCode}): ${stderr}`);
    try {
      if ((await fetch(`${url}/ping`)).ok) return { url, stop };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  await stop();
  throw new Error(`mlflow models serve did not answer /ping within 120 s: ${stderr}`);
}
