/**
 * The S3 operations behind both the client's `s3://` artifact repository and the
 * server's S3 artifact storage: streamed uploads (one PUT up to the part size, multipart
 * above it through lib-storage's `Upload`, never the whole body in memory), downloads as
 * streams or into files (written beside the target and renamed, so a broken download
 * leaves no partial file), paginated listings, and deletes. An object exists only once
 * S3 has it whole: a PUT is atomic and a multipart upload is invisible until completed.
 */
import { createReadStream, createWriteStream, renameSync, rmSync, statSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { basename, dirname, join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { makeDirs } from "../../util/makeDirs";
import { describeS3Error, S3ArtifactError } from "./s3Errors";
import { s3Client } from "./s3Client";
import { loadS3Sdk, type S3ClientHandle, type S3Sdk } from "./s3Sdk";
import { s3SettingsFromEnv, type S3Settings } from "./s3Settings";
import { s3UriOf } from "./s3Location";
import { uploadArgsFor } from "./s3UploadArgs";

/** One object in a listing. */
export interface S3ObjectEntry {
  readonly key: string;
  readonly size: number;
}

/** A listing: objects, and the "folders" (common prefixes, without their trailing `/`). */
export interface S3Listing {
  readonly files: readonly S3ObjectEntry[];
  readonly folders: readonly string[];
}

/** Tuning of an {@link S3ObjectStore}. */
export interface S3ObjectStoreOptions {
  /** Part size of multipart uploads, and the size above which an upload is multipart (default 8 MiB, as boto3; S3's minimum is 5 MiB). */
  readonly partSize?: number;
  /** Parts uploaded at once (default 4). */
  readonly queueSize?: number;
  /** Keys per listing request (default and S3's maximum 1000). */
  readonly pageSize?: number;
}

/** The default part size and multipart threshold (boto3's `multipart_threshold` and `multipart_chunksize`). */
export const S3_PART_SIZE = 8 * 1024 * 1024;

/** One bucket, reached with the settings given (default: from the environment). */
export class S3ObjectStore {
  private readonly partSize: number;
  private readonly queueSize: number;
  private readonly pageSize: number;

  constructor(
    readonly bucket: string,
    readonly settings: S3Settings = s3SettingsFromEnv(),
    options: S3ObjectStoreOptions = {},
  ) {
    this.partSize = Math.max(5 * 1024 * 1024, options.partSize ?? S3_PART_SIZE);
    this.queueSize = options.queueSize ?? 4;
    this.pageSize = Math.min(1000, Math.max(1, options.pageSize ?? 1000));
  }

  private async connect(): Promise<{ sdk: S3Sdk; client: S3ClientHandle }> {
    const sdk = loadS3Sdk();
    return { sdk, client: await s3Client(sdk, this.settings) };
  }

  private failure(err: unknown, operation: string, key: string): S3ArtifactError {
    return describeS3Error(err, { operation, bucket: this.bucket, key, endpoint: this.settings.endpoint });
  }

  /**
   * Streams `body` to `key`, labelled as MLflow labels it (content type and encoding guessed
   * from the name, `MLFLOW_S3_UPLOAD_EXTRA_ARGS` over them). When `body` fails (a client that hangs up, a size limit),
   * the upload is abandoned and the error says so, with the body's error as its cause.
   */
  async upload(key: string, body: Readable | Buffer, contentLength?: number): Promise<void> {
    const { sdk, client } = await this.connect();
    let bodyError: unknown = null;
    if (body instanceof Readable) body.on("error", (err) => (bodyError ??= err));
    try {
      const upload = new sdk.storage.Upload({
        client,
        params: { ...uploadArgsFor(key, this.settings.uploadExtraArgs ?? {}), Bucket: this.bucket, Key: key, Body: body, ...(contentLength === undefined ? {} : { ContentLength: contentLength }) },
        partSize: this.partSize,
        queueSize: this.queueSize,
        leavePartsOnError: false,
      });
      await upload.done();
    } catch (err) {
      if (bodyError !== null) {
        throw new S3ArtifactError(
          `Upload to ${s3UriOf(this.bucket, key)} abandoned: its source failed (${(bodyError as Error).message}); no object was completed under that key.`,
          "interrupted",
          this.bucket,
          key,
          { cause: bodyError },
        );
      }
      const failure = this.failure(err, "uploading", key);
      failure.message += " No object was completed under that key.";
      throw failure;
    }
  }

  /** Uploads a local file (its size is known, so a short read is caught). */
  async uploadFile(key: string, localFile: string): Promise<void> {
    const size = statSync(localFile).size;
    await this.upload(key, createReadStream(localFile), size);
  }

  /** The object at `key` as a stream, with its size. */
  async download(key: string): Promise<{ stream: Readable; size: number }> {
    const { sdk, client } = await this.connect();
    try {
      const out = await client.send(new sdk.client.GetObjectCommand({ Bucket: this.bucket, Key: key }));
      if (!(out.Body instanceof Readable)) throw new Error("GetObject returned no stream body");
      return { stream: out.Body, size: out.ContentLength ?? 0 };
    } catch (err) {
      throw this.failure(err, "downloading", key);
    }
  }

  /** Downloads `key` into `localFile` (via a temporary file beside it, renamed once complete). */
  async downloadFile(key: string, localFile: string): Promise<void> {
    makeDirs(dirname(localFile));
    const { stream } = await this.download(key);
    const tmp = join(dirname(localFile), `.${basename(localFile)}.part-${randomBytes(4).toString("hex")}`);
    try {
      await pipeline(stream, createWriteStream(tmp, { flags: "wx" }));
      renameSync(tmp, localFile);
    } catch (err) {
      rmSync(tmp, { force: true });
      throw this.failure(err, "downloading", key);
    }
  }

  /**
   * Everything under `prefix/` (the bucket's root for ""), following continuation
   * tokens; with `recursive` false, one level: objects plus sub-folders.
   */
  async list(prefix: string, recursive = false): Promise<S3Listing> {
    const { sdk, client } = await this.connect();
    const full = prefix === "" ? "" : `${prefix}/`;
    const files: S3ObjectEntry[] = [];
    const folders: string[] = [];
    let token: string | undefined;
    try {
      do {
        const page = await client.send(
          new sdk.client.ListObjectsV2Command({
            Bucket: this.bucket,
            Prefix: full,
            ...(recursive ? {} : { Delimiter: "/" }),
            MaxKeys: this.pageSize,
            ...(token === undefined ? {} : { ContinuationToken: token }),
          }),
        );
        for (const o of page.Contents ?? []) {
          // Keys ending in "/" are the folder markers some consoles create, not files.
          if (o.Key !== undefined && o.Key.startsWith(full) && !o.Key.endsWith("/")) files.push({ key: o.Key, size: o.Size ?? 0 });
        }
        for (const p of page.CommonPrefixes ?? []) if (p.Prefix !== undefined && p.Prefix.startsWith(full)) folders.push(p.Prefix.replace(/\/+$/, ""));
        token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
      } while (token !== undefined);
    } catch (err) {
      throw this.failure(err, "listing", full);
    }
    return { files, folders };
  }

  /** One listing request of at most one key under `prefix/`: fails as listing would (missing bucket, credentials, network). */
  async probe(prefix: string): Promise<void> {
    const { sdk, client } = await this.connect();
    const full = prefix === "" ? "" : `${prefix}/`;
    try {
      await client.send(new sdk.client.ListObjectsV2Command({ Bucket: this.bucket, Prefix: full, MaxKeys: 1 }));
    } catch (err) {
      throw this.failure(err, "listing", full);
    }
  }

  /** Whether an object exists at `key` (false for a missing key; errors for anything else). */
  async exists(key: string): Promise<boolean> {
    const { sdk, client } = await this.connect();
    try {
      await client.send(new sdk.client.HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return true;
    } catch (err) {
      const failure = this.failure(err, "checking", key);
      if (failure.kind === "no-key") return false;
      throw failure;
    }
  }

  /** Deletes the object `key` and everything under `key/`; resolves to the number of objects deleted. */
  async deleteTree(key: string): Promise<number> {
    const { sdk, client } = await this.connect();
    const keys = (await this.list(key, true)).files.map((f) => f.key);
    if (key !== "" && (await this.exists(key))) keys.push(key);
    for (let i = 0; i < keys.length; i += 1000) {
      const batch = keys.slice(i, i + 1000);
      try {
        const out = await client.send(new sdk.client.DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: batch.map((k) => ({ Key: k })), Quiet: true } }));
        const failed = out.Errors?.[0];
        if (failed !== undefined) {
          throw this.failure(Object.assign(new Error(failed.Message ?? "delete failed"), { name: failed.Code ?? "Error" }), "deleting", failed.Key ?? key);
        }
      } catch (err) {
        throw this.failure(err, "deleting", key);
      }
    }
    return keys.length;
  }
}
