/**
 * The server's artifact root (`--artifacts-destination`) with paths that can never escape
 * it: every request path is decoded exactly once, then refused when any segment is `.`
 * or `..`, when it is absolute, holds a backslash, NUL or drive letter, or still holds an
 * encoded dot, slash or backslash (double encoding); and the real path of what exists
 * is checked to stay under the real root, so symlinks cannot lead out either.
 */
import { copyFileSync, createReadStream, createWriteStream, readdirSync, realpathSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep, isAbsolute } from "node:path";
import { randomBytes } from "node:crypto";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { MlflowError } from "../tracking/errors";
import type { FileInfo } from "../tracking/entities";
import { HttpError } from "./httpUtil";
import { makeDirs } from "../util/makeDirs";
import { removeOrphans } from "../util/orphanFiles";

function unsafe(path: string): MlflowError {
  return MlflowError.invalidParameterValue(`Invalid path: '${path}'. Artifact paths must be relative and stay inside the artifact root.`);
}

/**
 * Checks an already-decoded relative artifact path and returns its segments
 * (empty for the root). Throws INVALID_PARAMETER_VALUE for anything that could escape.
 */
export function safeSegments(path: string): string[] {
  if (path.includes("\0") || path.includes("\\") || path.startsWith("/") || /^[a-zA-Z]:/.test(path) || /%(2e|2f|5c|00)/i.test(path)) throw unsafe(path);
  const segments = path.split("/").filter((s) => s !== "");
  if (segments.some((s) => s === "." || s === "..")) throw unsafe(path);
  return segments;
}

/**
 * Decodes a URL path once as a WSGI server does: each valid `%XX` escape becomes its byte
 * (the bytes read as UTF-8), while a `%` not followed by two hex digits stays as it is, so
 * that MLflow's client, which sends `100%.txt` unescaped, reaches that file.
 */
export function percentDecode(raw: string): string {
  if (!raw.includes("%")) return raw;
  return Buffer.from(raw.replace(/%([0-9a-fA-F]{2})|([^%]+|%)/g, (_m, hex: string | undefined, text: string | undefined) => (hex !== undefined ? String.fromCharCode(parseInt(hex, 16)) : Buffer.from(text as string, "utf8").toString("latin1"))), "latin1").toString("utf8");
}

/** Decodes a URL path suffix once (`%2F` and friends included; see {@link percentDecode}) and checks it. */
export function decodeArtifactPath(rawPath: string): string[] {
  return safeSegments(percentDecode(rawPath));
}

/** The folder under the root where uploads are written before they are renamed into place. */
const UPLOAD_STAGING = ".uploads";
/** Upload temp files: `.upload-<pid>-<random>`. */
const UPLOAD_PREFIX = ".upload-";

/** Renames `tmp` over `target`; across file systems (a mount inside the root), copies then removes. */
function moveInto(tmp: string, target: string): void {
  try {
    renameSync(tmp, target);
  } catch (err) {
    if ((err as { code?: unknown }).code !== "EXDEV") throw err;
    const near = join(dirname(target), `${UPLOAD_PREFIX}${process.pid}-${randomBytes(6).toString("hex")}`);
    copyFileSync(tmp, near);
    rmSync(tmp, { force: true });
    renameSync(near, target);
  }
}

/** A local directory holding proxied artifacts. */
export class ServerArtifactStore {
  /** The real (symlink-free) absolute root. */
  readonly root: string;

  constructor(root: string, readonly maxUploadBytes = 1024 ** 3) {
    makeDirs(root);
    this.root = realpathSync(root);
    // Uploads in progress when a server was killed: their process is gone, nothing will finish them.
    removeOrphans(join(this.root, UPLOAD_STAGING), UPLOAD_PREFIX);
  }

  private inside(real: string): boolean {
    return real === this.root || real.startsWith(this.root + sep);
  }

  /** The local path of `segments`, after checking that what exists of it resolves inside the root. */
  private resolve(segments: readonly string[]): string {
    if (segments[0] === UPLOAD_STAGING) throw MlflowError.invalidParameterValue(`Invalid path: '${segments.join("/")}' is the server's upload staging folder.`);
    let current = this.root;
    for (const segment of segments) {
      current = join(current, segment);
      let real: string;
      try {
        real = realpathSync(current);
      } catch {
        break; // does not exist (yet): nothing below can be a symlink
      }
      if (!this.inside(real)) throw MlflowError.invalidParameterValue(`Invalid path: '${segments.join("/")}' resolves outside the artifact root.`);
    }
    return join(this.root, ...segments);
  }

  /** Streams an upload to `segments` (written to a temp file, then renamed into place). */
  async upload(segments: readonly string[], body: Readable, declaredLength: number | null): Promise<void> {
    if (segments.length === 0) throw MlflowError.invalidParameterValue("An artifact upload needs a file path.");
    if (declaredLength !== null && declaredLength > this.maxUploadBytes) {
      throw new HttpError(413, "REQUEST_LIMIT_EXCEEDED", `Artifact upload of ${declaredLength} bytes exceeds the server's limit of ${this.maxUploadBytes} bytes.`);
    }
    const target = this.resolve(segments);
    if (statSync(target, { throwIfNoEntry: false })?.isDirectory()) throw MlflowError.invalidParameterValue(`Invalid path: '${segments.join("/")}' is a directory.`);
    makeDirs(dirname(target));
    this.resolve(segments); // again, now that the parents exist
    // Written in one staging folder at the root (same file system), so a killed upload leaves nothing in a run's artifacts.
    const staging = join(this.root, UPLOAD_STAGING);
    makeDirs(staging);
    const tmp = join(staging, `${UPLOAD_PREFIX}${process.pid}-${randomBytes(6).toString("hex")}`);
    let size = 0;
    const limit = this.maxUploadBytes;
    body.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) body.destroy(new HttpError(413, "REQUEST_LIMIT_EXCEEDED", `Artifact upload exceeds the server's limit of ${limit} bytes.`));
    });
    try {
      await pipeline(body, createWriteStream(tmp, { flags: "wx" }));
      moveInto(tmp, target);
    } catch (err) {
      rmSync(tmp, { force: true });
      throw err;
    }
  }

  /** The file at `segments` as a stream with its size; RESOURCE_DOES_NOT_EXIST when missing or a directory. */
  open(segments: readonly string[]): { stream: Readable; size: number; name: string } {
    const target = this.resolve(segments);
    const st = statSync(target, { throwIfNoEntry: false });
    if (st === undefined || !st.isFile()) throw MlflowError.notFound(`File '${segments.join("/")}' does not exist.`);
    const real = realpathSync(target);
    if (!this.inside(real)) throw MlflowError.invalidParameterValue(`Invalid path: '${segments.join("/")}' resolves outside the artifact root.`);
    return { stream: createReadStream(real), size: st.size, name: segments[segments.length - 1] ?? "" };
  }

  /** The direct children of a directory (empty when it does not exist), with paths relative to the root. */
  list(segments: readonly string[]): FileInfo[] {
    const dir = this.resolve(segments);
    let entries;
    try {
      if (!statSync(dir).isDirectory()) return [];
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return [];
    }
    const prefix = segments.join("/");
    return entries
      .filter((e) => !e.name.startsWith(UPLOAD_PREFIX) && e.name !== UPLOAD_STAGING)
      .map((e) => {
        const full = join(dir, e.name);
        const st = statSync(full, { throwIfNoEntry: false });
        const isDir = st?.isDirectory() ?? false;
        return { path: prefix === "" ? e.name : `${prefix}/${e.name}`, isDir, fileSize: isDir ? null : (st?.size ?? 0) };
      })
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /**
   * The segments of an absolute local path relative to this root, or null when the path
   * (with symlinks in its existing part resolved) lies outside it. Used to serve `file:`
   * artifact URIs only when they point inside the server's artifact root.
   */
  segmentsOf(localPath: string): string[] | null {
    let probe = resolve(localPath);
    const rest: string[] = [];
    for (;;) {
      try {
        probe = join(realpathSync(probe), ...rest.reverse());
        break;
      } catch {
        const parent = dirname(probe);
        if (parent === probe) return null;
        rest.push(probe.slice(parent.length).replace(/^[\\/]+/, ""));
        probe = parent;
      }
    }
    const rel = relative(this.root, probe);
    if (rel === "") return [];
    if (rel.startsWith("..") || isAbsolute(rel)) return null;
    return rel.split(sep);
  }

  /** Deletes a file or directory. */
  delete(segments: readonly string[]): void {
    if (segments.length === 0) throw MlflowError.invalidParameterValue("Refusing to delete the artifact root.");
    rmSync(this.resolve(segments), { recursive: true, force: true });
  }
}
