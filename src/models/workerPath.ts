import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join, resolve } from "node:path";

/**
 * Absolute path of a built module under `dist/` (e.g. "models/forest/forestWorker"), for
 * worker_threads: workers always run the compiled JavaScript, also when this file itself
 * runs from TypeScript sources (tests). Throws when it has not been built.
 */
export function builtModulePath(modulePath: string): string {
  const root = resolve(__dirname, "..", "..");
  const file = join(root, "dist", `${modulePath}.js`);
  if (!existsSync(file)) {
    throw new Error(`worker module ${file} is missing: run 'npm run build' before using nJobs > 1`);
  }
  return file;
}

/** How many worker threads `nJobs` asks for: -1 means one per CPU core. */
export function resolveJobs(nJobs: number | undefined, tasks: number): number {
  const cores = Math.max(1, availableParallelism());
  const wanted = nJobs === undefined ? 1 : nJobs < 0 ? cores : Math.max(1, Math.floor(nJobs));
  return Math.max(1, Math.min(wanted, tasks));
}
