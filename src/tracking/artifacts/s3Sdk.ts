/**
 * The AWS SDK for JavaScript v3 as this project uses it: `@aws-sdk/client-s3` and
 * `@aws-sdk/lib-storage` are optional peer dependencies (issue 22), loaded through
 * `requireOptional` only when an `s3://` location is used. The interfaces below are our own
 * view of the few SDK calls we make, so that no declaration of this package names the SDK's
 * types and a consumer without the SDK type-checks cleanly; `tests/s3/sdkShape.test.ts`
 * checks that the real SDK fits them.
 */
import type { Readable } from "node:stream";
import type { Agent as HttpsAgent } from "node:https";
import { requireOptional } from "../../util/optionalDependency";

/** A request built by one of the SDK's command classes; `Output` is what sending it resolves to. */
export interface S3Command<Output> {
  readonly input: object;
  /** Never set: carries the command's output type to {@link S3ClientHandle.send}. */
  readonly outputType?: Output;
}

/** A command class of `@aws-sdk/client-s3`, e.g. `GetObjectCommand`. */
export type S3CommandClass<Input, Output> = new (input: Input) => S3Command<Output>;

/** The options of `new S3Client(...)` that we set. */
export interface S3ClientOptions {
  readonly region?: string;
  readonly endpoint?: string;
  readonly forcePathStyle?: boolean;
  readonly followRegionRedirects?: boolean;
  readonly requestChecksumCalculation?: "WHEN_SUPPORTED" | "WHEN_REQUIRED";
  readonly responseChecksumValidation?: "WHEN_SUPPORTED" | "WHEN_REQUIRED";
  readonly requestHandler?: { readonly connectionTimeout?: number; readonly httpsAgent?: HttpsAgent };
}

/** An `S3Client` of the SDK. */
export interface S3ClientHandle {
  send<Output>(command: S3Command<Output>): Promise<Output>;
  destroy(): void;
  readonly config: { region(): Promise<string | undefined> };
}

/** `{Bucket, Key}`: one object. */
export interface S3ObjectInput {
  readonly Bucket: string;
  readonly Key: string;
}

/** What `ListObjectsV2Command` takes. */
export interface S3ListInput {
  readonly Bucket: string;
  readonly Prefix?: string;
  readonly Delimiter?: string;
  readonly MaxKeys?: number;
  readonly ContinuationToken?: string;
}

/** One page of `ListObjectsV2Command`. */
export interface S3ListOutput {
  readonly Contents?: ReadonlyArray<{ readonly Key?: string; readonly Size?: number }>;
  readonly CommonPrefixes?: ReadonlyArray<{ readonly Prefix?: string }>;
  readonly IsTruncated?: boolean;
  readonly NextContinuationToken?: string;
}

/** What `DeleteObjectsCommand` takes. */
export interface S3DeleteInput {
  readonly Bucket: string;
  readonly Delete: { readonly Objects: Array<{ readonly Key: string }>; readonly Quiet?: boolean };
}

/** The keys `DeleteObjectsCommand` could not delete. */
export interface S3DeleteOutput {
  readonly Errors?: ReadonlyArray<{ readonly Key?: string; readonly Code?: string; readonly Message?: string }>;
}

/** The part of `@aws-sdk/client-s3` that we use. */
export interface S3ClientModule {
  readonly S3Client: new (options: S3ClientOptions) => S3ClientHandle;
  readonly GetObjectCommand: S3CommandClass<S3ObjectInput, { readonly Body?: unknown; readonly ContentLength?: number }>;
  readonly HeadObjectCommand: S3CommandClass<S3ObjectInput, object>;
  readonly ListObjectsV2Command: S3CommandClass<S3ListInput, S3ListOutput>;
  readonly DeleteObjectsCommand: S3CommandClass<S3DeleteInput, S3DeleteOutput>;
}

/** What lib-storage's `Upload` takes. */
export interface S3UploadOptions {
  readonly client: S3ClientHandle;
  /** PutObject's parameters: these, plus labels such as `ContentType`, `Metadata` or `ServerSideEncryption`. */
  readonly params: { readonly Bucket: string; readonly Key: string; readonly Body: Readable | Buffer; readonly ContentLength?: number } & Readonly<Record<string, unknown>>;
  readonly partSize?: number;
  readonly queueSize?: number;
  readonly leavePartsOnError?: boolean;
}

/** The part of `@aws-sdk/lib-storage` that we use: `Upload` (one PUT, or multipart above the part size). */
export interface S3StorageModule {
  readonly Upload: new (options: S3UploadOptions) => { done(): Promise<unknown> };
}

/** The two SDK packages this project uses. */
export interface S3Sdk {
  readonly client: S3ClientModule;
  readonly storage: S3StorageModule;
}

/** The SDK's packages, installed together. */
export const S3_SDK_PACKAGES = ["@aws-sdk/client-s3", "@aws-sdk/lib-storage"] as const;
const PURPOSE = "An s3:// artifact location (the AWS SDK for JavaScript v3)";

let sdk: S3Sdk | null = null;

/**
 * The SDK, loaded on first use. When either package is missing, a `MissingDependencyError`
 * names it, with the `npm install` line that adds both (lib-storage needs client-s3 at the same
 * version).
 */
export function loadS3Sdk(): S3Sdk {
  if (sdk !== null) return sdk;
  // The SDK warns on every process that Node 20 will be unsupported by releases after January 2027; the lockfile pins one that supports it.
  if (process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED === undefined) process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
  const client = requireOptional<S3ClientModule>("@aws-sdk/client-s3", PURPOSE, S3_SDK_PACKAGES);
  const storage = requireOptional<S3StorageModule>("@aws-sdk/lib-storage", PURPOSE, S3_SDK_PACKAGES);
  sdk = { client, storage };
  return sdk;
}
