/**
 * Datasets with the real MLflow 2.17.2 (`../shared/peers/mlflow`): the dataset inputs we log
 * to our FileStore and to our server are read, and filtered with `datasets.*` clauses, by
 * MLflow's own FileStore and client; what MLflow logs (`log_input` of `from_pandas`) to a
 * FileStore and to our server is read by us; and against the real 2.17 server our client
 * logs datasets through `runs/log-inputs` and, finding no logged-models endpoint there,
 * logs its model the MLflow 2 way. One Python call does MLflow's side of all of it.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MLFLOW2_PYTHON, peerUnavailable, runPeerJson, startPeerServer, type PeerServer } from "../helpers/mlflowPeers";
import { startServerProcess, type ServerProcess } from "../server/serverProcess";
import { MlflowClient } from "../../src/tracking/client";
import { registerRestStores } from "../../src/tracking-rest/register";
import { logModelToRun, type LogModelResult } from "../../src/tracking/model/logModel";
import { chooseModelLogFormat } from "../../src/tracking/model/modelLogFormat";
import type { Dataset, DatasetInput, Run } from "../../src/tracking/entities";
import { Frame } from "../../src/data/frame";
import { olxSampleCsv } from "../../src/data/sample";
import { datasetFromCsv, datasetFromFrame } from "../../src/integration/datasets";
import { Ridge } from "../../src/models/ridge";
import { fromRows } from "../../src/util/matrix";

const unavailable = peerUnavailable(MLFLOW2_PYTHON, ["mlflow", "pandas"], "datasets with the real MLflow 2.17.2");

type InputView = [string, string, string, string, string | null, string | null, string[][]];
interface Seen {
  ours: { runs: Record<string, InputView[]>; filtered: Record<string, string[]> };
  theirs: { run_id: string; inputs: InputView[] };
  server: { runs: Record<string, InputView[]>; filtered: Record<string, string[]> };
  real: { inputs: InputView[]; artifacts: string[]; history: string[]; version_source: string; version_run_id: string };
  sample_csv: { profile: { num_rows: number; num_elements: number }; columns: string[] };
}

function inputsView(run: Run): InputView[] {
  return viewOf(run.inputs?.datasetInputs ?? []);
}

function viewOf(inputs: readonly DatasetInput[]): InputView[] {
  return inputs
    .map((i): InputView => [i.dataset.name, i.dataset.digest, i.dataset.sourceType, i.dataset.source, i.dataset.schema, i.dataset.profile, i.tags.map((t) => [t.key, t.value]).sort()])
    .sort();
}

/** The same runs (by name) with the same dataset inputs, written to any store. */
async function logRuns(client: MlflowClient, datasets: Record<string, Dataset>): Promise<void> {
  const experimentId = (await client.getExperimentByName("datasets"))?.experimentId ?? (await client.createExperiment("datasets"));
  const runs: Record<string, Array<[Dataset, string]>> = {
    both: [[datasets.train as Dataset, "train"], [datasets.holdout as Dataset, "eval"], [datasets.csv as Dataset, "source"]],
    "train-only": [[datasets.train as Dataset, "train"]],
    none: [],
  };
  for (const [name, inputs] of Object.entries(runs)) {
    const runId = (await client.createRun(experimentId, { runName: name })).info.runId;
    for (const [dataset, context] of inputs) await client.logInput(runId, dataset, { context });
    await client.setTerminated(runId);
  }
}

describe.skipIf(unavailable !== null)("datasets: ours read by MLflow 2.17, MLflow 2.17's read by ours", () => {
  let dir: string;
  let ours: ServerProcess;
  let real: PeerServer;
  let seen: Seen;
  let fallback: LogModelResult;
  let fallbackRunId: string;
  const datasets: Record<string, Dataset> = {};
  let filters: string[];
  // 100 offers from the project's sample generator: MLflow 2.17 infers a pandas schema value by value (seconds per 100 rows here).
  let sampleCsv: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "datasets-217-"));
    sampleCsv = join(dir, "olx-100.csv");
    writeFileSync(sampleCsv, olxSampleCsv({ rows: 100 }));
    [ours, real] = await Promise.all([
      startServerProcess(["--backend-store-uri", `sqlite:///${join(dir, "ours.db")}`, "--artifacts-destination", join(dir, "ours-art")]),
      startPeerServer(MLFLOW2_PYTHON, ["--backend-store-uri", `sqlite:///${join(dir, "real.db")}`, "--artifacts-destination", join(dir, "real-art")]),
    ]);
    registerRestStores();
    const frame = new Frame({ area: Float64Array.from([30, 45, NaN, 70, 52]), city: ["Kraków", "Gdańsk", null, "Łódź", "Poznań"], price: Float64Array.from([1, 2, 3, 4, 5]) });
    datasets.train = datasetFromFrame(frame.take([0, 1, 2, 3]), { name: "olx-train", source: sampleCsv });
    datasets.holdout = datasetFromFrame(frame.take([4]), { name: "olx-holdout", source: sampleCsv });
    datasets.csv = datasetFromCsv(sampleCsv, { name: "olx" });
    filters = [
      "datasets.name = 'olx-holdout'",
      "datasets.context = 'train'",
      "datasets.context != 'eval'",
      "datasets.name LIKE 'olx-%'",
      "dataset.name ILIKE 'OLX-T%'",
      "datasets.name IN ('olx', 'x')",
      `datasets.digest = '${datasets.train?.digest}'`,
      "datasets.name = 'olx-train' AND datasets.context = 'eval'",
    ];
    await logRuns(new MlflowClient(join(dir, "mlruns")), datasets);
    await logRuns(new MlflowClient(ours.url), datasets);

    // Our client against the real MLflow 2.17 server: datasets through runs/log-inputs, and the model the MLflow 2 way.
    const previous = process.env.MLFLOW_TRACKING_URI;
    process.env.MLFLOW_TRACKING_URI = real.url;
    try {
      const client = new MlflowClient(real.url);
      const runId = (await client.createRun(await client.createExperiment("fallback"), { runName: "ours-on-2.17" })).info.runId;
      await client.logInput(runId, datasets.train as Dataset, { context: "train" });
      const ridge = new Ridge().fit(fromRows([[1, 2], [2, 1], [3, 5]]), Float64Array.from([3, 4, 9]));
      fallback = await logModelToRun(client, runId, ridge, { registeredModelName: "fallback-model" });
      await client.setTerminated(runId);
      fallbackRunId = runId;
    } finally {
      if (previous === undefined) delete process.env.MLFLOW_TRACKING_URI;
      else process.env.MLFLOW_TRACKING_URI = previous;
    }
    const filtersFile = join(dir, "filters.json");
    writeFileSync(filtersFile, JSON.stringify(filters));
    seen = await runPeerJson<Seen>(MLFLOW2_PYTHON, join(__dirname, "mlflow217_datasets.py"), [join(dir, "mlruns"), join(dir, "theirs"), ours.url, real.url, sampleCsv, filtersFile]);
  }, 300_000);

  afterAll(async () => {
    await Promise.all([ours?.stop(), real?.stop()]);
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it("MLflow 2.17's FileStore reads our dataset inputs field by field, and its datasets.* filters select the runs ours select", async () => {
    const client = new MlflowClient(join(dir, "mlruns"));
    const experimentId = (await client.getExperimentByName("datasets"))?.experimentId as string;
    const mine = await client.searchAllRuns([experimentId]);
    expect(seen.ours.runs).toEqual(Object.fromEntries(mine.map((r) => [r.info.runName, inputsView(r)])));
    expect(seen.ours.runs.both).toHaveLength(3);
    for (const f of filters) {
      const names = (await client.searchAllRuns([experimentId], { filterString: f })).map((r) => r.info.runName).sort();
      expect({ filter: f, names }).toEqual({ filter: f, names: seen.ours.filtered[f] });
    }
    expect(seen.ours.filtered["datasets.name = 'olx-holdout'"]).toEqual(["both"]);
  });

  it("our server stores and filters dataset inputs as MLflow's FileStore does, for our client's runs and MLflow's client's", async () => {
    const { "python-on-our-server": fromPython, ...runs } = seen.server.runs;
    expect(runs).toEqual(seen.ours.runs);
    expect(fromPython?.map((i) => [i[0], i[2], i[6]])).toEqual([["olx-train", "local", [["mlflow.data.context", "train"]]]]);
    for (const f of filters) {
      const onServer = (seen.server.filtered[f] ?? []).filter((n) => n !== "python-on-our-server");
      expect({ filter: f, names: onServer }).toEqual({ filter: f, names: seen.ours.filtered[f] });
    }
    expect(seen.server.filtered["datasets.name LIKE 'olx-%'"]).toContain("python-on-our-server");
    // And our client reads MLflow's inputs back from our server.
    const client = new MlflowClient(ours.url);
    const experimentId = (await client.getExperimentByName("datasets"))?.experimentId as string;
    const [run] = await client.searchAllRuns([experimentId], { filterString: "attributes.run_name = 'python-on-our-server'" });
    expect(inputsView(run as Run)).toEqual(fromPython);
  });

  it("we read the datasets MLflow 2.17 logged to a FileStore", async () => {
    const run = await new MlflowClient(join(dir, "theirs")).getRun(seen.theirs.run_id);
    expect(inputsView(run)).toEqual(seen.theirs.inputs);
    expect(seen.theirs.inputs.map((i) => i[0])).toEqual(["olx", "olx-head"]);
  });

  it("against the real MLflow 2.17 server our client logs datasets, and its model the MLflow 2 way (no logged-models endpoint)", () => {
    expect(seen.real.inputs).toEqual(viewOf([{ dataset: datasets.train as Dataset, tags: [{ key: "mlflow.data.context", value: "train" }] }]));
    expect(fallback.loggedModel).toBeNull();
    expect(fallback.modelUri).toBe(`runs:/${fallbackRunId}/model`);
    expect(fallback.mlflowVersion).toBe("2.17.2");
    expect(seen.real.artifacts).toEqual(expect.arrayContaining(["model/MLmodel", "model/estimator.json"]));
    expect(seen.real.history).toEqual(["model"]);
    expect(seen.real.version_source).toMatch(new RegExp(`/${fallbackRunId}/artifacts/model$`));
    expect(seen.real.version_run_id).toBe(fallbackRunId);
    // The server's answer is remembered: the next model on it goes the MLflow 2 way at once.
    expect(chooseModelLogFormat(real.url)).toBe("run-artifact");
    expect(chooseModelLogFormat(ours.url)).toBe("logged-model");
  });

  it("a CSV file becomes a dataset with MLflow's profile and the file's columns", () => {
    const csv = datasets.csv as Dataset;
    expect(JSON.parse(csv.profile as string)).toEqual(seen.sample_csv.profile);
    expect((JSON.parse(csv.schema as string) as { mlflow_colspec: Array<{ name: string }> }).mlflow_colspec.map((c) => c.name)).toEqual(seen.sample_csv.columns);
    expect(csv).toMatchObject({ name: "olx", sourceType: "local", source: JSON.stringify({ uri: sampleCsv }).replace(":", ": ") });
    expect(csv.digest).toMatch(/^[0-9a-f]{8}$/);
  });
});
