/**
 * Runs Debian's Python Optuna (/usr/bin/python3) as the independent truth for tests, when it is
 * installed; tests call {@link pythonOptunaAvailable} and skip visibly otherwise.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

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

const modulesCache = new Map<string, boolean>();

/** True when /usr/bin/python3 imports every module named; prints a `SKIPPED` line otherwise. */
export function pythonModulesAvailable(modules: readonly string[], what: string): boolean {
  const key = modules.join(",");
  let ok = modulesCache.get(key);
  if (ok === undefined) {
    ok = existsSync(PYTHON) && spawnSync(PYTHON, ["-W", "ignore", "-c", modules.map((m) => `import ${m}`).join("; ")], { encoding: "utf8" }).status === 0;
    modulesCache.set(key, ok);
  }
  if (!ok) console.warn(`SKIPPED ${what}: ${PYTHON} cannot import ${key}.`);
  return ok;
}

/** Runs a Python script with `input` on stdin and returns its stdout (throws with stderr on failure). */
export function runPython(args: string[], input = "", env: Record<string, string> = {}): string {
  const r = spawnSync(PYTHON, args, { input, encoding: "utf8", maxBuffer: 64 * 1024 * 1024, env: { ...process.env, ...env } });
  if (r.status !== 0) throw new Error(`python ${args.join(" ")} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

/** The Optuna 4 peer's launcher (Optuna 4.9.0, or 4.5.0 with OPTUNA_PEER_VERSION). */
export const OPTUNA4_PYTHON = join(__dirname, "..", "..", "..", "shared", "peers", "optuna4", "python.sh");

const optuna4Cache = new Map<string, boolean>();

/**
 * True when ../shared/peers/optuna4 runs Optuna `version` (and, for 4.9.0, cmaes 0.13); prints a
 * `SKIPPED` line naming what is missing otherwise.
 */
export function optuna4Available(version = "4.9.0", modules: readonly string[] = ["optuna"]): boolean {
  const key = `${version}:${modules.join(",")}`;
  const hit = optuna4Cache.get(key);
  if (hit !== undefined) return hit;
  const ok =
    existsSync(OPTUNA4_PYTHON) &&
    spawnSync("bash", [OPTUNA4_PYTHON, "-c", `${modules.map((m) => `import ${m}`).join("; ")}; import optuna; assert optuna.__version__ == "${version}"`], {
      encoding: "utf8",
      env: { ...process.env, OPTUNA_PEER_VERSION: version },
    }).status === 0;
  if (!ok) console.warn(`SKIPPED Optuna ${version} peer (${OPTUNA4_PYTHON}, with ${modules.join(", ")}) is not available; its cross-checks are skipped.`);
  optuna4Cache.set(key, ok);
  return ok;
}

/** Runs a script with the Optuna 4 peer's interpreter, `input` on stdin; returns stdout. */
export function runOptuna4(args: string[], input = "", version = "4.9.0"): string {
  const r = spawnSync("bash", [OPTUNA4_PYTHON, ...args], { input, encoding: "utf8", maxBuffer: 64 * 1024 * 1024, env: { ...process.env, OPTUNA_PEER_VERSION: version } });
  if (r.status !== 0) throw new Error(`optuna ${version} ${args.join(" ")} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}
