/**
 * MLflow's `S3ArtifactRepository` on the AWS SDK for JavaScript v3: a run's artifacts
 * under `s3://bucket/prefix`, with the same keys MLflow writes (`prefix/<path>/<file>`),
 * so MLflow's client and this one read each other's artifacts. The SDK is loaded on
 * first use; see `s3Client.ts` for credentials, endpoint and region.
 */
import { readdirSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { makeDirs } from "../../util/makeDirs";
import { MlflowError } from "../errors";
import type { FileInfo } from "../entities";
import type { ArtifactRepository } from "./repositoryContract";
import { validateArtifactPath } from "./artifactPath";
import { S3ArtifactError } from "./s3Errors";
import { S3ObjectStore, type S3ObjectStoreOptions } from "./s3ObjectStore";
import { joinKey, parseS3Uri } from "./s3Location";
import { s3SettingsFromEnv, type S3Settings } from "./s3Settings";

/** Options of an {@link S3ArtifactRepository}. */
export interface S3ArtifactRepositoryOptions extends S3ObjectStoreOptions {
  /** Endpoint, TLS, region and addressing (default: from the environment, as MLflow reads it). */
  readonly settings?: S3Settings;
  /** Files transferred at once by folder uploads and downloads (default 4). */
  readonly concurrency?: number;
}

/** Runs `work` over `items`, at most `limit` at a time; rejects with the first failure once all have settled. */
async function forEachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const errors: unknown[] = [];
  const worker = async (): Promise<void> => {
    while (next < items.length && errors.length === 0) {
      const item = items[next++] as T;
      try {
        await work(item);
      } catch (err) {
        errors.push(err);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (errors.length > 0) throw errors[0];
}

/** The files under a local directory, as paths relative to it with `/`, sorted. */
function localFiles(dir: string, rel = ""): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(dir, rel), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const child = rel === "" ? entry.name : `${rel}/${entry.name}`;
    if (entry.isDirectory()) out.push(...localFiles(dir, child));
    else if (entry.isFile()) out.push(child);
  }
  return out;
}

/** An artifact root in S3. */
export class S3ArtifactRepository implements ArtifactRepository {
  readonly bucket: string;
  /** The root's key prefix (no leading or trailing `/`). */
  readonly prefix: string;
  private readonly store: S3ObjectStore;
  private readonly concurrency: number;

  constructor(readonly artifactUri: string, options: S3ArtifactRepositoryOptions = {}) {
    ({ bucket: this.bucket, prefix: this.prefix } = parseS3Uri(artifactUri));
    this.store = new S3ObjectStore(this.bucket, options.settings ?? s3SettingsFromEnv(), options);
    this.concurrency = Math.max(1, options.concurrency ?? 4);
  }

  private keyOf(rel: string): string {
    return joinKey(this.prefix, rel);
  }

  async logArtifact(localFile: string, artifactPath?: string): Promise<void> {
    if (!statSync(localFile, { throwIfNoEntry: false })?.isFile()) throw MlflowError.invalidParameterValue(`logArtifact: '${localFile}' is not a file.`);
    await this.store.uploadFile(this.keyOf(joinKey(validateArtifactPath(artifactPath ?? ""), basename(localFile))), localFile);
  }

  async logArtifacts(localDir: string, artifactPath?: string): Promise<void> {
    if (!statSync(localDir, { throwIfNoEntry: false })?.isDirectory()) throw MlflowError.invalidParameterValue(`logArtifacts: '${localDir}' is not a directory.`);
    const dir = validateArtifactPath(artifactPath ?? "");
    await forEachLimited(localFiles(localDir), this.concurrency, (rel) => this.store.uploadFile(this.keyOf(joinKey(dir, rel)), join(localDir, ...rel.split("/"))));
  }

  async listArtifacts(path?: string): Promise<FileInfo[]> {
    const rel = validateArtifactPath(path ?? "");
    const base = this.keyOf(rel);
    const listing = await this.store.list(base);
    const relative = (key: string): string => (this.prefix === "" ? key : key.slice(this.prefix.length + 1));
    return [
      ...listing.folders.map((k): FileInfo => ({ path: relative(k), isDir: true, fileSize: null })),
      ...listing.files.map((f): FileInfo => ({ path: relative(f.key), isDir: false, fileSize: f.size })),
    ].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  async downloadArtifacts(artifactPath: string, dstDir: string): Promise<string> {
    const rel = validateArtifactPath(artifactPath);
    const dst = rel === "" ? dstDir : join(dstDir, ...rel.split("/"));
    const base = this.keyOf(rel);
    const files = (await this.store.list(base, true)).files;
    if (files.length > 0 || rel === "") {
      makeDirs(dst);
      const start = base === "" ? 0 : base.length + 1;
      await forEachLimited(files, this.concurrency, (f) => this.store.downloadFile(f.key, join(dst, ...f.key.slice(start).split("/"))));
      return dst;
    }
    try {
      await this.store.downloadFile(base, dst);
    } catch (err) {
      if (err instanceof S3ArtifactError && err.kind === "no-key") {
        throw MlflowError.notFound(`Artifact '${rel}' does not exist under ${this.artifactUri} (no object or folder at s3://${this.bucket}/${base}).`);
      }
      throw err;
    }
    return dst;
  }

  /** Deletes the artifact at `artifactPath` (a file or a folder; the whole root when omitted). */
  async deleteArtifacts(artifactPath?: string): Promise<void> {
    const key = this.keyOf(validateArtifactPath(artifactPath ?? ""));
    if (key === "") throw MlflowError.invalidParameterValue(`Refusing to delete every object of bucket '${this.bucket}': ${this.artifactUri} is the bucket's root.`);
    await this.store.deleteTree(key);
  }
}
