/**
 * `mlflow-demo-ts serve models:/<name>@<alias>` as a real process: a Ridge model fitted on
 * exactly linear data, logged and registered through a tracking server, answers MLflow's
 * scoring protocol with predictions equal to the generating formula, and rejects input
 * that does not match its signature with a 400 naming the problem.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTrackingServer, type RunningServer } from "../../src/server/app";
import { openServerStores, type ServerStores } from "../../src/server/openServerStores";
import { registerRestStores } from "../../src/tracking-rest/register";
import { MlflowClient } from "../../src/tracking/client";
import { logModelToRun } from "../../src/tracking/model/logModel";
import { Ridge } from "../../src/models/ridge";
import { fromRows } from "../../src/util/matrix";
import { Frame } from "../../src/data/frame";
import { ColumnTransformer } from "../../src/preprocess/columnTransformer";
import { StandardScaler } from "../../src/preprocess/standardScaler";
import { loadModel } from "../../src/tracking/model/loadModel";
import { estimatorFromJSON } from "../../src/integration/modelLoader";
import { startScoringServer } from "../../src/server/serving/scoringServer";
import { startServerProcess, type ServerProcess } from "./serverProcess";

const truth = (a: number, b: number): number => 2 * a - 3 * b + 1;

describe("serve models:/<name>@<alias>", () => {
  let dir: string;
  let stores: ServerStores;
  let tracking: RunningServer;
  let serving: ServerProcess;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "serve-test-"));
    stores = await openServerStores(`sqlite:///${join(dir, "db.sqlite")}`, join(dir, "artifacts"), true);
    tracking = await startTrackingServer({ tracking: stores.tracking, registry: stores.registry, artifactsDestination: join(dir, "artifacts"), auth: null }, "127.0.0.1", 0);
    registerRestStores();
    const rows: number[][] = [];
    const y: number[] = [];
    for (let a = 0; a < 5; a++) for (let b = 0; b < 4; b++) { rows.push([a, b]); y.push(truth(a, b)); }
    const model = new Ridge({ alpha: 1e-10 });
    model.fit(fromRows(rows), Float64Array.from(y));
    const client = new MlflowClient(tracking.url);
    const run = await client.createRun("0", { runName: "ridge" });
    await logModelToRun(client, run.info.runId, model, {
      registeredModelName: "linear",
      signature: { inputs: [{ type: "double", name: "a" }, { type: "double", name: "b" }] },
    });
    await client.setRegisteredModelAlias("linear", "champion", "1");
    serving = await startServerProcess(["models:/linear@champion", "--tracking-uri", tracking.url], {}, "serve");
  }, 180_000);

  afterAll(async () => {
    await serving?.stop();
    await tracking?.close();
    await stores?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  type Reply = { message?: string; predictions?: number[] };
  const invoke = async (body: unknown, type = "application/json"): Promise<{ status: number; json(): Promise<Reply> }> => {
    const r = await fetch(`${serving.url}/invocations`, { method: "POST", headers: { "Content-Type": type }, body: typeof body === "string" ? body : JSON.stringify(body) });
    return { status: r.status, json: async () => (await r.json()) as Reply };
  };

  it("answers /ping", async () => {
    expect((await fetch(`${serving.url}/ping`)).status).toBe(200);
  });

  it("predicts for dataframe_split, dataframe_records and instances", async () => {
    const points = [[1.5, 0.5], [10, -2], [0, 0]];
    const expected = points.map(([a, b]) => truth(a as number, b as number));
    const bodies = [
      { dataframe_split: { columns: ["a", "b"], data: points } },
      { dataframe_split: { columns: ["b", "a"], data: points.map(([a, b]) => [b, a]) } },
      { dataframe_records: points.map(([a, b]) => ({ a, b })) },
      { instances: points.map(([a, b]) => ({ a, b })) },
      { instances: points },
    ];
    for (const body of bodies) {
      const r = await invoke(body);
      expect(r.status, JSON.stringify(body)).toBe(200);
      const { predictions } = (await r.json()) as { predictions: number[] };
      expect(predictions).toHaveLength(3);
      predictions.forEach((p, i) => expect(p).toBeCloseTo(expected[i] as number, 6));
    }
  });

  it("rejects input that does not match the protocol or the signature with clear 400s", async () => {
    const missing = await invoke({ dataframe_split: { columns: ["a"], data: [[1]] } });
    expect(missing.status).toBe(400);
    expect((await missing.json()).message).toMatch(/\bb\b/);
    const wrongType = await invoke({ dataframe_records: [{ a: "x", b: 1 }] });
    expect(wrongType.status).toBe(400);
    expect((await wrongType.json()).message).toMatch(/\ba\b/);
    const twoKeys = await invoke({ dataframe_records: [], instances: [] });
    expect(twoKeys.status).toBe(400);
    expect((await twoKeys.json()).message).toContain("exactly one of the input fields");
    expect((await invoke("{not json")).status).toBe(400);
    expect((await invoke("a,b\n1,2", "text/csv")).status).toBe(415);
  });

  it("applies a logged ColumnTransformer preprocessor before the model", async () => {
    const a = [0, 1, 2, 3, 4, 5, 6, 7];
    const b = [3, 1, 4, 1, 5, 9, 2, 6];
    const frame = new Frame({ a: Float64Array.from(a), b: Float64Array.from(b) });
    const ct = new ColumnTransformer([["scale", new StandardScaler(), ["a", "b"]]]);
    const features = ct.fitTransform(frame);
    const model = new Ridge({ alpha: 1e-10 });
    model.fit(features, Float64Array.from(a.map((x, i) => truth(x, b[i] as number))));
    const client = new MlflowClient(tracking.url);
    const run = await client.createRun("0", { runName: "scaled" });
    await logModelToRun(client, run.info.runId, model, {
      preprocessor: ct,
      registeredModelName: "scaled-linear",
      signature: { inputs: [{ type: "double", name: "a" }, { type: "double", name: "b" }] },
    });
    const loaded = await loadModel("models:/scaled-linear/1", { fromJSON: estimatorFromJSON, client });
    const scoring = await startScoringServer(loaded, "127.0.0.1", 0);
    try {
      const r = await fetch(`${scoring.url}/invocations`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ dataframe_records: [{ a: 2.5, b: -1 }, { a: 100, b: 7 }] }),
      });
      expect(r.status).toBe(200);
      const { predictions } = (await r.json()) as { predictions: number[] };
      expect(predictions[0]).toBeCloseTo(truth(2.5, -1), 6);
      expect(predictions[1]).toBeCloseTo(truth(100, 7), 6);
    } finally {
      await scoring.close();
    }
  });
});
