/**
 * The tracking server with its artifacts in S3 (s3rver on the loopback, started here),
 * on SQLite and on PostgreSQL, with auth on: proxied (`--artifacts-destination s3://...`,
 * clients hold no S3 credentials) and direct (`--no-serve-artifacts --default-artifact-root
 * s3://...`, clients write to S3 themselves, as the original project's command). What the
 * clients log is read back from S3 itself and compared by checksum; an upload cut off
 * halfway, a missing bucket and a denied key leave nothing listed.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { MlflowClient } from "../../src/tracking/client";
import { registerRestStores } from "../../src/tracking-rest/register";
import { S3ObjectStore } from "../../src/tracking/artifacts/s3ObjectStore";
import { s3SettingsFromEnv } from "../../src/tracking/artifacts/s3Settings";
import { startTrackingServer } from "../../src/server/app";
import { openServerStores } from "../../src/server/openServerStores";
import { checkArtifactLocations } from "../../src/server/checkArtifactLocations";
import { Stack, type S3Service } from "../../scripts/remote-stack.mjs";
import { postgresUnavailable, startTempPostgres, type TempPostgres } from "../server/postgres";
import { startServerProcess, type ServerProcess } from "../server/serverProcess";
import { startS3Front, type S3Front } from "./s3Front";
import { sha, treeSums } from "./files";
import { expectSameModel, logRunWithModel, s3Sums } from "./runs";

const MiB = 1024 * 1024;
const USER = { username: "ana", password: "s3cret-pw" };

const pgReason = postgresUnavailable();
if (pgReason !== null) console.warn(`SKIPPED S3 server tests on PostgreSQL: ${pgReason}`);
const backends = [{ name: "sqlite", skip: false }, { name: "postgres", skip: pgReason !== null }];

let stack: Stack;
let s3: S3Service;
let front: S3Front;
let pg: TempPostgres | null = null;
let dir: string;
let authPath: string;
const servers: ServerProcess[] = [];

beforeAll(async () => {
  registerRestStores();
  stack = new Stack({ log: null });
  s3 = await stack.s3(["artifacts"]);
  front = await startS3Front(s3.endpoint, "private/");
  Object.assign(process.env, s3.env, { MLFLOW_TRACKING_USERNAME: USER.username, MLFLOW_TRACKING_PASSWORD: USER.password });
  dir = mkdtempSync(join(tmpdir(), "s3-server-test-"));
  authPath = join(dir, "auth.json");
  writeFileSync(authPath, JSON.stringify({ users: [{ ...USER, permissions: { "*": "MANAGE" } }] }));
  if (pgReason === null) pg = await startTempPostgres();
});

afterAll(async () => {
  for (const s of servers) await s.stop();
  pg?.stop();
  await front?.close();
  await stack?.stop();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

function backendUri(backend: string, db: string): string {
  return backend === "sqlite" ? `sqlite:///${join(dir, `${db}.db`)}` : (pg as TempPostgres).createDatabase(db);
}

async function server(args: string[]): Promise<ServerProcess> {
  const s = await startServerProcess([...args, "--auth-config", authPath], s3.env);
  servers.push(s);
  return s;
}

const AUTH = { Authorization: `Basic ${Buffer.from(`${USER.username}:${USER.password}`).toString("base64")}` };

/**
 * The web UI's downloads of a run logged by {@link logRunWithModel}, checked against the
 * checksums of what sits in S3: `/get-artifact` (the artifact browser's previews) for a small
 * and a 9 MiB file, `/model-versions/get-artifact` (a version page's MLmodel), and the run's page.
 */
async function expectUiServesFromS3(url: string, runId: string, modelName: string, inS3: Record<string, string>, destinationPrefix: string): Promise<void> {
  const download = async (path: string): Promise<Buffer> => {
    const res = await fetch(url + path, { headers: AUTH });
    expect(res.status, path).toBe(200);
    return Buffer.from(await res.arrayBuffer());
  };
  expect((await download(`/get-artifact?run_uuid=${runId}&path=notes.txt`)).toString()).toBe("logged through mlflow-demo-ts\n");
  expect(sha(await download(`/get-artifact?run_uuid=${runId}&path=data/big.bin`))).toBe(inS3["data/big.bin"]);
  // The version's MLmodel wherever logModel put it (the run's model/, or an MLflow 3 logged model's folder), read from S3 itself.
  const source = await new MlflowClient(url).getModelVersionDownloadUri(modelName, 1);
  const proxied = /^mlflow-artifacts:\/(.*)$/.exec(source);
  const key = proxied !== null ? `${destinationPrefix}/${proxied[1]}` : source.replace(/^s3:\/\/artifacts\//, "");
  const mlmodel = (await s3Sums("artifacts", key))["MLmodel"];
  expect(mlmodel).toBeDefined();
  expect(sha(await download(`/model-versions/get-artifact?name=${modelName}&version=1&path=MLmodel`))).toBe(mlmodel);
  const missing = await fetch(`${url}/get-artifact?run_uuid=${runId}&path=data/none.txt`, { headers: AUTH });
  expect(missing.status).toBe(404);
  const page = await fetch(`${url}/runs/${runId}`, { headers: AUTH });
  expect(page.status).toBe(200);
  expect(page.headers.get("content-type")).toContain("text/html");
}

describe.each(backends)("tracking server on $name with artifacts in S3", ({ name, skip }) => {
  test.skipIf(skip)("proxied: runs get mlflow-artifacts: URIs, files land in S3 under the destination, and come back through the proxy", async () => {
    const prefix = `${name}-proxied`;
    const srv = await server(["--backend-store-uri", backendUri(name, `${name}_proxied`), "--artifacts-destination", `s3://artifacts/${prefix}`]);
    const client = new MlflowClient(srv.url);
    const { experimentId, runId, artifactUri, sums, model, loggedModel } = await logRunWithModel(client, dir, "proxied", `ridge_${name}_proxied`);
    expect(artifactUri).toBe(`mlflow-artifacts:/${experimentId}/${runId}/artifacts`);

    const inS3 = await s3Sums("artifacts", `${prefix}/${experimentId}/${runId}/artifacts`);
    for (const [rel, sum] of Object.entries(sums)) expect(inS3[rel], rel).toBe(sum);
    // On a server the model is an MLflow 3 logged model: its files sit in S3 under the experiment's models/<id>/artifacts.
    const modelId = loggedModel?.modelId as string;
    expect(loggedModel?.artifactLocation).toBe(`mlflow-artifacts:/${experimentId}/models/${modelId}/artifacts`);
    const modelInS3 = await s3Sums("artifacts", `${prefix}/${experimentId}/models/${modelId}/artifacts`);
    expect(Object.keys(modelInS3)).toEqual(expect.arrayContaining(["MLmodel", "estimator.json"]));

    expect((await client.listArtifacts(runId)).map((f) => [f.path, f.isDir])).toEqual([["data", true], ["notes.txt", false]]);
    expect(await client.listArtifacts(runId, "data")).toEqual([
      { path: "data/big.bin", isDir: false, fileSize: 9 * MiB },
      { path: "data/deep", isDir: true, fileSize: null },
    ]);
    const back = await client.downloadArtifacts(runId, "", join(dir, `${prefix}-back`));
    expect(treeSums(back)).toEqual(Object.fromEntries(Object.entries(inS3)));
    await expectSameModel(client, `ridge_${name}_proxied`, model);
    await expectUiServesFromS3(srv.url, runId, `ridge_${name}_proxied`, inS3, prefix);

    // The server's S3 credentials never reach a client.
    const runJson = await (await fetch(`${srv.url}/api/2.0/mlflow/runs/get?run_id=${runId}`, { headers: AUTH })).text();
    expect(runJson).not.toContain("S3RVER");
    expect(runJson).not.toContain(s3.endpoint);

    // An upload cut off halfway (the client hangs up after 10 of 16 MiB, once a first 8 MiB part has gone to S3) is never listed nor stored.
    const path = `${experimentId}/${runId}/artifacts/cut.bin`;
    await new Promise<void>((resolve) => {
      const req = request(`${srv.url}/api/2.0/mlflow-artifacts/artifacts/${path}`, {
        method: "PUT",
        headers: { "Content-Length": 16 * MiB, ...AUTH },
      });
      req.on("error", () => resolve());
      req.write(randomBytes(10 * MiB), () => setTimeout(() => {
        req.destroy();
        resolve();
      }, 500));
    });
    await new Promise((r) => setTimeout(r, 500));
    expect((await client.listArtifacts(runId)).map((f) => f.path)).not.toContain("cut.bin");
    expect(await new S3ObjectStore("artifacts", s3SettingsFromEnv()).exists(`${prefix}/${path}`)).toBe(false);

    // Deleting through the proxy deletes in S3.
    const del = await fetch(`${srv.url}/api/2.0/mlflow-artifacts/artifacts/${experimentId}/${runId}/artifacts/data`, {
      method: "DELETE",
      headers: AUTH,
    });
    expect(del.status).toBe(200);
    expect(Object.keys(await s3Sums("artifacts", `${prefix}/${experimentId}/${runId}/artifacts`)).some((k) => k.startsWith("data/"))).toBe(false);
  });

  test.skipIf(skip)("direct: --no-serve-artifacts --default-artifact-root s3://... gives runs s3:// URIs that clients write themselves; the server lists them", async () => {
    const prefix = `${name}-direct`;
    const srv = await server(["--backend-store-uri", backendUri(name, `${name}_direct`), "--no-serve-artifacts", "--default-artifact-root", `s3://artifacts/${prefix}`]);
    expect(srv.output()).toContain(`artifacts not proxied, default root s3://artifacts/${prefix}`);
    const client = new MlflowClient(srv.url);
    const { experimentId, runId, artifactUri, sums, model } = await logRunWithModel(client, dir, "direct", `ridge_${name}_direct`);
    expect(artifactUri).toBe(`s3://artifacts/${prefix}/${experimentId}/${runId}/artifacts`);
    const inS3 = await s3Sums("artifacts", `${prefix}/${experimentId}/${runId}/artifacts`);
    for (const [rel, sum] of Object.entries(sums)) expect(inS3[rel], rel).toBe(sum);

    // The REST listing is the server's own, from S3 with its credentials.
    const listed = (await (await fetch(`${srv.url}/api/2.0/mlflow/artifacts/list?run_id=${runId}&path=data`, { headers: AUTH })).json()) as { root_uri: string; files: unknown[] };
    expect(listed.root_uri).toBe(artifactUri);
    expect(listed.files).toEqual([
      { path: "data/big.bin", is_dir: false, file_size: 9 * MiB },
      { path: "data/deep", is_dir: true },
    ]);
    const proxy = await fetch(`${srv.url}/api/2.0/mlflow-artifacts/artifacts/${experimentId}`, { headers: AUTH });
    expect(proxy.status).toBe(503);
    const back = await client.downloadArtifacts(runId, "", join(dir, `${prefix}-back`));
    expect(treeSums(back)).toEqual(inS3);
    await expectSameModel(client, `ridge_${name}_direct`, model);
    await expectUiServesFromS3(srv.url, runId, `ridge_${name}_direct`, inS3, prefix);
  });
});

describe("S3 failures behind the proxy", () => {
  test("a missing bucket and a denied key: the client's error names bucket and key; nothing is listed; start-up warns", async () => {
    const saved = process.env.MLFLOW_S3_ENDPOINT_URL;
    process.env.MLFLOW_S3_ENDPOINT_URL = front.endpoint; // the front denies keys under private/
    const logged: string[] = [];
    const originalError = console.error;
    console.error = (...args: unknown[]) => void logged.push(args.join(" "));
    try {
      const warnings: string[] = [];
      expect(checkArtifactLocations({ destination: "s3://missing-bucket/x" }, (w) => warnings.push(w))).toBeNull();
      expect(checkArtifactLocations({ destination: "gs://bucket/x" }, () => undefined)).toMatch(/stores artifacts in a local folder, a file: URI or s3:\/\/BUCKET\/PREFIX/);
      expect(checkArtifactLocations({ destination: "./a", defaultRoot: "s3://-bad" }, () => undefined)).toMatch(/Invalid S3 URI/);
      for (let i = 0; i < 50 && warnings.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
      expect(warnings[0]).toContain("artifact location s3://missing-bucket/x: S3 bucket 'missing-bucket' does not exist");

      for (const [destination, expected] of [
        ["s3://missing-bucket/x", /S3 bucket 'missing-bucket' does not exist .*uploading s3:\/\/missing-bucket\/x\/1\/r\/artifacts\/f\.txt/],
        ["s3://artifacts/private/x", /Access denied uploading s3:\/\/artifacts\/private\/x\/1\/r\/artifacts\/f\.txt/],
      ] as const) {
        const stores = await openServerStores(`sqlite:///${join(dir, `fail-${destination.length}.db`)}`, destination, true);
        const srv = await startTrackingServer({ tracking: stores.tracking, registry: stores.registry, artifactsDestination: destination, auth: null }, "127.0.0.1", 0);
        try {
          const put = await fetch(`${srv.url}/api/2.0/mlflow-artifacts/artifacts/1/r/artifacts/f.txt`, { method: "PUT", body: "content" });
          const body = (await put.json()) as { message: string };
          expect(put.status).toBeGreaterThanOrEqual(400);
          expect(body.message).toMatch(expected);
          expect(body.message).not.toContain("S3RVER");
          const list = await fetch(`${srv.url}/api/2.0/mlflow-artifacts/artifacts?path=1/r/artifacts`);
          if (list.status === 200) expect(await list.json()).toEqual({});
          else expect(((await list.json()) as { message: string }).message).toMatch(/missing-bucket|Access denied/);
        } finally {
          await srv.close();
          await stores.close();
        }
      }
      expect(logged.some((l) => l.includes("[server] artifact storage: Access denied uploading"))).toBe(true);
    } finally {
      console.error = originalError;
      process.env.MLFLOW_S3_ENDPOINT_URL = saved;
    }
  });

  test("the upload limit holds for S3 too: 413 before anything is stored", async () => {
    const stores = await openServerStores(`sqlite:///${join(dir, "limit.db")}`, "s3://artifacts/limited", true);
    const srv = await startTrackingServer({ tracking: stores.tracking, registry: stores.registry, artifactsDestination: "s3://artifacts/limited", auth: null, maxUploadBytes: MiB }, "127.0.0.1", 0);
    try {
      const chunked = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let i = 0; i < 3; i++) controller.enqueue(new Uint8Array(randomBytes(MiB)));
          controller.close();
        },
      });
      const put = await fetch(`${srv.url}/api/2.0/mlflow-artifacts/artifacts/1/r/artifacts/too-big.bin`, { method: "PUT", body: chunked, duplex: "half" } as RequestInit);
      expect(put.status).toBe(413);
      expect(await new S3ObjectStore("artifacts", s3SettingsFromEnv()).exists("limited/1/r/artifacts/too-big.bin")).toBe(false);
    } finally {
      await srv.close();
      await stores.close();
    }
  });
});
