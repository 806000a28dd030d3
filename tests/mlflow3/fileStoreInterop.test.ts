/**
 * Our FileStore and MLflow 3.6's, both ways, logged models included: the store we write
 * (a run with params, metrics and a dataset input, a model logged as an MLflow 3 logged
 * model and registered, a metric linked to the model on the dataset) is read by MLflow 3's
 * own FileStore and client; the store MLflow 3 writes (sklearn `log_model`, registered, a
 * dataset input, a model metric on a dataset) is read by ours. One Python call does both.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MLFLOW3_PYTHON_PYD2, peerUnavailable, runPeerJson } from "../helpers/mlflowPeers";
import { MlflowClient } from "../../src/tracking/client";
import { logModelToRun } from "../../src/tracking/model/logModel";
import { resolveModelUri } from "../../src/tracking/model/loadModel";
import type { LoggedModel, Run } from "../../src/tracking/entities";
import { Ridge } from "../../src/models/ridge";
import { fromRows } from "../../src/util/matrix";
import { Frame } from "../../src/data/frame";
import { datasetFromFrame } from "../../src/integration/datasets";

const unavailable = peerUnavailable(MLFLOW3_PYTHON_PYD2, ["mlflow", "sklearn", "pydantic"], "MLflow 3.6 FileStore interoperability");

type ModelView = { model_id: string; name: string; status: string; source_run_id: string; experiment_id: string; artifact_location: string; tags: Record<string, string>; params: Record<string, string>; metrics: unknown[][] };
type InputView = [string, string, string, string, string | null, string | null, string[][]];

interface Seen {
  read: {
    models: ModelView[];
    runs: Array<{ run_id: string; outputs: unknown[][]; inputs: InputView[]; metrics: Record<string, number> }>;
    version: { source: string; run_id: string; download_uri: string };
    mlmodel: { model_id: string; model_uuid: string; run_id: string; artifact_path: string; mlflow_version: string; flavors: string[] };
    artifacts: string[];
    filtered: string[];
  };
  wrote: { run_id: string; model: ModelView; inputs: InputView[]; download_uri: string; version_source: string };
}

function modelView(m: LoggedModel): Omit<ModelView, "model_type"> {
  return {
    model_id: m.modelId,
    name: m.name,
    status: m.status,
    source_run_id: m.sourceRunId ?? "",
    experiment_id: m.experimentId,
    artifact_location: m.artifactLocation,
    tags: Object.fromEntries(m.tags.map((t) => [t.key, t.value]).sort()),
    params: Object.fromEntries(m.params.map((p) => [p.key, p.value]).sort()),
    metrics: m.metrics.map((x) => [x.key, x.value, x.step, x.runId ?? null, x.datasetName ?? null, x.datasetDigest ?? null]).sort(),
  };
}

function inputsView(run: Run): InputView[] {
  return (run.inputs?.datasetInputs ?? [])
    .map((i): InputView => [i.dataset.name, i.dataset.digest, i.dataset.sourceType, i.dataset.source, i.dataset.schema, i.dataset.profile, i.tags.map((t) => [t.key, t.value]).sort()])
    .sort();
}

describe.skipIf(unavailable !== null)("FileStore: ours read by MLflow 3.6, MLflow 3.6's read by ours", () => {
  let dir: string;
  let seen: Seen;
  let ours: { runId: string; modelId: string; digest: string; artifactLocation: string; schema: string };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "mlflow3-filestore-"));
    const client = new MlflowClient(join(dir, "ours"));
    const experimentId = await client.createExperiment("interop");
    const runId = (await client.createRun(experimentId, { tags: { "mlflow.user": "tester" } })).info.runId;
    await client.logBatch(runId, { params: [{ key: "alpha", value: "1" }], metrics: [{ key: "rmse", value: 2.5, timestamp: 1_700_000_000_000, step: 0 }] });
    const frame = new Frame({ area: Float64Array.from([30, 45, NaN, 70]), city: ["Kraków", "Gdańsk", null, "Łódź"] });
    const dataset = datasetFromFrame(frame, { name: "train-part", source: "/data/olx.csv" });
    await client.logInput(runId, dataset, { context: "train" });
    const X = fromRows([[1, 2], [2, 1], [3, 5], [4, 2]]);
    const ridge = new Ridge().fit(X, Float64Array.from([3, 4, 9, 7]));
    const logged = await logModelToRun(client, runId, ridge, { format: "logged-model", registeredModelName: "interop-model" });
    const modelId = logged.loggedModel?.modelId as string;
    await client.logBatch(runId, { metrics: [{ key: "mae", value: 1.5, timestamp: 1_700_000_000_001, step: 0, modelId, datasetName: dataset.name, datasetDigest: dataset.digest }] });
    await client.setTerminated(runId);
    ours = { runId, modelId, digest: dataset.digest, artifactLocation: logged.loggedModel?.artifactLocation as string, schema: dataset.schema as string };
    seen = await runPeerJson<Seen>(MLFLOW3_PYTHON_PYD2, join(__dirname, "mlflow3_filestore_interop.py"), [join(dir, "ours"), join(dir, "theirs")]);
  }, 240_000);

  afterAll(() => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it("MLflow 3 reads our logged model, its metrics, the run's outputs and dataset input, and the registry link", () => {
    const { read } = seen;
    expect(read.models).toHaveLength(1);
    const model = read.models[0] as ModelView;
    expect(model).toMatchObject({ model_id: ours.modelId, name: "model", status: "READY", source_run_id: ours.runId, params: { alpha: "1" }, artifact_location: ours.artifactLocation });
    expect(model.artifact_location).toMatch(new RegExp(`/models/${ours.modelId}/artifacts$`));
    expect(model.tags).toMatchObject({ "mlflow.modelVersions": '[{"name": "interop-model", "version": 1}]', "mlflow.source.type": "LOCAL" });
    expect(model.metrics).toEqual([
      ["mae", 1.5, 0, ours.runId, "train-part", ours.digest],
      ["rmse", 2.5, 0, ours.runId, null, null],
    ]);
    expect(read.runs).toEqual([
      {
        run_id: ours.runId,
        outputs: [[ours.modelId, 0]],
        inputs: [["train-part", ours.digest, "local", '{"uri": "/data/olx.csv"}', ours.schema, '{"num_rows": 4, "num_elements": 8}', [["mlflow.data.context", "train"]]]],
        metrics: { rmse: 2.5, mae: 1.5 },
      },
    ]);
    expect(read.version).toEqual({ source: `models:/${ours.modelId}`, run_id: ours.runId, download_uri: ours.artifactLocation });
    expect(read.mlmodel).toEqual({
      model_id: ours.modelId,
      model_uuid: ours.modelId,
      run_id: ours.runId,
      artifact_path: ours.artifactLocation,
      mlflow_version: "3.6.0",
      flavors: ["mlflow_demo_ts"],
    });
    expect(read.artifacts).toEqual(expect.arrayContaining(["MLmodel", "estimator.json"]));
    expect(read.filtered).toEqual(["model"]);
  });

  it("we read what MLflow 3 wrote: its logged model, run outputs and inputs, model metrics on a dataset, the registry version", async () => {
    const { wrote } = seen;
    const client = new MlflowClient(join(dir, "theirs"));
    const model = await client.getLoggedModel(wrote.model.model_id);
    const { model_type: _type, ...expected } = wrote.model as ModelView & { model_type?: unknown };
    expect(modelView(model)).toEqual(expected);
    const run = await client.getRun(wrote.run_id);
    expect(run.outputs?.modelOutputs).toEqual([{ modelId: wrote.model.model_id, step: 0 }]);
    expect(inputsView(run)).toEqual(wrote.inputs);
    const found = await client.searchLoggedModels({ experimentIds: [model.experimentId], filterString: "metrics.mae < 1", datasets: [{ datasetName: "holdout" }] });
    expect(found.items.map((m) => m.modelId)).toEqual([wrote.model.model_id]);
    const version = await client.getModelVersion("theirs-model", "1");
    expect(version.source).toBe(wrote.version_source);
    expect(await client.getModelVersionDownloadUri("theirs-model", "1")).toBe(wrote.download_uri);
    const location = await resolveModelUri(`models:/${wrote.model.model_id}`, client);
    expect(location).toBe(wrote.model.artifact_location);
    expect(existsSync(join(fileURLToPath(location), "MLmodel"))).toBe(true);
    expect(await resolveModelUri(`runs:/${wrote.run_id}/model`, client)).toBe(location);
  });
});
