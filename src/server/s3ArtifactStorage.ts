/**
 * The server's artifacts in S3 (`--artifacts-destination s3://bucket/prefix`, or a
 * `--default-artifact-root s3://...` it lists): uploads stream from the client's request
 * to S3 (multipart above the part size), downloads stream back, and the server's own
 * credentials (the SDK's default chain: an instance role on EC2) never reach a client.
 */
import { Transform, type Readable, type TransformCallback } from "node:stream";
import { pipeline } from "node:stream";
import type { FileInfo } from "../tracking/entities";
import { MlflowError } from "../tracking/errors";
import { S3ArtifactError } from "../tracking/artifacts/s3Errors";
import { S3ObjectStore, type S3ObjectStoreOptions } from "../tracking/artifacts/s3ObjectStore";
import { joinKey, parseS3Uri } from "../tracking/artifacts/s3Location";
import { s3SettingsFromEnv, type S3Settings } from "../tracking/artifacts/s3Settings";
import type { ArtifactDownload, ArtifactStorage } from "./artifactStorageContract";
import { HttpError } from "./httpUtil";
import { safeSegments } from "./artifactStore";

function limitExceeded(limit: number): HttpError {
  return new HttpError(413, "REQUEST_LIMIT_EXCEEDED", `Artifact upload exceeds the server's limit of ${limit} bytes.`);
}

/** Passes bytes through, failing once more than `limit` have gone by. */
class ByteLimit extends Transform {
  private seen = 0;
  constructor(private readonly limit: number) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen > this.limit) done(limitExceeded(this.limit));
    else done(null, chunk);
  }
}

/** An S3 prefix as the server's {@link ArtifactStorage}. */
export class S3ArtifactStorage implements ArtifactStorage {
  readonly bucket: string;
  readonly prefix: string;
  private readonly store: S3ObjectStore;

  constructor(
    readonly location: string,
    readonly maxUploadBytes = 1024 ** 3,
    settings: S3Settings = s3SettingsFromEnv(),
    options: S3ObjectStoreOptions = {},
  ) {
    ({ bucket: this.bucket, prefix: this.prefix } = parseS3Uri(location));
    this.store = new S3ObjectStore(this.bucket, settings, options);
  }

  private keyOf(segments: readonly string[]): string {
    return joinKey(this.prefix, ...segments);
  }

  /** S3 failures other than a missing key are the operator's to fix: they go to the server's log as well as to the client. */
  private logged(err: unknown): unknown {
    if (err instanceof S3ArtifactError && err.kind !== "no-key" && err.kind !== "interrupted") console.error(`[server] artifact storage: ${err.message}`);
    return err;
  }

  async upload(segments: readonly string[], body: Readable, declaredLength: number | null): Promise<void> {
    if (segments.length === 0) throw MlflowError.invalidParameterValue("An artifact upload needs a file path.");
    if (declaredLength !== null && declaredLength > this.maxUploadBytes) {
      throw new HttpError(413, "REQUEST_LIMIT_EXCEEDED", `Artifact upload of ${declaredLength} bytes exceeds the server's limit of ${this.maxUploadBytes} bytes.`);
    }
    const limited = new ByteLimit(this.maxUploadBytes);
    pipeline(body, limited, () => undefined); // errors surface through `limited`, which the upload reads
    try {
      await this.store.upload(this.keyOf(segments), limited, declaredLength ?? undefined);
    } catch (err) {
      if (err instanceof S3ArtifactError && err.cause instanceof HttpError) throw err.cause;
      throw this.logged(err);
    }
  }

  async open(segments: readonly string[]): Promise<ArtifactDownload> {
    try {
      const { stream, size } = await this.store.download(this.keyOf(segments));
      return { stream, size, name: segments[segments.length - 1] ?? "" };
    } catch (err) {
      if (err instanceof S3ArtifactError && err.kind === "no-key") throw MlflowError.notFound(`File '${segments.join("/")}' does not exist.`);
      throw this.logged(err);
    }
  }

  async list(segments: readonly string[]): Promise<FileInfo[]> {
    let listing;
    try {
      listing = await this.store.list(this.keyOf(segments));
    } catch (err) {
      throw this.logged(err);
    }
    const relative = (key: string): string => (this.prefix === "" ? key : key.slice(this.prefix.length + 1));
    return [
      ...listing.folders.map((k): FileInfo => ({ path: relative(k), isDir: true, fileSize: null })),
      ...listing.files.map((f): FileInfo => ({ path: relative(f.key), isDir: false, fileSize: f.size })),
    ].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  async delete(segments: readonly string[]): Promise<void> {
    if (segments.length === 0) throw MlflowError.invalidParameterValue("Refusing to delete the artifact root.");
    try {
      await this.store.deleteTree(this.keyOf(segments));
    } catch (err) {
      throw this.logged(err);
    }
  }

  segmentsOfUri(uri: string): string[] | null {
    if (!/^s3:/i.test(uri)) return null;
    let parsed;
    try {
      parsed = parseS3Uri(uri);
    } catch {
      return null;
    }
    if (parsed.bucket !== this.bucket) return null;
    if (this.prefix !== "" && parsed.prefix !== this.prefix && !parsed.prefix.startsWith(this.prefix + "/")) return null;
    const rest = this.prefix === "" ? parsed.prefix : parsed.prefix.slice(this.prefix.length);
    return safeSegments(rest.replace(/^\/+/, ""));
  }

  /** Lists one key under the prefix, to report a missing bucket or bad credentials at start-up rather than at the first upload. */
  async check(): Promise<void> {
    await this.store.probe(this.prefix);
  }
}
