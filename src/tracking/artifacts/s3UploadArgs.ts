/**
 * `MLFLOW_S3_UPLOAD_EXTRA_ARGS`: a JSON object of PutObject parameters that MLflow adds to
 * every S3 upload (boto3's `ExtraArgs`, e.g. `{"ServerSideEncryption": "aws:kms",
 * "SSEKMSKeyId": "..."}`), after the content type and encoding guessed from the file name.
 */
import { MlflowError } from "../errors";
import { guessMimeType } from "./mimeTypes";

/** The variable's name, for messages. */
const VARIABLE = "MLFLOW_S3_UPLOAD_EXTRA_ARGS";

/** boto3's upload arguments (s3transfer's `ALLOWED_UPLOAD_ARGS`) that apply to every object; its per-object checksum values do not. */
const ALLOWED = [
  "ACL", "CacheControl", "ChecksumAlgorithm", "ContentDisposition", "ContentEncoding", "ContentLanguage", "ContentType",
  "ExpectedBucketOwner", "Expires", "GrantFullControl", "GrantRead", "GrantReadACP", "GrantWriteACP", "Metadata",
  "ObjectLockLegalHoldStatus", "ObjectLockMode", "ObjectLockRetainUntilDate", "RequestPayer", "ServerSideEncryption",
  "StorageClass", "SSECustomerAlgorithm", "SSECustomerKey", "SSECustomerKeyMD5", "SSEKMSKeyId", "SSEKMSEncryptionContext",
  "Tagging", "WebsiteRedirectLocation",
] as const;

/** The arguments that carry a date (the SDK wants a `Date`, JSON gives a string). */
const DATES = new Set(["Expires", "ObjectLockRetainUntilDate"]);

/** PutObject parameters added to uploads: strings, dates, and `Metadata`'s string map. */
export type S3UploadExtraArgs = Readonly<Record<string, string | Date | Readonly<Record<string, string>>>>;

/** Parses the variable's value (unset or empty: no extra arguments); errors name the variable and the key. */
export function parseUploadExtraArgs(value: string | undefined): S3UploadExtraArgs {
  if (value === undefined || value === "") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (err) {
    throw MlflowError.invalidParameterValue(`${VARIABLE} is not valid JSON (${(err as Error).message}): '${value}'.`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw MlflowError.invalidParameterValue(`${VARIABLE} must be a JSON object of upload arguments, got '${value}'.`);
  const args: Record<string, string | Date | Readonly<Record<string, string>>> = {};
  for (const [key, v] of Object.entries(parsed)) {
    if (!(ALLOWED as readonly string[]).includes(key)) throw MlflowError.invalidParameterValue(`${VARIABLE}: invalid upload argument '${key}', must be one of: ${ALLOWED.join(", ")}.`);
    if (key === "Metadata") {
      if (typeof v !== "object" || v === null || Array.isArray(v) || !Object.values(v).every((x) => typeof x === "string")) {
        throw MlflowError.invalidParameterValue(`${VARIABLE}: 'Metadata' must be an object of strings, got ${JSON.stringify(v)}.`);
      }
      args[key] = v as Record<string, string>;
    } else if (typeof v !== "string") {
      throw MlflowError.invalidParameterValue(`${VARIABLE}: '${key}' must be a string, got ${JSON.stringify(v)}.`);
    } else if (DATES.has(key)) {
      const date = new Date(v);
      if (Number.isNaN(date.getTime())) throw MlflowError.invalidParameterValue(`${VARIABLE}: '${key}' must be a date, got '${v}'.`);
      args[key] = date;
    } else {
      args[key] = v;
    }
  }
  return args;
}

/** What MLflow's S3 repository sends with the object at `key`: the guessed type and encoding, then the extra arguments over them. */
export function uploadArgsFor(key: string, extra: S3UploadExtraArgs): S3UploadExtraArgs {
  const guess = guessMimeType(key.slice(key.lastIndexOf("/") + 1));
  // boto3 sends no type when Python guesses none and S3 then stores its default, binary/octet-stream;
  // the JavaScript SDK would send application/octet-stream, so the default is named here.
  return { ContentType: guess.type ?? "binary/octet-stream", ...(guess.encoding === null ? {} : { ContentEncoding: guess.encoding }), ...extra };
}
