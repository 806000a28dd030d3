/**
 * The AWS SDK for JavaScript v3, loaded only when an `s3://` URI is used, and its S3
 * client built from {@link S3Settings}; without a region there, the shared config's, else
 * us-east-1. Credentials are never passed: the SDK's default provider chain finds them
 * (environment, shared config or profile, SSO, web identity, container and EC2 instance
 * roles). The SDK's types stay in this module, so the public API does not need the SDK.
 */
import { createHash } from "node:crypto";
import { Agent as HttpsAgent } from "node:https";
import type { S3Client } from "@aws-sdk/client-s3";
import { MlflowError } from "../errors";
import type { S3Settings } from "./s3Settings";

/** The two SDK packages this project uses. */
export interface S3Sdk {
  readonly client: typeof import("@aws-sdk/client-s3");
  readonly storage: typeof import("@aws-sdk/lib-storage");
}

const PACKAGES = ["@aws-sdk/client-s3", "@aws-sdk/lib-storage"] as const;
let loading: Promise<S3Sdk> | null = null;

function missingSdk(pkg: string, err: unknown): MlflowError {
  return new MlflowError(
    `s3:// artifact locations need the AWS SDK for JavaScript v3, but '${pkg}' cannot be loaded (${(err as Error).message.split("\n")[0]}). ` +
      `Install it next to mlflow-demo-ts: npm install ${PACKAGES.join(" ")}`,
    "INTERNAL_ERROR",
  );
}

/** Loads the SDK on first use; a clear error naming the package when it is not installed. */
export function loadS3Sdk(): Promise<S3Sdk> {
  if (loading === null) {
    // The SDK warns on every process that Node 20 will be unsupported by releases after January 2027; the lockfile pins one that supports it.
    if (process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED === undefined) process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
    const load = async (): Promise<S3Sdk> => {
      let client: S3Sdk["client"];
      let storage: S3Sdk["storage"];
      try {
        client = await import("@aws-sdk/client-s3");
      } catch (err) {
        throw missingSdk(PACKAGES[0], err);
      }
      try {
        storage = await import("@aws-sdk/lib-storage");
      } catch (err) {
        throw missingSdk(PACKAGES[1], err);
      }
      return { client, storage };
    };
    loading = load().catch((err: unknown) => {
      loading = null; // let a later call retry once the package is installed
      throw err;
    });
  }
  return loading;
}

async function resolveRegion(sdk: S3Sdk, settings: S3Settings): Promise<string> {
  if (settings.region !== null) return settings.region;
  // The SDK's own chain (AWS_REGION, the profile in ~/.aws/config); boto3 falls back to us-east-1 for S3.
  const probe = new sdk.client.S3Client({});
  try {
    return await probe.config.region();
  } catch {
    return "us-east-1";
  } finally {
    probe.destroy();
  }
}

const clients = new Map<string, Promise<S3Client>>();

/** The part of the environment that selects credentials (so a changed identity gets a new client). */
function identityKey(): string {
  const e = process.env;
  const secret = createHash("sha256").update(`${e.AWS_SECRET_ACCESS_KEY ?? ""}\0${e.AWS_SESSION_TOKEN ?? ""}`).digest("hex");
  return [e.AWS_ACCESS_KEY_ID ?? "", secret, e.AWS_PROFILE ?? "", e.AWS_ROLE_ARN ?? ""].join("\0");
}

/** A shared S3 client for `settings` (one per settings and identity, so connections are reused). */
export function s3Client(sdk: S3Sdk, settings: S3Settings): Promise<S3Client> {
  const key = JSON.stringify(settings) + "\0" + identityKey();
  let client = clients.get(key);
  if (client === undefined) {
    client = (async () => {
      const region = await resolveRegion(sdk, settings);
      const thirdParty = settings.endpoint !== null;
      return new sdk.client.S3Client({
        region,
        ...(settings.endpoint === null ? {} : { endpoint: settings.endpoint }),
        forcePathStyle: settings.forcePathStyle,
        followRegionRedirects: true,
        // S3-compatible services often reject the SDK's newer default checksums (aws-chunked trailers); send them only where S3 requires them.
        ...(thirdParty && process.env.AWS_REQUEST_CHECKSUM_CALCULATION === undefined ? { requestChecksumCalculation: "WHEN_REQUIRED" as const } : {}),
        ...(thirdParty && process.env.AWS_RESPONSE_CHECKSUM_VALIDATION === undefined ? { responseChecksumValidation: "WHEN_REQUIRED" as const } : {}),
        requestHandler: {
          connectionTimeout: 10_000,
          ...(settings.ignoreTls ? { httpsAgent: new HttpsAgent({ keepAlive: true, rejectUnauthorized: false }) } : {}),
        },
      });
    })();
    clients.set(key, client);
    client.catch(() => clients.delete(key));
  }
  return client;
}
