/**
 * S3 failures as a user can act on them: a missing bucket or key, an access denial,
 * rejected or missing credentials, an unreachable endpoint, a TLS failure, or an upload
 * whose source broke off; each message names the bucket and key and what to check.
 */
import { MlflowError } from "../errors";
import { s3UriOf } from "./s3Location";

/** What went wrong, for callers that react to it. */
export type S3FailureKind = "no-bucket" | "no-key" | "denied" | "credentials" | "network" | "tls" | "interrupted" | "other";

/** An S3 operation that failed, with the bucket and key it was about. */
export class S3ArtifactError extends MlflowError {
  override name = "S3ArtifactError";

  constructor(
    message: string,
    readonly kind: S3FailureKind,
    readonly bucket: string,
    readonly key: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, kind === "no-bucket" || kind === "no-key" ? "RESOURCE_DOES_NOT_EXIST" : "INTERNAL_ERROR");
    if (options.cause !== undefined) this.cause = options.cause;
  }
}

/** Where the failure happened. */
export interface S3ErrorContext {
  /** What was being done, e.g. "uploading", "downloading", "listing", "deleting". */
  readonly operation: string;
  readonly bucket: string;
  readonly key: string;
  /** The custom endpoint, when not AWS. */
  readonly endpoint: string | null;
}

const CREDENTIAL_ERRORS = new Set(["InvalidAccessKeyId", "SignatureDoesNotMatch", "ExpiredToken", "InvalidToken", "TokenRefreshRequired", "UnrecognizedClientException", "InvalidClientTokenId"]);
const NETWORK_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT", "ECONNRESET", "EHOSTUNREACH", "ENETUNREACH", "EPIPE", "ECONNABORTED"]);
const TLS_CODES = new Set([
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_HAS_EXPIRED",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);

interface SdkLikeError {
  name?: string;
  code?: string;
  message?: string;
  cause?: unknown;
  errors?: unknown[];
  $metadata?: { httpStatusCode?: number };
}

/** The system error code of a network failure, looking into causes and AggregateErrors. */
function systemCode(err: unknown, depth = 0): string | null {
  if (err === null || typeof err !== "object" || depth > 4) return null;
  const e = err as SdkLikeError;
  if (typeof e.code === "string" && (NETWORK_CODES.has(e.code) || TLS_CODES.has(e.code))) return e.code;
  if (e.name === "TimeoutError") return "ETIMEDOUT";
  for (const inner of [e.cause, ...(Array.isArray(e.errors) ? e.errors : [])]) {
    const code = systemCode(inner, depth + 1);
    if (code !== null) return code;
  }
  return null;
}

/** Turns an SDK or network error into an {@link S3ArtifactError} naming the bucket and key. */
export function describeS3Error(err: unknown, ctx: S3ErrorContext): S3ArtifactError {
  if (err instanceof S3ArtifactError) return err;
  const e = (err ?? {}) as SdkLikeError;
  const name = e.name ?? "Error";
  const detail = `${name}: ${(e.message ?? String(err)).split("\n")[0]}`;
  const where = s3UriOf(ctx.bucket, ctx.key);
  const at = ctx.endpoint === null ? "" : ` at ${ctx.endpoint}`;
  const status = e.$metadata?.httpStatusCode;
  const make = (kind: S3FailureKind, message: string): S3ArtifactError => new S3ArtifactError(message, kind, ctx.bucket, ctx.key, { cause: err });

  if (name === "NoSuchBucket") {
    return make("no-bucket", `S3 bucket '${ctx.bucket}' does not exist${at} (${ctx.operation} ${where}). Create the bucket or correct the artifact location.`);
  }
  if (name === "NoSuchKey" || (name === "NotFound" && status === 404)) {
    return make("no-key", `No S3 object ${where}${at} (${ctx.operation}): the key does not exist in bucket '${ctx.bucket}'.`);
  }
  if (CREDENTIAL_ERRORS.has(name)) {
    return make(
      "credentials",
      `S3${at} rejected the AWS credentials while ${ctx.operation} ${where} (${detail}). ` +
        `Check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE, or the instance role.`,
    );
  }
  if (name === "CredentialsProviderError") {
    return make(
      "credentials",
      `No AWS credentials found for ${ctx.operation} ${where} (${detail}). ` +
        `Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, choose a profile with AWS_PROFILE, or run with an EC2 instance role.`,
    );
  }
  if (name === "AccessDenied" || name === "AllAccessDisabled" || name === "Forbidden" || status === 403) {
    return make(
      "denied",
      `Access denied ${ctx.operation} ${where}${at} (${detail}): the AWS identity in use may not do this on bucket '${ctx.bucket}', key '${ctx.key}'. ` +
        `Check the IAM policy of the user or instance role and the bucket policy (S3 also answers AccessDenied for a missing key when the identity may not list the bucket).`,
    );
  }
  const code = systemCode(err);
  if (code !== null && TLS_CODES.has(code)) {
    return make(
      "tls",
      `TLS verification of the S3 endpoint${at} failed while ${ctx.operation} ${where} (${code}). ` +
        `For an S3-compatible service with a self-signed certificate you trust, set MLFLOW_S3_IGNORE_TLS=true.`,
    );
  }
  if (code !== null) {
    return make(
      "network",
      `Cannot reach S3${at} while ${ctx.operation} ${where} (${code}). ` +
        `Check the network${ctx.endpoint === null ? " and the region" : " and MLFLOW_S3_ENDPOINT_URL"}.`,
    );
  }
  return make("other", `S3 failed while ${ctx.operation} ${where}${at}: ${detail}${status === undefined ? "" : ` (HTTP ${status})`}.`);
}
