/**
 * The S3 client of the AWS SDK for JavaScript v3 (loaded by `./s3Sdk` only when an `s3://`
 * URI is used), built from {@link S3Settings}; without a region there, the shared config's,
 * else us-east-1. Credentials are never passed: the SDK's default provider chain finds them
 * (environment, shared config or profile, SSO, web identity, container and EC2 instance roles).
 */
import { createHash } from "node:crypto";
import { Agent as HttpsAgent } from "node:https";
import type { S3ClientHandle, S3Sdk } from "./s3Sdk";
import type { S3Settings } from "./s3Settings";

async function resolveRegion(sdk: S3Sdk, settings: S3Settings): Promise<string> {
  if (settings.region !== null) return settings.region;
  // The SDK's own chain (AWS_REGION, the profile in ~/.aws/config); boto3 falls back to us-east-1 for S3.
  const probe = new sdk.client.S3Client({});
  try {
    return (await probe.config.region()) ?? "us-east-1";
  } catch {
    return "us-east-1";
  } finally {
    probe.destroy();
  }
}

const clients = new Map<string, Promise<S3ClientHandle>>();

/** The part of the environment that selects credentials (so a changed identity gets a new client). */
function identityKey(): string {
  const e = process.env;
  const secret = createHash("sha256").update(`${e.AWS_SECRET_ACCESS_KEY ?? ""}\0${e.AWS_SESSION_TOKEN ?? ""}`).digest("hex");
  return [e.AWS_ACCESS_KEY_ID ?? "", secret, e.AWS_PROFILE ?? "", e.AWS_ROLE_ARN ?? ""].join("\0");
}

/** A shared S3 client for `settings` (one per settings and identity, so connections are reused). */
export function s3Client(sdk: S3Sdk, settings: S3Settings): Promise<S3ClientHandle> {
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
