/** Folders of files for the S3 tests: written from a map, read back as checksums. */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** The sha256 of some bytes, in hex. */
export function sha(data: Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

/** Writes `files` (relative path with `/` to content) under `root`; returns their checksums. */
export function writeTree(root: string, files: Record<string, Buffer>): Record<string, string> {
  for (const [rel, data] of Object.entries(files)) {
    mkdirSync(join(root, ...rel.split("/").slice(0, -1)), { recursive: true });
    writeFileSync(join(root, ...rel.split("/")), data);
  }
  return Object.fromEntries(Object.entries(files).map(([k, v]) => [k, sha(v)]));
}

/** The checksum of every file under `root`, by relative path with `/`. */
export function treeSums(root: string, rel = ""): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(join(root, rel), { withFileTypes: true })) {
    const child = rel === "" ? e.name : `${rel}/${e.name}`;
    if (e.isDirectory()) Object.assign(out, treeSums(root, child));
    else out[child] = sha(readFileSync(join(root, child)));
  }
  return out;
}
