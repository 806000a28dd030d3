/**
 * `mkdir -p` that fails instead of spinning. Node 20's `mkdirSync(path, { recursive: true })`
 * loops forever at 100% CPU when mkdir of a missing folder answers ENOENT although its parent
 * exists (anywhere under /proc, for one). This walks up to the nearest existing folder and
 * creates each missing level once; any failure is an error naming the folder asked for.
 */
import { mkdirSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";

function codeOf(error: unknown): string {
  const code = typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === "string" ? code : String(error);
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Creates `path` and its missing parents; does nothing when it is a folder already. */
export function makeDirs(path: string): void {
  const target = resolve(path);
  const missing: string[] = [];
  for (let dir = target; ; ) {
    try {
      if (statSync(dir).isDirectory()) break;
      throw new Error(`cannot create the folder ${target}: ${dir} exists and is not a folder`);
    } catch (error) {
      // ENOTDIR: a file stands higher up; walking up finds and names it.
      if (codeOf(error) !== "ENOENT" && codeOf(error) !== "ENOTDIR") {
        if (error instanceof Error && error.message.startsWith("cannot create")) throw error;
        throw new Error(`cannot create the folder ${target}: ${dir} cannot be read (${codeOf(error)})`);
      }
    }
    missing.push(dir);
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  for (const dir of missing.reverse()) {
    try {
      mkdirSync(dir);
    } catch (error) {
      const code = codeOf(error);
      if (code === "EEXIST" && isDirectory(dir)) continue;
      const why = code === "ENOENT" ? " although its parent exists (a virtual file system such as /proc cannot hold it)" : "";
      throw new Error(`cannot create the folder ${target}: mkdir ${dir} failed with ${code}${why}`);
    }
  }
}
