import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";

const ROOT = resolve(__dirname, "..", "..");

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith(".ts")) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * Worker threads run the compiled library (dist/), so tests of nJobs > 1 need it built from
 * the current sources: rebuild when a worker entry is missing or older than src/.
 */
export function ensureBuiltWorkers(): void {
  const entries = ["dist/models/forest/forestWorker.js", "dist/evaluation/cvWorker.js"].map((p) => join(ROOT, p));
  const fresh = (): boolean => {
    const src = Math.max(newestSource(join(ROOT, "src", "models")), newestSource(join(ROOT, "src", "evaluation")), newestSource(join(ROOT, "src", "util")));
    return entries.every((e) => existsSync(e) && statSync(e).mtimeMs >= src);
  };
  if (fresh()) return;
  try {
    execFileSync(process.execPath, [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", join(ROOT, "tsconfig.build.json")], { cwd: ROOT, stdio: "pipe" });
  } catch {
    // tsc still emits when other parts of the project have type errors; freshness is checked below.
  }
  if (!fresh()) throw new Error("could not build dist/ for the worker-thread tests: run 'npm run build' and look at its errors");
}
