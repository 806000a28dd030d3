/**
 * The REST store against a real `mlflow-demo-ts server` process on 127.0.0.1 with a
 * temporary SQLite file: the shared store suite, then what only REST has (chunking past
 * MLflow's batch limits, the wire quirks recorded from MLflow 2.17, artifacts through the
 * proxy, the fluent API selected by an http tracking URI).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RestStore, chunkBatch } from "../../src/tracking-rest/restStore";
import { registerRestStores } from "../../src/tracking-rest/register";
import { MlflowClient } from "../../src/tracking/client";
import * as mlflow from "../../src/tracking/fluent";
import { defineStoreSuite, errorCodeOf } from "./storeSuite";
import { startServerProcess, type ServerProcess } from "./serverProcess";

let server: ServerProcess;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "rest-store-test-"));
  server = await startServerProcess(["--backend-store-uri", `sqlite:///${join(dir, "mlflow.db")}`, "--artifacts-destination", join(dir, "artifacts")]);
}, 120_000);

afterAll(async () => {
  await server?.stop();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

defineStoreSuite("REST store over a SQLite-backed server", async () => {
  const store = new RestStore(server.url, { maxRetries: 1 });
  return { tracking: store, registry: store, splitsLargeBatches: true, rules: "sql", cleanup: async () => undefined };
});

/** A parsed JSON reply, read loosely: these tests check MLflow's raw wire shapes. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type WireJson = any;

describe("REST specifics", () => {
  const post = async (path: string, body: unknown): Promise<{ status: number; json(): Promise<WireJson> }> => {
    const r = await fetch(`${server.url}/api/2.0/mlflow/${path}`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    return { status: r.status, json: async () => (await r.json()) as WireJson };
  };

  it("splits batches into requests within MLflow's limits (1000 metrics, 100 params, 100 tags, 1000 in all)", async () => {
    const metrics = Array.from({ length: 2500 }, (_, i) => ({ key: "m", value: i, timestamp: 1, step: i }));
    const params = Array.from({ length: 250 }, (_, i) => ({ key: `p${i}`, value: "v" }));
    const tags = Array.from({ length: 150 }, (_, i) => ({ key: `t${i}`, value: "v" }));
    const chunks = chunkBatch({ metrics, params, tags });
    for (const c of chunks) {
      expect(c.metrics.length).toBeLessThanOrEqual(1000);
      expect(c.params.length).toBeLessThanOrEqual(100);
      expect(c.tags.length).toBeLessThanOrEqual(100);
      expect(c.metrics.length + c.params.length + c.tags.length).toBeLessThanOrEqual(1000);
    }
    expect(chunks.flatMap((c) => c.metrics)).toEqual(metrics);
    expect(chunks.flatMap((c) => c.params)).toEqual(params);
    expect(chunks.flatMap((c) => c.tags)).toEqual(tags);

    const store = new RestStore(server.url);
    const run = await store.createRun({ experimentId: "0", userId: "u", startTime: Date.now(), tags: [] });
    await store.logBatch(run.info.runId, { metrics, params, tags });
    const history = await store.getMetricHistory(run.info.runId, "m");
    expect(history.map((m) => m.step)).toEqual(metrics.map((m) => m.step));
    const got = await store.getRun(run.info.runId);
    expect(got.data.params).toHaveLength(250);
    expect(got.data.tags.filter((t) => t.key.startsWith("t"))).toHaveLength(150);
  });

  it("answers with MLflow 2.17's bodies: {} for an empty search, error_code + message with 404/400", async () => {
    expect(await (await fetch(`${server.url}/health`)).text()).toBe("OK");
    const exp = await (await post("experiments/create", { name: "wire-check" })).json();
    expect(Object.keys(exp)).toEqual(["experiment_id"]);
    const empty = await post("runs/search", { experiment_ids: [exp.experiment_id], filter: "metrics.rmse < 5 and params.lr = '0.01'" });
    expect(empty.status).toBe(200);
    expect(await empty.json()).toEqual({});
    const missing = await fetch(`${server.url}/api/2.0/mlflow/runs/get?run_id=0123456789abcdef0123456789abcdef`);
    expect(missing.status).toBe(404);
    const body = (await missing.json()) as WireJson;
    expect(body.error_code).toBe("RESOURCE_DOES_NOT_EXIST");
    expect(body.message).toContain("0123456789abcdef0123456789abcdef");
    const dup = await post("experiments/create", { name: "wire-check" });
    expect(dup.status).toBe(400);
    expect((await dup.json()).error_code).toBe("RESOURCE_ALREADY_EXISTS");
    const noName = await post("experiments/create", {});
    expect(noName.status).toBe(400);
    expect(await noName.json()).toMatchObject({ error_code: "INVALID_PARAMETER_VALUE", message: expect.stringContaining("'name'") });
    const created = await (await post("runs/create", { experiment_id: exp.experiment_id, run_name: "r", start_time: 5, tags: [] })).json();
    expect(created.run.info).toMatchObject({ run_name: "r", status: "RUNNING", start_time: 5, lifecycle_stage: "active", artifact_uri: `mlflow-artifacts:/${exp.experiment_id}/${created.run.info.run_id}/artifacts` });
    expect(created.run.info.run_uuid).toBe(created.run.info.run_id);
    const logged = await post("runs/log-batch", { run_id: created.run.info.run_id, metrics: [{ key: "rmse", value: 1.5, timestamp: 7, step: 2 }], params: [{ key: "lr", value: "0.01" }] });
    expect(await logged.json()).toEqual({});
    const again = await post("runs/log-batch", { run_id: created.run.info.run_id, params: [{ key: "lr", value: "0.02" }] });
    expect(again.status).toBe(400);
    expect((await again.json()).error_code).toBe("INVALID_PARAMETER_VALUE");
    const hist: WireJson = await (await fetch(`${server.url}/api/2.0/mlflow/metrics/get-history?run_id=${created.run.info.run_id}&metric_key=rmse`)).json();
    expect(hist).toEqual({ metrics: [{ key: "rmse", value: 1.5, timestamp: 7, step: 2 }] });
    const updated = await (await post("runs/update", { run_id: created.run.info.run_id, status: "FINISHED", end_time: 9 })).json();
    expect(updated.run_info).toMatchObject({ status: "FINISHED", end_time: 9 });
  });

  it("surfaces server errors as typed errors with MLflow's codes", async () => {
    const store = new RestStore(server.url);
    expect(await errorCodeOf(store.getExperiment("424242"))).toBe("RESOURCE_DOES_NOT_EXIST");
    const err = await store.getRegisteredModel("no-such-model").catch((e: unknown) => e);
    expect(err).toMatchObject({ name: "MlflowRestError", errorCode: "RESOURCE_DOES_NOT_EXIST", status: 404, remoteErrorCode: "RESOURCE_DOES_NOT_EXIST" });
  });

  it("lets the tracking client log and read artifacts through the mlflow-artifacts proxy", async () => {
    registerRestStores();
    const client = new MlflowClient(server.url);
    const run = await client.createRun("0", { runName: "with-artifacts" });
    const runId = run.info.runId;
    await client.logText(runId, "hello proxy", "notes/hello.txt");
    const local = join(dir, "model.json");
    writeFileSync(local, '{"a": 1}');
    await client.logArtifact(runId, local, "model");
    const root = await client.listArtifacts(runId);
    expect(root.map((f) => [f.path, f.isDir])).toEqual([["model", true], ["notes", true]]);
    expect(await client.listArtifacts(runId, "notes")).toEqual([{ path: "notes/hello.txt", isDir: false, fileSize: 11 }]);
    const downloaded = await client.downloadArtifacts(runId, "notes", join(dir, "dl"));
    expect(readFileSync(join(downloaded, "hello.txt"), "utf8")).toBe("hello proxy");
    expect(readFileSync(join(dir, "artifacts", "0", runId, "artifacts", "model", "model.json"), "utf8")).toBe('{"a": 1}');
  });

  it("lets the fluent API log to the server when the tracking URI is http://", async () => {
    registerRestStores();
    mlflow.setTrackingUri(server.url);
    await mlflow.setExperiment("fluent-over-rest");
    const runId = await mlflow.withRun({ runName: "fluent" }, async (run) => {
      await mlflow.logParam("alpha", 0.5);
      for (let step = 0; step < 3; step++) await mlflow.logMetric("rmse", 10 - step, { step });
      await mlflow.setTag("stage", "test");
      await mlflow.logText("done", "notes/summary.txt");
      return run.info.runId;
    });
    const store = new RestStore(server.url);
    const run = await store.getRun(runId);
    expect(run.info.status).toBe("FINISHED");
    expect(run.info.runName).toBe("fluent");
    expect(run.data.params).toEqual([{ key: "alpha", value: "0.5" }]);
    expect((await store.getMetricHistory(runId, "rmse")).map((m) => [m.step, m.value])).toEqual([[0, 10], [1, 9], [2, 8]]);
    expect(run.data.tags).toEqual(expect.arrayContaining([{ key: "stage", value: "test" }]));
    const experiment = await store.getExperimentByName("fluent-over-rest");
    expect(readFileSync(join(dir, "artifacts", experiment!.experimentId, runId, "artifacts", "notes", "summary.txt"), "utf8")).toBe("done");
  });
});
