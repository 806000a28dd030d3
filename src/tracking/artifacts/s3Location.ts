/**
 * `s3://bucket/prefix` URIs as MLflow reads them (`urlparse`: the authority is the
 * bucket, the path without its leading `/` is the key prefix), and key joining with `/`.
 */
import { MlflowError } from "../errors";

/** A bucket and a key prefix (no leading or trailing `/`; empty for the bucket's root). */
export interface S3Location {
  readonly bucket: string;
  readonly prefix: string;
}

// S3's bucket naming rules (3-63 characters of lowercase letters, digits, dots and hyphens),
// plus the underscores and capitals that older buckets and S3-compatible services allow.
const BUCKET = /^[A-Za-z0-9][A-Za-z0-9._-]{1,61}[A-Za-z0-9]$/;

/** Parses `s3://bucket[/prefix]`; a clear INVALID_PARAMETER_VALUE for anything else. */
export function parseS3Uri(uri: string): S3Location {
  const m = /^s3:\/\/([^/?#]*)(\/[^?#]*)?$/i.exec(uri);
  if (m === null) throw MlflowError.invalidParameterValue(`Invalid S3 URI '${uri}': expected s3://BUCKET or s3://BUCKET/PREFIX.`);
  const bucket = m[1] as string;
  if (!BUCKET.test(bucket)) {
    throw MlflowError.invalidParameterValue(
      `Invalid S3 URI '${uri}': '${bucket}' is not a bucket name (3-63 letters, digits, dots or hyphens, starting and ending with a letter or digit).`,
    );
  }
  return { bucket, prefix: (m[2] ?? "").replace(/^\/+|\/+$/g, "") };
}

/** Joins key parts with `/`, skipping empty ones. */
export function joinKey(...parts: readonly string[]): string {
  return parts.filter((p) => p !== "").join("/");
}

/** `s3://bucket/key`, for messages. */
export function s3UriOf(bucket: string, key: string): string {
  return key === "" ? `s3://${bucket}` : `s3://${bucket}/${key}`;
}
