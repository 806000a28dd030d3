/**
 * Temporary files and folders that say which process owns them (`<prefix><pid>-<random>`),
 * so that what a killed process (kill -9, power loss) left behind can be told from what a
 * live one is still writing, and removed at the next start. A pid is "alive" when this
 * machine has a process with it; a recycled pid only delays the cleanup.
 */
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Whether a process with `pid` exists on this machine. */
export function processIsAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to another user.
    return (err as { code?: unknown }).code === "EPERM";
  }
}

/** The owner of a name `<prefix><pid>-...`, or null when the name has no owner in it. */
export function ownerOf(name: string, prefix: string): number | null {
  if (!name.startsWith(prefix)) return null;
  const m = /^(\d+)-/.exec(name.slice(prefix.length));
  return m === null ? null : Number(m[1]);
}

/** Removes the entries of `dir` named `<prefix><pid>-...` whose process is gone; returns their paths. */
export function removeOrphans(dir: string, prefix: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const pid = ownerOf(name, prefix);
    if (pid === null || processIsAlive(pid)) continue;
    rmSync(join(dir, name), { recursive: true, force: true });
    removed.push(join(dir, name));
  }
  return removed;
}

/**
 * A new temporary folder `<tmpdir>/<prefix><pid>-XXXXXX`, after removing those of the same
 * prefix that dead processes left behind.
 */
export function makeOwnedTempDir(prefix: string): string {
  removeOrphans(tmpdir(), prefix);
  return mkdtempSync(join(tmpdir(), `${prefix}${process.pid}-`));
}
