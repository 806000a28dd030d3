/**
 * How to reach S3, read from the environment as MLflow configures boto3:
 * `MLFLOW_S3_ENDPOINT_URL` (an S3-compatible service), `MLFLOW_S3_IGNORE_TLS`,
 * `MLFLOW_BOTO_CLIENT_ADDRESSING_STYLE`, `MLFLOW_S3_UPLOAD_EXTRA_ARGS`, and the region from
 * `AWS_REGION` or `AWS_DEFAULT_REGION`.
 */
import { MlflowError } from "../errors";
import { parseUploadExtraArgs, type S3UploadExtraArgs } from "./s3UploadArgs";

/** How to reach S3, read from the environment by {@link s3SettingsFromEnv}. */
export interface S3Settings {
  /** `MLFLOW_S3_ENDPOINT_URL`: an S3-compatible service; null for AWS. */
  readonly endpoint: string | null;
  /** `MLFLOW_S3_IGNORE_TLS`: do not verify the endpoint's TLS certificate. */
  readonly ignoreTls: boolean;
  /** `AWS_REGION`, else `AWS_DEFAULT_REGION`; null lets the shared config decide (else us-east-1). */
  readonly region: string | null;
  /** Path-style requests (`endpoint/bucket/key`) instead of virtual-hosted ones (`bucket.endpoint/key`). */
  readonly forcePathStyle: boolean;
  /** `MLFLOW_S3_UPLOAD_EXTRA_ARGS`: PutObject parameters added to every upload (none when absent). */
  readonly uploadExtraArgs?: S3UploadExtraArgs;
}

/** MLflow's boolean environment variables: true/false/1/0, any case. */
function envFlag(env: NodeJS.ProcessEnv, name: string): boolean {
  const value = env[name];
  if (value === undefined || value === "") return false;
  const lower = value.toLowerCase();
  if (lower === "true" || lower === "1") return true;
  if (lower === "false" || lower === "0") return false;
  throw MlflowError.invalidParameterValue(`${name} value must be one of ['true', 'false', '1', '0'] (case-insensitive), but got '${value}'.`);
}

/** The S3 settings in `env` (default: this process's environment). */
export function s3SettingsFromEnv(env: NodeJS.ProcessEnv = process.env): S3Settings {
  const endpoint = env.MLFLOW_S3_ENDPOINT_URL === undefined || env.MLFLOW_S3_ENDPOINT_URL === "" ? null : env.MLFLOW_S3_ENDPOINT_URL;
  if (endpoint !== null && !/^https?:\/\/[^/]/i.test(endpoint)) {
    throw MlflowError.invalidParameterValue(`MLFLOW_S3_ENDPOINT_URL must be an http:// or https:// URL, got '${endpoint}'.`);
  }
  const style = (env.MLFLOW_BOTO_CLIENT_ADDRESSING_STYLE ?? "auto").toLowerCase();
  if (style !== "auto" && style !== "path" && style !== "virtual") {
    throw MlflowError.invalidParameterValue(`MLFLOW_BOTO_CLIENT_ADDRESSING_STYLE must be auto, path or virtual, got '${env.MLFLOW_BOTO_CLIENT_ADDRESSING_STYLE}'.`);
  }
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION || null;
  // boto3's "auto" picks path style for custom endpoints (an IP address or a single host cannot take bucket subdomains).
  return {
    endpoint,
    ignoreTls: envFlag(env, "MLFLOW_S3_IGNORE_TLS"),
    region,
    forcePathStyle: style === "path" || (style === "auto" && endpoint !== null),
    uploadExtraArgs: parseUploadExtraArgs(env.MLFLOW_S3_UPLOAD_EXTRA_ARGS),
  };
}

