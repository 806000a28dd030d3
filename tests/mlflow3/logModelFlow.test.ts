/**
 * `logModel` as MLflow 3 logs a model and as MLflow 2 did, and `loadModel`/`serve` by every
 * URI form, without any peer: on a FileStore (MLflow 2 by default, MLflow 3 when asked), on
 * our server (MLflow 3 by default), a failed upload left FAILED, and the tuning experiment's
 * runs carrying their datasets.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MlflowClient } from "../../src/tracking/client";
import { logModelToRun } from "../../src/tracking/model/logModel";
import { loadYaml } from "../../src/tracking/yaml";
import { registerRestStores } from "../../src/tracking-rest/register";
import { loadLibraryModel } from "../../src/integration/modelLoader";
import { Ridge } from "../../src/models/ridge";
import { fromRows } from "../../src/util/matrix";
import { olxSampleCsv } from "../../src/data/sample";
import { HYPER_OPT_SEED, runHyperOpt } from "../../src/experiments/hyperOpt";
import { prepareOlx } from "../../src/preprocess/prepareOlx";
import * as fluent from "../../src/tracking/fluent";
import { startServerProcess, type ServerProcess } from "../server/serverProcess";

const X = fromRows([[1, 2], [2, 1], [3, 5], [4, 2]]);
const table = { columns: ["x0", "x1"], data: [[1, 2], [2, 1], [3, 5], [4, 2]] };
const ridge = new Ridge({ alpha: 0.5 }).fit(X, Float64Array.from([3, 4, 9, 7]));
const expected = Array.from(ridge.predict(X));

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "log-model-flow-"));
});
afterAll(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

async function newRun(client: MlflowClient, experiment: string): Promise<string> {
  const experimentId = (await client.getExperimentByName(experiment))?.experimentId ?? (await client.createExperiment(experiment));
  const runId = (await client.createRun(experimentId)).info.runId;
  await client.logBatch(runId, { params: [{ key: "alpha", value: "0.5" }], metrics: [{ key: "rmse", value: 1.25, timestamp: 1, step: 0 }, { key: "rmse", value: 1.0, timestamp: 2, step: 1 }] });
  return runId;
}

const predictions = async (uri: string, client: MlflowClient): Promise<number[]> => Array.from((await loadLibraryModel(uri, client)).predict(table));

describe("on a FileStore", () => {
  it("logs the MLflow 2 way by default: files under the run, the model history tag, MLmodel in MLflow 2.17's format", async () => {
    const client = new MlflowClient(join(dir, "mlruns-2"));
    const runId = await newRun(client, "flow");
    const logged = await logModelToRun(client, runId, ridge, { registeredModelName: "flow-2" });
    expect(logged.loggedModel).toBeNull();
    expect(logged).toMatchObject({ modelUri: `runs:/${runId}/model`, modelId: null, mlflowVersion: "2.17.2" });
    const run = await client.getRun(runId);
    expect(run.outputs?.modelOutputs).toEqual([]);
    expect(run.data.tags.find((t) => t.key === "mlflow.log-model.history")?.value).toContain('"artifact_path": "model"');
    expect((await client.listArtifacts(runId, "model")).map((f) => f.path)).toContain("model/MLmodel");
    expect(await predictions("models:/flow-2/1", client)).toEqual(expected);
  });

  it("logs an MLflow 3 logged model when asked: READY, linked to the run and its metrics of the step, registered as models:/<id>, loadable by every URI", async () => {
    const client = new MlflowClient(join(dir, "mlruns-3"));
    const runId = await newRun(client, "flow");
    const logged = await logModelToRun(client, runId, ridge, { format: "logged-model", registeredModelName: "flow-3", step: 1, tags: { team: "ml" } });
    const model = logged.loggedModel;
    expect(model).not.toBeNull();
    const modelId = model?.modelId as string;
    expect(model).toMatchObject({ status: "READY", name: "model", sourceRunId: runId, params: [{ key: "alpha", value: "0.5" }] });
    expect(model?.tags).toEqual(expect.arrayContaining([{ key: "team", value: "ml" }, { key: "mlflow.source.type", value: "LOCAL" }]));
    expect(logged).toMatchObject({ modelUri: `models:/${modelId}`, modelId, mlflowVersion: "3.6.0" });
    const stored = await client.getLoggedModel(modelId);
    expect(stored.metrics.map((m) => [m.key, m.value, m.step, m.runId])).toEqual([["rmse", 1.0, 1, runId]]);
    expect((await client.getRun(runId)).outputs?.modelOutputs).toEqual([{ modelId, step: 1 }]);
    expect((await client.getMetricHistory(runId, "rmse")).map((m) => m.value)).toEqual([1.25, 1.0]);
    // The files live with the model, not under the run; MLmodel says so.
    expect(await client.listArtifacts(runId)).toEqual([]);
    const meta = loadYaml(readFileSync(join(fileURLToPath(stored.artifactLocation), "MLmodel"), "utf8")) as Record<string, unknown>;
    expect(meta).toMatchObject({ model_id: modelId, model_uuid: modelId, run_id: runId, artifact_path: stored.artifactLocation, mlflow_version: "3.6.0" });
    const version = logged.registeredModelVersion;
    expect(version).toMatchObject({ source: `models:/${modelId}`, modelId, runId });
    await client.setRegisteredModelAlias("flow-3", "champion", version?.version as string);
    for (const uri of [`models:/${modelId}`, `runs:/${runId}/model`, "models:/flow-3@champion", "models:/flow-3/1", "models:/flow-3/latest"]) {
      expect({ uri, predictions: await predictions(uri, client) }).toEqual({ uri, predictions: expected });
    }
  });

  it("leaves the logged model FAILED, and says why, when its files cannot be uploaded", async () => {
    const client = new MlflowClient(join(dir, "mlruns-failed"));
    const blocked = join(dir, "not-a-directory");
    writeFileSync(blocked, "a file where the artifacts should go");
    const experimentId = await client.createExperiment("blocked", { artifactLocation: `file://${blocked}` });
    const runId = (await client.createRun(experimentId)).info.runId;
    await expect(logModelToRun(client, runId, ridge, { format: "logged-model" })).rejects.toThrow();
    const [model] = (await client.searchLoggedModels({ experimentIds: [experimentId] })).items;
    expect(model?.status).toBe("FAILED");
  });
});

describe("on our server", () => {
  let server: ServerProcess;
  let serving: ServerProcess | null = null;
  beforeAll(async () => {
    mkdirSync(join(dir, "server"), { recursive: true });
    server = await startServerProcess(["--backend-store-uri", `sqlite:///${join(dir, "server", "m.db")}`, "--artifacts-destination", join(dir, "server", "artifacts")]);
    registerRestStores();
  }, 120_000);
  afterAll(async () => {
    await serving?.stop();
    await server?.stop();
  });

  it("logs an MLflow 3 logged model by default through the fluent API, and serve answers for models:/<model_id>", async () => {
    const previous = process.env.MLFLOW_TRACKING_URI;
    process.env.MLFLOW_TRACKING_URI = server.url;
    fluent.setTrackingUri(server.url);
    try {
      await fluent.setExperiment("flow");
      const logged = await fluent.withRun({ runName: "fluent" }, async () => {
        await fluent.logMetric("rmse", 0.5);
        return (await import("../../src/tracking/model/logModel")).logModel(ridge, { registeredModelName: "served" });
      });
      const modelId = logged.loggedModel?.modelId as string;
      expect(modelId).toMatch(/^m-[0-9a-f]{32}$/);
      expect(logged.registeredModelVersion?.modelId).toBe(modelId);
      const model = await fluent.getClient().getLoggedModel(modelId);
      expect(model.artifactLocation).toMatch(new RegExp(`^mlflow-artifacts:/\\d+/models/${modelId}/artifacts$`));
      expect(model.metrics.map((m) => m.key)).toEqual(["rmse"]);
      serving = await startServerProcess([`models:/${modelId}`, "--tracking-uri", server.url], {}, "serve");
      const r = await fetch(`${serving.url}/invocations`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ dataframe_split: table }) });
      expect(r.status).toBe(200);
      expect(((await r.json()) as { predictions: number[] }).predictions).toEqual(expected);
    } finally {
      fluent.setTrackingUri(previous ?? "./mlruns");
      if (previous === undefined) delete process.env.MLFLOW_TRACKING_URI;
      else process.env.MLFLOW_TRACKING_URI = previous;
    }
  }, 120_000);
});

describe("the tuning experiment's datasets", () => {
  it("logs the training part to every trial run, and the training part and holdout to the final model's run", async () => {
    const csv = join(dir, "olx-300.csv");
    writeFileSync(csv, olxSampleCsv({ rows: 300 }));
    fluent.setTrackingUri(join(dir, "mlruns-tune"));
    try {
      await runHyperOpt({ csv, trials: 2, numBoostRound: 5, nSplits: 2, nRepeats: 1, studyName: "tiny-tune", registeredModelName: "tiny" });
      const client = new MlflowClient(join(dir, "mlruns-tune"));
      const experimentId = (await client.getExperimentByName("tiny-tune"))?.experimentId as string;
      const runs = await client.searchAllRuns([experimentId]);
      const contexts = Object.fromEntries(runs.map((r) => [r.info.runName, (r.inputs?.datasetInputs ?? []).map((i) => `${i.dataset.name}:${i.tags[0]?.value}`).sort()]));
      expect(contexts).toEqual({ "0": ["olx-train:train"], "1": ["olx-train:train"], "final-model": ["olx-holdout:eval", "olx-train:train"] });
      const final = runs.find((r) => r.info.runName === "final-model")?.inputs?.datasetInputs ?? [];
      const rows = (name: string): number => JSON.parse(final.find((i) => i.dataset.name === name)?.dataset.profile as string).num_rows as number;
      const data = prepareOlx({ csv, seed: HYPER_OPT_SEED });
      expect([rows("olx-train"), rows("olx-holdout")]).toEqual([data.XTrain.rows, data.XTest.rows]);
      expect(final.map((i) => JSON.parse(i.dataset.source))).toEqual([{ uri: csv }, { uri: csv }]);
      const filtered = await client.searchAllRuns([experimentId], { filterString: "datasets.context = 'eval'" });
      expect(filtered.map((r) => r.info.runName)).toEqual(["final-model"]);
    } finally {
      fluent.setTrackingUri("./mlruns");
    }
  }, 120_000);
});
