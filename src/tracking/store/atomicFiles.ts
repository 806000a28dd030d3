/**
 * File primitives that keep a store readable under concurrency and crashes:
 * metadata is written to a temporary file and renamed over the target (readers see the
 * old or the new file, never half of one); params are created exclusively (two writers
 * cannot both win); metric lines are appended with O_APPEND, one `write()` per batch of
 * lines, so concurrent appenders in threads or processes interleave whole lines.
 */
import { closeSync, linkSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync, writeSync } from "node:fs";
import { dirname, join } from "node:path";
import { randomBytes } from "node:crypto";
import { makeDirs } from "../../util/makeDirs";

function tempName(tmpDir: string): string {
  return join(tmpDir, `.tmp-${process.pid}-${randomBytes(6).toString("hex")}`);
}

function isErrno(err: unknown, code: string): boolean {
  return typeof err === "object" && err !== null && (err as { code?: unknown }).code === code;
}

/** True when `err` is a Node system error with `code` (e.g. "ENOENT"). */
export function hasErrorCode(err: unknown, code: string): boolean {
  return isErrno(err, code);
}

/**
 * Writes `content` to `path` atomically: a temporary file in `tmpDir` (same file
 * system; a file, never a directory, so MLflow's directory listings ignore leftovers)
 * renamed over `path`. Creates missing parent directories.
 */
export function writeFileAtomic(path: string, content: string | Buffer, tmpDir: string): void {
  const tmp = tempName(tmpDir);
  writeFileSync(tmp, content);
  try {
    renameSync(tmp, path);
  } catch (err) {
    if (!isErrno(err, "ENOENT")) throw err;
    makeDirs(dirname(path));
    renameSync(tmp, path);
  }
}

/**
 * Creates `path` with `content` only if it does not exist yet, atomically (write a
 * temporary file, hard-link it into place). Resolves to false when `path` already existed.
 */
export function createFileExclusive(path: string, content: string, tmpDir: string): boolean {
  const tmp = tempName(tmpDir);
  writeFileSync(tmp, content);
  try {
    try {
      linkSync(tmp, path);
    } catch (err) {
      if (isErrno(err, "EEXIST")) return false;
      if (!isErrno(err, "ENOENT")) throw err;
      makeDirs(dirname(path));
      try {
        linkSync(tmp, path);
      } catch (err2) {
        if (isErrno(err2, "EEXIST")) return false;
        throw err2;
      }
    }
    return true;
  } finally {
    unlinkSync(tmp);
  }
}

/** Reads a UTF-8 file; null when it does not exist. */
export function readTextIfExists(path: string): string | null {
  try {
    return readFileSync(path, "utf8");
  } catch (err) {
    if (isErrno(err, "ENOENT") || isErrno(err, "ENOTDIR")) return null;
    throw err;
  }
}

/**
 * Appends text to files through cached O_APPEND descriptors: each {@link append} is one
 * `write()` call, which Linux applies atomically with respect to other appenders.
 */
export class AppendWriter {
  private readonly fds = new Map<string, number>();

  constructor(private readonly maxOpen = 64) {}

  /** Appends `text` to `path` (creating it and its directories) in one write. */
  append(path: string, text: string): void {
    let fd = this.fds.get(path);
    if (fd === undefined) {
      try {
        fd = openSync(path, "a");
      } catch (err) {
        if (!isErrno(err, "ENOENT")) throw err;
        makeDirs(dirname(path));
        fd = openSync(path, "a");
      }
      if (this.fds.size >= this.maxOpen) this.closeOldest();
      this.fds.set(path, fd);
    } else {
      // Refresh recency for the LRU order.
      this.fds.delete(path);
      this.fds.set(path, fd);
    }
    const bytes = Buffer.from(text, "utf8");
    const written = writeSync(fd, bytes, 0, bytes.length);
    if (written !== bytes.length) throw new Error(`short append to ${path}: ${written} of ${bytes.length} bytes`);
  }

  /** Closes the descriptors of files under `prefix` (all when omitted). */
  close(prefix?: string): void {
    for (const [path, fd] of [...this.fds]) {
      if (prefix === undefined || path.startsWith(prefix)) {
        closeSync(fd);
        this.fds.delete(path);
      }
    }
  }

  private closeOldest(): void {
    const first = this.fds.entries().next();
    if (first.done === true) return;
    const [path, fd] = first.value;
    closeSync(fd);
    this.fds.delete(path);
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Runs `fn` holding an exclusive lock file at `lockPath` (created with O_EXCL). A lock
 * older than `staleMs` is assumed to belong to a crashed process and is broken.
 */
export function withLockFile<T>(lockPath: string, fn: () => T, staleMs = 10_000): T {
  const deadline = Date.now() + 4 * staleMs;
  for (;;) {
    try {
      closeSync(openSync(lockPath, "wx"));
      break;
    } catch (err) {
      if (!isErrno(err, "EEXIST")) throw err;
      try {
        const { mtimeMs } = statSync(lockPath);
        if (Date.now() - mtimeMs > staleMs) unlinkSync(lockPath);
      } catch (statErr) {
        if (!isErrno(statErr, "ENOENT")) throw statErr;
      }
      if (Date.now() > deadline) throw new Error(`could not acquire lock ${lockPath}`);
      sleepSync(5 + Math.random() * 10);
    }
  }
  try {
    return fn();
  } finally {
    try {
      unlinkSync(lockPath);
    } catch (err) {
      if (!isErrno(err, "ENOENT")) throw err;
    }
  }
}
