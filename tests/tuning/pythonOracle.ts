/**
 * Runs Debian's Python Optuna (/usr/bin/python3) as the independent truth for tests, when it is
 * installed; tests call {@link pythonOptunaAvailable} and skip visibly otherwise.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

/** The interpreter that has python3-optuna. */
export const PYTHON = "/usr/bin/python3";

let cached: boolean | undefined;

/** True when /usr/bin/python3 can import optuna; warns once (naming what is missing) otherwise. */
export function pythonOptunaAvailable(): boolean {
  if (cached !== undefined) return cached;
  cached = existsSync(PYTHON) && spawnSync(PYTHON, ["-c", "import optuna"], { encoding: "utf8" }).status === 0;
  if (!cached) console.warn(`SKIPPED: ${PYTHON} with optuna (python3-optuna) is not available; Python cross-checks are skipped.`);
  return cached;
}

/** Runs a Python script with `input` on stdin and returns its stdout (throws with stderr on failure). */
export function runPython(args: string[], input = "", env: Record<string, string> = {}): string {
  const r = spawnSync(PYTHON, args, { input, encoding: "utf8", maxBuffer: 64 * 1024 * 1024, env: { ...process.env, ...env } });
  if (r.status !== 0) throw new Error(`python ${args.join(" ")} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}
