/**
 * Runs the built command line (`bin/mlflow-demo-ts.js` over `dist/`, which `npm test` rebuilds
 * first) in a child process, as a user would.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { resolve } from "node:path";

/** The project's root. */
export const ROOT = resolve(__dirname, "..", "..");
/** The command's entry. */
export const BIN = resolve(ROOT, "bin", "mlflow-demo-ts.js");

/** How a run ended. */
export interface CliResult {
  /** Exit code, null when killed by a signal (e.g. by the time limit). */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Wall time in seconds. */
  seconds: number;
}

/** Options of {@link runCli}. */
export interface RunCliOptions {
  env?: Record<string, string>;
  cwd?: string;
  /** Killed with SIGKILL after this many milliseconds (default 120 000). */
  timeoutMs?: number;
  /** Called once the child is started (e.g. to close its stdout). */
  onSpawn?: (child: ChildProcess) => void;
}

/** Runs `mlflow-demo-ts ...args` to its end (or the time limit). */
export function runCli(args: readonly string[], options: RunCliOptions = {}): Promise<CliResult> {
  const started = performance.now();
  const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd ?? ROOT, env: { ...process.env, ...options.env }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 120_000);
  options.onSpawn?.(child);
  return new Promise((resolveRun) => {
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolveRun({ code, signal, stdout, stderr, seconds: (performance.now() - started) / 1000 });
    });
  });
}
