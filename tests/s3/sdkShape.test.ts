/**
 * Our own view of the AWS SDK (`src/tracking/artifacts/s3Sdk.ts`, so that no declaration of the
 * package names the SDK's types) against the installed SDK: the compiler checks, in `npm run
 * typecheck`, that every input we build is one the SDK accepts and every output we read is one the
 * SDK returns; the test checks that `loadS3Sdk` hands out the SDK's own classes.
 */
import * as clientS3 from "@aws-sdk/client-s3";
import * as libStorage from "@aws-sdk/lib-storage";
import { describe, expect, test } from "vitest";
import {
  loadS3Sdk,
  S3_SDK_PACKAGES,
  type S3ClientOptions,
  type S3DeleteInput,
  type S3DeleteOutput,
  type S3ListInput,
  type S3ListOutput,
  type S3ObjectInput,
  type S3UploadOptions,
} from "../../src/tracking/artifacts/s3Sdk";

/** Compiles only when `Sub` is assignable to `Super`. */
type Fits<Sub extends Super, Super> = [Sub, Super];

// What we send: our inputs are inputs the SDK takes.
export type ShapeChecks = [
  Fits<S3ClientOptions, clientS3.S3ClientConfig>,
  Fits<S3ObjectInput, clientS3.GetObjectCommandInput>,
  Fits<S3ObjectInput, clientS3.HeadObjectCommandInput>,
  Fits<S3ListInput, clientS3.ListObjectsV2CommandInput>,
  Fits<S3DeleteInput, clientS3.DeleteObjectsCommandInput>,
  Fits<Omit<S3UploadOptions, "client">, Omit<ConstructorParameters<typeof libStorage.Upload>[0], "client">>,
  // What we read: the SDK's outputs are what we expect.
  Fits<clientS3.ListObjectsV2CommandOutput, S3ListOutput>,
  Fits<clientS3.DeleteObjectsCommandOutput, S3DeleteOutput>,
  Fits<clientS3.GetObjectCommandOutput, { Body?: unknown; ContentLength?: number }>,
  Fits<Awaited<ReturnType<clientS3.S3Client["config"]["region"]>>, string | undefined>,
];

describe("the AWS SDK through our own interfaces", () => {
  test("loadS3Sdk loads the installed SDK packages, the two our package.json declares as optional peers", () => {
    const sdk = loadS3Sdk();
    expect(sdk.client.S3Client).toBe(clientS3.S3Client);
    expect(sdk.client.GetObjectCommand).toBe(clientS3.GetObjectCommand);
    expect(sdk.client.HeadObjectCommand).toBe(clientS3.HeadObjectCommand);
    expect(sdk.client.ListObjectsV2Command).toBe(clientS3.ListObjectsV2Command);
    expect(sdk.client.DeleteObjectsCommand).toBe(clientS3.DeleteObjectsCommand);
    expect(sdk.storage.Upload).toBe(libStorage.Upload);
    expect([...S3_SDK_PACKAGES]).toEqual(["@aws-sdk/client-s3", "@aws-sdk/lib-storage"]);
  });

  test("a command built through our view carries the input we gave", () => {
    const { client } = loadS3Sdk();
    const input: S3ListInput = { Bucket: "b", Prefix: "p/", Delimiter: "/", MaxKeys: 7 };
    expect(new client.ListObjectsV2Command(input).input).toEqual(input);
  });
});
