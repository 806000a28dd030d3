/**
 * Artifact paths that try to leave the artifact root (`..`, percent-encoded and double
 * encoded dots, absolute paths, symlinks), request size limits, and auth (basic and
 * bearer, READ vs WRITE per experiment) against a real server on 127.0.0.1.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTrackingServer, type RunningServer } from "../../src/server/app";
import { openServerStores, type ServerStores } from "../../src/server/openServerStores";
import { ServerArtifactStore } from "../../src/server/artifactStore";
import type { AuthConfig } from "../../src/server/auth";
import { RestStore } from "../../src/tracking-rest/restStore";
import { createUiPages } from "../../src/server/ui/pages";

/** Sends a request with the path exactly as written (fetch would normalise `..`). */
function rawRequest(url: string, method: string, path: string, body?: Buffer, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, method, path, headers: body === undefined ? headers : { ...headers, "Content-Length": String(body.length) } }, (res) => {
      let text = "";
      res.on("data", (d: Buffer) => (text += d.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on("error", (err) => (err.message.includes("EPIPE") || err.message.includes("ECONNRESET") ? resolve({ status: 413, body: "" }) : reject(err)));
    req.end(body);
  });
}

async function openServer(dir: string, auth: AuthConfig | null, extra: { maxBodyBytes?: number; maxUploadBytes?: number } = {}): Promise<{ server: RunningServer; stores: ServerStores }> {
  const stores = await openServerStores(`sqlite:///${join(dir, "db.sqlite")}`, join(dir, "artifacts"), true);
  const server = await startTrackingServer(
    { tracking: stores.tracking, registry: stores.registry, artifactsDestination: join(dir, "artifacts"), auth, pages: createUiPages(), ...extra },
    "127.0.0.1",
    0,
  );
  return { server, stores };
}

describe("artifact root confinement and limits", () => {
  let dir: string;
  let srv: { server: RunningServer; stores: ServerStores };
  const A = "/api/2.0/mlflow-artifacts/artifacts";

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "server-security-"));
    mkdirSync(join(dir, "outside"));
    writeFileSync(join(dir, "outside", "secret.txt"), "secret");
    srv = await openServer(dir, null, { maxBodyBytes: 4096, maxUploadBytes: 64 * 1024 });
    mkdirSync(join(dir, "artifacts", "1"), { recursive: true });
    symlinkSync(join(dir, "outside"), join(dir, "artifacts", "1", "link"));
  });
  afterAll(async () => {
    await srv?.server.close();
    await srv?.stores.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("stores and serves a normal file", async () => {
    expect((await rawRequest(srv.server.url, "PUT", `${A}/1/run/artifacts/a%20b.txt`, Buffer.from("ok"))).status).toBe(200);
    expect(await rawRequest(srv.server.url, "GET", `${A}/1/run/artifacts/a%20b.txt`)).toEqual({ status: 200, body: "ok" });
  });

  const escapes = [
    `${A}/1/../../outside/secret.txt`,
    `${A}/1/%2e%2e/%2e%2e/outside/secret.txt`,
    `${A}/1/%2E%2E%2F%2E%2E%2Foutside/secret.txt`,
    `${A}/1/%252e%252e/%252e%252e/outside/secret.txt`,
    `${A}/%2Fetc%2Fpasswd`,
    `${A}//etc/passwd`,
    `${A}/1/..%5c..%5coutside/secret.txt`,
    `${A}/1/link/secret.txt`,
  ];
  for (const path of escapes) {
    it(`refuses to read or write ${path}`, async () => {
      const read = await rawRequest(srv.server.url, "GET", path);
      expect(read.status).toBe(400);
      expect(JSON.parse(read.body).error_code).toBe("INVALID_PARAMETER_VALUE");
      expect(read.body).not.toContain("secret\"");
      const write = await rawRequest(srv.server.url, "PUT", path.replace("secret.txt", "planted.txt").replace("passwd", "planted"), Buffer.from("x"));
      expect(write.status).toBe(400);
      expect(existsSync(join(dir, "outside", "planted.txt"))).toBe(false);
    });
  }

  it("refuses listings outside the root", async () => {
    for (const p of ["..", "1/link", "/etc", "1/%2e%2e"]) {
      const r = await rawRequest(srv.server.url, "GET", `${A}?path=${encodeURIComponent(p)}`);
      expect(r.status, p).toBe(400);
    }
  });

  it("never reads local paths outside its artifact root, whatever artifact_location an experiment names", async () => {
    const store = new RestStore(srv.server.url);
    const exp = await store.createExperiment("points-at-root", `file://${dir}/outside`);
    const run = await store.createRun({ experimentId: exp, userId: "u", startTime: 1, tags: [] });
    const list = await rawRequest(srv.server.url, "GET", `/api/2.0/mlflow/artifacts/list?run_id=${run.info.runId}`);
    expect(list.status).toBe(400);
    expect(list.body).not.toContain("secret.txt");
    const get = await rawRequest(srv.server.url, "GET", `/get-artifact?run_id=${run.info.runId}&path=../secret.txt`);
    expect(get.status).toBe(400);
    const get2 = await rawRequest(srv.server.url, "GET", `/get-artifact?run_id=${run.info.runId}&path=secret.txt`);
    expect(get2.status).toBe(400);
    expect(get2.body).not.toBe("secret");
    const ok = await store.createRun({ experimentId: "0", userId: "u", startTime: 1, tags: [] });
    await rawRequest(srv.server.url, "PUT", `/api/2.0/mlflow-artifacts/artifacts/0/${ok.info.runId}/artifacts/x.txt`, Buffer.from("fine"));
    expect(await rawRequest(srv.server.url, "GET", `/get-artifact?run_id=${ok.info.runId}&path=x.txt`)).toEqual({ status: 200, body: "fine" });
  });

  it("maps local paths to segments under the root only (symlinks resolved)", () => {
    const store = new ServerArtifactStore(join(dir, "artifacts"));
    expect(store.segmentsOf(join(dir, "artifacts", "1", "r", "artifacts"))).toEqual(["1", "r", "artifacts"]);
    expect(store.segmentsOf(join(dir, "artifacts"))).toEqual([]);
    expect(store.segmentsOf(join(dir, "outside", "secret.txt"))).toBeNull();
    expect(store.segmentsOf(join(dir, "artifacts", "1", "link", "secret.txt"))).toBeNull();
    expect(store.segmentsOf(join(dir, "artifacts", "..", "outside"))).toBeNull();
  });

  it("answers 413 past the JSON body and upload limits", async () => {
    const big = Buffer.from(JSON.stringify({ name: "x".repeat(5000) }));
    const r = await rawRequest(srv.server.url, "POST", "/api/2.0/mlflow/experiments/create", big, { "Content-Type": "application/json" });
    expect(r.status).toBe(413);
    const upload = await rawRequest(srv.server.url, "PUT", `${A}/1/run/artifacts/big.bin`, Buffer.alloc(100 * 1024));
    expect(upload.status).toBe(413);
    expect(existsSync(join(dir, "artifacts", "1", "run", "artifacts", "big.bin"))).toBe(false);
  });

  it("validates inputs as MLflow does", async () => {
    const post = (path: string, body: unknown) => rawRequest(srv.server.url, "POST", `/api/2.0/mlflow/${path}`, Buffer.from(JSON.stringify(body)), { "Content-Type": "application/json" });
    const badType = await post("experiments/create", { name: 5 });
    expect(badType.status).toBe(400);
    expect(JSON.parse(badType.body).message).toContain("Invalid value 5 for parameter 'name'");
    const notJson = await rawRequest(srv.server.url, "POST", "/api/2.0/mlflow/experiments/create", Buffer.from("{oops"), { "Content-Type": "application/json" });
    expect(notJson.status).toBe(400);
    expect(JSON.parse(notJson.body).message).toContain("Missing value for required parameter 'name'");
    const noType = await rawRequest(srv.server.url, "POST", "/api/2.0/mlflow/experiments/create", Buffer.from('{"name": "x"}'));
    expect(noType.status).toBe(400);
    expect(JSON.parse(noType.body).message).toContain("Content-Type");
    const doubleEncoded = await post("experiments/create", JSON.stringify({ name: "double-encoded" }));
    expect(doubleEncoded.status).toBe(200);
    const run = JSON.parse((await post("runs/create", { experiment_id: "0" })).body).run.info.run_id as string;
    const tooMany = await post("runs/log-batch", { run_id: run, params: Array.from({ length: 101 }, (_, i) => ({ key: `p${i}`, value: "v" })) });
    expect(tooMany.status).toBe(400);
    expect(JSON.parse(tooMany.body).message).toContain("at most 100 params");
    const badKey = await post("runs/log-batch", { run_id: run, metrics: [{ key: "../x", value: 1, timestamp: 1, step: 0 }] });
    expect(JSON.parse(badKey.body).error_code).toBe("INVALID_PARAMETER_VALUE");
    const wrongMethod = await rawRequest(srv.server.url, "GET", "/api/2.0/mlflow/runs/create");
    expect(wrongMethod.status).toBe(405);
    const unknown = await rawRequest(srv.server.url, "GET", "/api/2.0/mlflow/runs/nope");
    expect(JSON.parse(unknown.body).error_code).toBe("ENDPOINT_NOT_FOUND");
  });
});

describe("auth: basic and bearer, READ and WRITE per experiment", () => {
  let dir: string;
  let srv: { server: RunningServer; stores: ServerStores };
  let shared: string;
  let privateExp: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "server-auth-"));
    const stores = await openServerStores(`sqlite:///${join(dir, "db.sqlite")}`, join(dir, "artifacts"), true);
    shared = await stores.tracking.createExperiment("shared");
    privateExp = await stores.tracking.createExperiment("private");
    const auth: AuthConfig = {
      users: [
        { username: "admin", password: "s3cret", permissions: { "*": "MANAGE" } },
        { username: "reader", password: "r", permissions: { "*": "READ" } },
        { username: "bot", token: "tok-123", permissions: { [shared]: "WRITE", "*": "NO_PERMISSIONS" } },
      ],
    };
    const server = await startTrackingServer({ tracking: stores.tracking, registry: stores.registry, artifactsDestination: join(dir, "artifacts"), auth }, "127.0.0.1", 0);
    srv = { server, stores };
  });
  afterAll(async () => {
    await srv?.server.close();
    await srv?.stores.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("refuses requests without valid credentials with 401 (but /health stays open)", async () => {
    const anonymous = await fetch(`${srv.server.url}/api/2.0/mlflow/experiments/get?experiment_id=0`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("www-authenticate")).toContain("Basic");
    const wrong = new RestStore(srv.server.url, { username: "admin", password: "nope", maxRetries: 0 });
    expect(await wrong.getExperiment("0").catch((e: unknown) => e)).toMatchObject({ status: 401, remoteErrorCode: "UNAUTHENTICATED" });
    expect((await fetch(`${srv.server.url}/health`)).status).toBe(200);
  });

  it("lets a READ user read but not write, and an admin do both", async () => {
    const reader = new RestStore(srv.server.url, { username: "reader", password: "r", maxRetries: 0 });
    expect((await reader.getExperiment(shared)).name).toBe("shared");
    const err = await reader.createRun({ experimentId: shared, userId: "x", startTime: 1, tags: [] }).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 403, remoteErrorCode: "PERMISSION_DENIED" });
    const admin = new RestStore(srv.server.url, { username: "admin", password: "s3cret" });
    const run = await admin.createRun({ experimentId: privateExp, userId: "x", startTime: 1, tags: [] });
    expect(run.info.userId).toBe("admin");
  });

  it("honours per-experiment permissions for a bearer token read from MLFLOW_TRACKING_TOKEN", async () => {
    process.env.MLFLOW_TRACKING_TOKEN = "tok-123";
    try {
      const bot = new RestStore(srv.server.url, { maxRetries: 0 });
      const run = await bot.createRun({ experimentId: shared, userId: "ignored", startTime: 1, tags: [] });
      expect(run.info.userId).toBe("bot");
      await bot.logBatch(run.info.runId, { metrics: [{ key: "m", value: 1, timestamp: 1, step: 0 }] });
      expect((await bot.getRun(run.info.runId)).data.metrics).toHaveLength(1);
      expect(await bot.createRun({ experimentId: privateExp, userId: "x", startTime: 1, tags: [] }).catch((e: unknown) => e)).toMatchObject({ status: 403 });
      expect(await bot.getExperiment(privateExp).catch((e: unknown) => e)).toMatchObject({ status: 403 });
      expect((await bot.searchExperiments()).items.map((e) => e.experimentId)).toEqual([shared]);
      expect((await bot.searchRuns({ experimentIds: [shared] })).items.map((r) => r.info.runId)).toEqual([run.info.runId]);
      expect(await bot.searchRuns({ experimentIds: [shared, privateExp] }).catch((e: unknown) => e)).toMatchObject({ status: 403 });
      const upload = await fetch(`${srv.server.url}/api/2.0/mlflow-artifacts/artifacts/${privateExp}/r/artifacts/x.txt`, { method: "PUT", body: "x", headers: { Authorization: "Bearer tok-123" } });
      expect(upload.status).toBe(403);
      const allowed = await fetch(`${srv.server.url}/api/2.0/mlflow-artifacts/artifacts/${shared}/r/artifacts/x.txt`, { method: "PUT", body: "x", headers: { Authorization: "Bearer tok-123" } });
      expect(allowed.status).toBe(200);
    } finally {
      delete process.env.MLFLOW_TRACKING_TOKEN;
    }
  });
});
