/**
 * The real MLflow peers in `../shared/peers/` for side-by-side tests: MLflow 2.17.2
 * (`mlflow/python.sh`) and MLflow 3.6 (`mlflow3/python.sh`, and `python-pyd2.sh` for
 * `log_model`/`pyfunc`, which need pydantic 2). Each is run as a child process; a server is
 * started once per test file on a free 127.0.0.1 port and stopped by its process id.
 * `peerUnavailable` names why a peer cannot run, for a visible `SKIPPED` line.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { freePort } from "../server/postgres";

const PEERS = resolve(__dirname, "..", "..", "..", "shared", "peers");

/** The peers' launchers. */
export const MLFLOW2_PYTHON = join(PEERS, "mlflow", "python.sh");
export const MLFLOW3_PYTHON = join(PEERS, "mlflow3", "python.sh");
export const MLFLOW3_PYTHON_PYD2 = join(PEERS, "mlflow3", "python-pyd2.sh");

const checked = new Map<string, string | null>();

/** Why `launcher` cannot import `modules` (null when it can); the reason is printed once as a `SKIPPED` line. */
export function peerUnavailable(launcher: string, modules: readonly string[], what: string): string | null {
  const key = `${launcher}\0${modules.join(",")}`;
  if (!checked.has(key)) {
    let reason: string | null = null;
    if (!existsSync(launcher)) reason = `${launcher} is absent (the real MLflow peers live in ../shared/peers)`;
    else {
      const r = spawnSync("bash", [launcher, "-c", modules.map((m) => `import ${m}`).join("; ")], { encoding: "utf8", timeout: 120_000 });
      if (r.status !== 0) reason = `${launcher} cannot import ${modules.join(", ")}: ${(r.stderr || r.stdout).trim().split("\n").pop()}`;
    }
    checked.set(key, reason);
  }
  const reason = checked.get(key) ?? null;
  if (reason !== null) console.warn(`SKIPPED ${what}: ${reason}`);
  return reason;
}

/** Runs a peer's Python on a script file with arguments; resolves to its stdout's last line parsed as JSON. */
export function runPeerJson<T>(launcher: string, script: string, args: readonly string[], env: Record<string, string> = {}): Promise<T> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn("bash", [launcher, script, ...args], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("exit", (code) => {
      const last = out.trim().split("\n").pop() ?? "";
      if (code !== 0) return reject(new Error(`${script} exited with ${code}:\n${err.slice(-4000)}\n${out.slice(-2000)}`));
      try {
        resolvePromise(JSON.parse(last) as T);
      } catch {
        reject(new Error(`${script} printed no JSON last line:\n${out.slice(-2000)}\n${err.slice(-2000)}`));
      }
    });
  });
}

/** A real MLflow tracking server under test. */
export interface PeerServer {
  readonly url: string;
  readonly process: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** Starts `mlflow server` of a peer on a free port with `args`; resolves once `/health` answers. */
export async function startPeerServer(launcher: string, args: readonly string[], env: Record<string, string> = {}): Promise<PeerServer> {
  const port = await freePort();
  const child = spawn("bash", [launcher, "-m", "mlflow", "server", ...args, "--host", "127.0.0.1", "--port", String(port), "--workers", "1"], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let out = "";
  child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    // The launcher is a bash script; the server (and uvicorn's worker) run in its process group.
    process.kill(-child.pid, "SIGTERM");
    const timer = setTimeout(() => child.pid !== undefined && process.kill(-child.pid, "SIGKILL"), 5000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`mlflow server exited with ${child.exitCode}:\n${out.slice(-3000)}`);
    try {
      const r = await fetch(`${url}/health`);
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`mlflow server did not answer /health within 120 s:\n${out.slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url, process: child, output: () => out, stop };
}
