import { spawnSync } from "node:child_process";

/** Debian's Python, where python3-sklearn, python3-xgboost and python3-optuna live. */
export const PYTHON = "/usr/bin/python3";

/** True when /usr/bin/python3 imports every module; prints a visible notice otherwise. */
export function pythonHas(modules: readonly string[], what: string): boolean {
  const r = spawnSync(PYTHON, ["-c", modules.map((m) => `import ${m}`).join("; ")], { encoding: "utf8" });
  if (r.status !== 0) console.warn(`SKIPPED ${what}: ${PYTHON} lacks ${modules.join(", ")} (apt-get install python3-…)`);
  return r.status === 0;
}

/** Runs a Python script that reads JSON on stdin and prints JSON on stdout. */
export function runPythonJson<T>(script: string, input: unknown): T {
  const r = spawnSync(PYTHON, ["-c", script], { input: JSON.stringify(input), encoding: "utf8", maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`python failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}
