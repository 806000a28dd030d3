/**
 * MLflow 3 side by side: the real MLflow 3.6 server (`../shared/peers/mlflow3`, SQLite)
 * and ours (SQLite and PostgreSQL) answer the same raw REST requests and the same MLflow 3
 * Python client scenario (sklearn `log_model`, `pyfunc.load_model` by `models:/m-<id>`,
 * `runs:/`, alias and version, `search_logged_models`, `register_model`, tags, finalize,
 * delete), compared field by field; our FileStore and MLflow 3's read each other, logged
 * models included; our CLI's `train` and `tune` log to the real server and MLflow 3's client
 * finds their logged models, the champion's link, and loads the champion.
 * Each server starts once for the file, and one Python process does all of MLflow's side
 * (`mlflow3_peer_driver.py`), while our CLI runs against the real server in the background.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MLFLOW3_PYTHON, MLFLOW3_PYTHON_PYD2, peerUnavailable, runPeerJson, startPeerServer, type PeerServer } from "../helpers/mlflowPeers";
import { postgresUnavailable, startTempPostgres, type TempPostgres } from "../server/postgres";
import { compileServer, startServerProcess, type ServerProcess } from "../server/serverProcess";
import { rawRestTranscript, type TranscriptEntry } from "./rawRestScenario";
import { MlflowClient } from "../../src/tracking/client";
import { logModelToRun } from "../../src/tracking/model/logModel";
import { resolveModelUri } from "../../src/tracking/model/loadModel";
import type { LoggedModel, Run } from "../../src/tracking/entities";
import { Ridge } from "../../src/models/ridge";
import { fromRows } from "../../src/util/matrix";
import { Frame } from "../../src/data/frame";
import { datasetFromFrame } from "../../src/integration/datasets";
import { registerRestStores } from "../../src/tracking-rest/register";
import { loadLibraryModel } from "../../src/integration/modelLoader";
import { prepareOlx } from "../../src/preprocess/prepareOlx";
import { rmse } from "../../src/evaluation/metrics";
import { HYPER_OPT_SEED } from "../../src/experiments/hyperOpt";
import { olxSampleCsv } from "../../src/data/sample";

const ROOT = resolve(__dirname, "..", "..");
const unavailable = peerUnavailable(MLFLOW3_PYTHON_PYD2, ["mlflow", "sklearn", "pydantic"], "MLflow 3.6 side-by-side tests (real server and client)");
const pgUnavailable = postgresUnavailable();
if (pgUnavailable !== null) console.warn(`SKIPPED MLflow 3 client against our PostgreSQL-backed server: ${pgUnavailable}`);

/**
 * Where our server deliberately answers differently from the real 3.6 server, and why
 * (each is also in docs/decisions.md). A difference not listed here fails the test.
 */
const KNOWN_REST_DIFFERENCES: Record<string, readonly string[]> = {
  // MLflow 3.6's ModelVersion.to_proto leaves model_id unset (a TODO in its source); the proto has the field, we fill it.
  // Registry answers otherwise follow MLflow 2.17, which omits an unset description and run link (3.6 stores and answers "").
  "register from the model": ["model_version.model_id", "model_version.description", "model_version.run_link"],
  // A run that produced no logged model answers without `outputs`, exactly as MLflow 2.17 answers every run (3.6 adds `outputs: {}`).
  "run without outputs": ["run.outputs"],
};

/** The paths where two JSON values differ. */
function differences(a: unknown, b: unknown, path = ""): string[] {
  if (a !== null && b !== null && typeof a === "object" && typeof b === "object" && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a as object), ...Object.keys(b as object)])].sort();
    return keys.flatMap((k) => differences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], path === "" ? k : `${path}.${k}`));
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) return a.flatMap((x, i) => differences(x, b[i], `${path}[${i}]`));
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [path];
}

/** Runs `fn` with MLFLOW_TRACKING_URI set (the proxy's `mlflow-artifacts:` URIs resolve against it). */
async function withTrackingUri<T>(uri: string, fn: () => Promise<T>): Promise<T> {
  const previous = process.env.MLFLOW_TRACKING_URI;
  process.env.MLFLOW_TRACKING_URI = uri;
  try {
    return await fn();
  } finally {
    if (previous === undefined) delete process.env.MLFLOW_TRACKING_URI;
    else process.env.MLFLOW_TRACKING_URI = previous;
  }
}

function runCli(args: readonly string[], env: Record<string, string>): Promise<{ code: number; out: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [join(ROOT, "bin", "mlflow-demo-ts.js"), ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    child.on("exit", (code) => done({ code: code ?? 1, out }));
  });
}

type ModelView = { model_id: string; name: string; status: string; source_run_id: string; experiment_id: string; artifact_location: string; tags: Record<string, string>; params: Record<string, string>; metrics: unknown[][] };
type InputView = [string, string, string, string, string | null, string | null, string[][]];

/** What `mlflow3_filestore_interop.py` saw of our FileStore and wrote in its own. */
interface FileStoreSeen {
  read: {
    models: ModelView[];
    runs: Array<{ run_id: string; outputs: unknown[][]; inputs: InputView[]; metrics: Record<string, number> }>;
    version: { source: string; run_id: string; download_uri: string };
    mlmodel: { model_id: string; model_uuid: string; run_id: string; artifact_path: string; mlflow_version: string; flavors: string[] };
    artifacts: string[];
    filtered: string[];
  };
  wrote: { run_id: string; model: ModelView & { model_type?: unknown }; inputs: InputView[]; download_uri: string; version_source: string };
}

/** What `mlflow3_find_our_models.py` saw of the models our CLI logged to the real server. */
interface FoundModels {
  train: Array<{ name: string; status: string; run_name: string; outputs: string[]; has_mlmodel: boolean; inputs: Array<[string, string]> }>;
  tune: Array<{ name: string; model_id: string; metrics: string[]; versions: unknown; inputs: Array<[string, string]> }>;
  champion: { source: string; version: string; flavors: string[]; pyfunc: string | boolean };
}

/** Everything the Python driver prints. */
interface PeerResults {
  scenario: Record<string, Record<string, unknown>>;
  filestore: FileStoreSeen;
  find: FoundModels | { error: string };
}

/** What our CLI run against the real server gave, and what our loadModel read back. */
interface CliOutcome {
  train: { code: number; out: string };
  tune: { code: number; out: string };
  tuned: { model_uri: string; model_version: string; holdout: { rmse: number } } | null;
  /** Holdout RMSE of the champion loaded by model id and by alias. */
  loadedRmse: number[];
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

/** Our FileStore for MLflow 3 to read: a run with a dataset input, a logged model registered, a model metric on the dataset. */
async function writeOurFileStore(root: string): Promise<{ runId: string; modelId: string; digest: string; artifactLocation: string; schema: string }> {
  const client = new MlflowClient(root);
  const experimentId = await client.createExperiment("interop");
  const runId = (await client.createRun(experimentId, { tags: { "mlflow.user": "tester" } })).info.runId;
  await client.logBatch(runId, { params: [{ key: "alpha", value: "1" }], metrics: [{ key: "rmse", value: 2.5, timestamp: 1_700_000_000_000, step: 0 }] });
  const frame = new Frame({ area: Float64Array.from([30, 45, NaN, 70]), city: ["Kraków", "Gdańsk", null, "Łódź"] });
  const dataset = datasetFromFrame(frame, { name: "train-part", source: "/data/olx.csv" });
  await client.logInput(runId, dataset, { context: "train" });
  const ridge = new Ridge().fit(fromRows([[1, 2], [2, 1], [3, 5], [4, 2]]), Float64Array.from([3, 4, 9, 7]));
  const logged = await logModelToRun(client, runId, ridge, { format: "logged-model", registeredModelName: "interop-model" });
  const modelId = logged.loggedModel?.modelId as string;
  await client.logBatch(runId, { metrics: [{ key: "mae", value: 1.5, timestamp: 1_700_000_000_001, step: 0, modelId, datasetName: dataset.name, datasetDigest: dataset.digest }] });
  await client.setTerminated(runId);
  return { runId, modelId, digest: dataset.digest, artifactLocation: logged.loggedModel?.artifactLocation as string, schema: dataset.schema as string };
}

describe.skipIf(unavailable !== null)("MLflow 3.6 logged models: the real server and ours", () => {
  let dir: string;
  let real: PeerServer;
  let oursSqlite: ServerProcess;
  let pg: TempPostgres | null = null;
  let oursPostgres: ServerProcess | null = null;
  let ourStore: Awaited<ReturnType<typeof writeOurFileStore>>;
  let peer: Promise<PeerResults>;
  let cli: Promise<CliOutcome>;

  /** Our CLI against the real server (small budgets), then our loadModel of the champion; its end unblocks the Python driver. */
  async function runOurCliOnRealServer(holdoutFile: string): Promise<CliOutcome> {
    const outcome: CliOutcome = { train: { code: -1, out: "" }, tune: { code: -1, out: "" }, tuned: null, loadedRmse: [] };
    let holdout: object = { error: "our CLI failed; see the test's assertions" };
    try {
      const env = { MLFLOW_TRACKING_URI: real.url };
      // 1,200 offers from the project's sample generator, 2 trials of 20 rounds.
      const csv = join(dir, "olx-small.csv");
      writeFileSync(csv, olxSampleCsv({ rows: 1200 }));
      [outcome.train, outcome.tune] = await Promise.all([
        runCli(["train", "--csv", csv, "--experiment", "side-by-side-train", "--json"], env),
        runCli(["tune", "--csv", csv, "--trials", "2", "--rounds", "20", "--study-name", "side-by-side-tune", "--json"], env),
      ]);
      if (outcome.tune.code !== 0 || outcome.train.code !== 0) return outcome;
      const tuned = JSON.parse(outcome.tune.out.trim().split("\n").pop() as string) as NonNullable<CliOutcome["tuned"]>;
      outcome.tuned = tuned;
      registerRestStores();
      const client = new MlflowClient(real.url);
      const data = prepareOlx({ csv, seed: HYPER_OPT_SEED });
      const frame = data.frameTest;
      const table = { columns: [...frame.columnNames], data: Array.from({ length: frame.nRows }, (_, i) => frame.columnNames.map((c) => frame.rowRecord(i)[c] ?? null)) };
      let predictions: ArrayLike<number> = [];
      for (const uri of [tuned.model_uri, "models:/house_pricing_xgboost_model@champion"]) {
        predictions = (await withTrackingUri(real.url, () => loadLibraryModel(uri, client))).predict(table);
        outcome.loadedRmse.push(rmse(data.yTest, Float64Array.from(predictions)));
      }
      // MLflow's xgboost flavor (python_function) takes the preprocessed features, named as our preprocessor names them.
      const X = data.XTest;
      const features = { columns: data.featureNames, data: Array.from({ length: X.rows }, (_, i) => Array.from(X.data.subarray(i * X.cols, (i + 1) * X.cols))) };
      holdout = { features_split: features, predictions: Array.from(predictions) };
      return outcome;
    } finally {
      writeFileSync(`${holdoutFile}.tmp`, JSON.stringify(holdout));
      renameSync(`${holdoutFile}.tmp`, holdoutFile);
    }
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "mlflow3-side-by-side-"));
    compileServer();
    const pgReady = (async (): Promise<void> => {
      if (pgUnavailable !== null) return;
      pg = await startTempPostgres();
      oursPostgres = await startServerProcess(["--backend-store-uri", pg.createDatabase("mlflow3"), "--artifacts-destination", join(dir, "ours-pg-art")]);
    })();
    [real, oursSqlite] = await Promise.all([
      startPeerServer(MLFLOW3_PYTHON, ["--backend-store-uri", `sqlite:///${join(dir, "real.db")}`, "--artifacts-destination", join(dir, "real-art")]),
      startServerProcess(["--backend-store-uri", `sqlite:///${join(dir, "ours.db")}`, "--artifacts-destination", join(dir, "ours-art")]),
    ]);
    await pgReady;
    ourStore = await writeOurFileStore(join(dir, "ours-mlruns"));
    const holdoutFile = join(dir, "holdout.json");
    const job = {
      scenario: [real.url, ...ours().map(([, url]) => url)],
      filestore: [join(dir, "ours-mlruns"), join(dir, "theirs-mlruns")],
      find: { uri: real.url, train: "side-by-side-train", tune: "side-by-side-tune", registered: "house_pricing_xgboost_model", holdout: holdoutFile, wait_seconds: 900 },
    };
    writeFileSync(join(dir, "job.json"), JSON.stringify(job));
    // Both run in the background while the REST requests are compared; the tests await them.
    peer = runPeerJson<PeerResults>(MLFLOW3_PYTHON_PYD2, join(__dirname, "mlflow3_peer_driver.py"), [join(dir, "job.json")]);
    cli = runOurCliOnRealServer(holdoutFile);
    peer.catch(() => undefined);
    cli.catch(() => undefined);
  }, 240_000);

  afterAll(async () => {
    await Promise.allSettled([cli, peer].filter((p) => p !== undefined));
    await Promise.all([real?.stop(), oursSqlite?.stop(), oursPostgres?.stop()]);
    pg?.stop();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  }, 900_000);

  const ours = (): Array<[string, string]> => [["SQLite", oursSqlite.url], ...(oursPostgres === null ? [] : [["PostgreSQL", oursPostgres.url] as [string, string]])];

  it("answers MLflow 3's logged-model REST API as the real server does, request by request", async () => {
    const expected = await rawRestTranscript(real.url);
    const transcripts = new Map<string, TranscriptEntry[]>();
    for (const [backend, url] of ours()) transcripts.set(backend, await rawRestTranscript(url));
    expect(expected.find((e) => e.step === "create")?.status).toBe(200);
    for (const [backend] of ours()) {
      const got = transcripts.get(backend) as TranscriptEntry[];
      expect(got.map((e) => e.step)).toEqual(expected.map((e) => e.step));
      expected.forEach((want: TranscriptEntry, i) => {
        const have = got[i] as TranscriptEntry;
        const allowed = KNOWN_REST_DIFFERENCES[want.step] ?? [];
        const diff = differences(want.body, have.body).filter((p) => !allowed.includes(p));
        expect({ backend, step: want.step, status: have.status, diff }).toEqual({ backend, step: want.step, status: want.status, diff: [] });
      });
      // What we add over 3.6: the version names the logged model it was registered from.
      const registered = got.find((e) => e.step === "register from the model")?.body as { model_version?: { model_id?: string } };
      expect(registered.model_version?.model_id).toBe("<model0>");
    }
  }, 120_000);

  it("gives MLflow 3's Python client the same results as the real server (log_model, pyfunc, search, register, tags, finalize)", async () => {
    const results = (await peer).scenario;
    const truth = results[real.url] as Record<string, unknown>;
    // The real server's own answers first: the scenario exercised what it claims.
    expect(truth.pyfunc_predicts).toEqual({
      "models:/<model0>": true,
      "runs:/<run0>/model": true,
      "models:/scenario-model@champion": true,
      "models:/scenario-model/1": true,
    });
    expect((truth.model_info as { id_shape: boolean }).id_shape).toBe(true);
    for (const [backend, url] of ours()) {
      const got = results[url] as Record<string, unknown>;
      const diff = differences(truth, got);
      // MLflow 3.6's SQL store reads `datasets=[{dataset_name}]` without a digest as "digest IS NULL" (it keeps the
      // key with None), so it finds nothing; we follow the documented meaning (any digest). Checked exactly:
      expect((truth.searches as Record<string, unknown>)["datasets holdout"]).toEqual([]);
      expect((got.searches as Record<string, unknown>)["datasets holdout"]).toEqual(["model2"]);
      expect({ backend, diff: diff.filter((p) => p !== "searches.datasets holdout") }).toEqual({ backend, diff: [] });
    }
  }, 900_000);

  it("MLflow 3's FileStore reads our logged model, its metrics, the run's outputs and dataset input, and the registry link", async () => {
    const { read } = (await peer).filestore;
    expect(read.models).toHaveLength(1);
    const model = read.models[0] as ModelView;
    expect(model).toMatchObject({ model_id: ourStore.modelId, name: "model", status: "READY", source_run_id: ourStore.runId, params: { alpha: "1" }, artifact_location: ourStore.artifactLocation });
    expect(model.artifact_location).toMatch(new RegExp(`/models/${ourStore.modelId}/artifacts$`));
    expect(model.tags).toMatchObject({ "mlflow.modelVersions": '[{"name": "interop-model", "version": 1}]', "mlflow.source.type": "LOCAL" });
    expect(model.metrics).toEqual([
      ["mae", 1.5, 0, ourStore.runId, "train-part", ourStore.digest],
      ["rmse", 2.5, 0, ourStore.runId, null, null],
    ]);
    expect(read.runs).toEqual([
      {
        run_id: ourStore.runId,
        outputs: [[ourStore.modelId, 0]],
        inputs: [["train-part", ourStore.digest, "local", '{"uri": "/data/olx.csv"}', ourStore.schema, '{"num_rows": 4, "num_elements": 8}', [["mlflow.data.context", "train"]]]],
        metrics: { rmse: 2.5, mae: 1.5 },
      },
    ]);
    expect(read.version).toEqual({ source: `models:/${ourStore.modelId}`, run_id: ourStore.runId, download_uri: ourStore.artifactLocation });
    expect(read.mlmodel).toEqual({
      model_id: ourStore.modelId,
      model_uuid: ourStore.modelId,
      run_id: ourStore.runId,
      artifact_path: ourStore.artifactLocation,
      mlflow_version: "3.6.0",
      flavors: ["mlflow_demo_ts"],
    });
    expect(read.artifacts).toEqual(expect.arrayContaining(["MLmodel", "estimator.json"]));
    expect(read.filtered).toEqual(["model"]);
  }, 900_000);

  it("our FileStore reads what MLflow 3's wrote: its logged model, run outputs and inputs, model metrics on a dataset, the registry version", async () => {
    const { wrote } = (await peer).filestore;
    const client = new MlflowClient(join(dir, "theirs-mlruns"));
    const model = await client.getLoggedModel(wrote.model.model_id);
    const { model_type: _type, ...expected } = wrote.model;
    expect(modelView(model)).toEqual(expected);
    const run = await client.getRun(wrote.run_id);
    expect(run.outputs?.modelOutputs).toEqual([{ modelId: wrote.model.model_id, step: 0 }]);
    expect(inputsView(run)).toEqual(wrote.inputs);
    const found = await client.searchLoggedModels({ experimentIds: [model.experimentId], filterString: "metrics.mae < 1", datasets: [{ datasetName: "holdout" }] });
    expect(found.items.map((m) => m.modelId)).toEqual([wrote.model.model_id]);
    expect((await client.getModelVersion("theirs-model", "1")).source).toBe(wrote.version_source);
    expect(await client.getModelVersionDownloadUri("theirs-model", "1")).toBe(wrote.download_uri);
    const location = await resolveModelUri(`models:/${wrote.model.model_id}`, client);
    expect(location).toBe(wrote.model.artifact_location);
    expect(existsSync(join(fileURLToPath(location), "MLmodel"))).toBe(true);
    expect(await resolveModelUri(`runs:/${wrote.run_id}/model`, client)).toBe(location);
  }, 900_000);

  it("logs `train` and `tune` as MLflow 3 logged models on the real server, found by MLflow 3's client, the champion linked to its model", async () => {
    const outcome = await cli;
    expect(outcome.train.code, outcome.train.out).toBe(0);
    expect(outcome.tune.code, outcome.tune.out).toBe(0);
    const tuned = outcome.tuned as NonNullable<CliOutcome["tuned"]>;
    expect(tuned.model_uri).toMatch(/^models:\/m-[0-9a-f]{32}$/);
    // Our loadModel read the champion back from the real server by model id and by alias: the reported holdout RMSE.
    expect(outcome.loadedRmse).toHaveLength(2);
    for (const r of outcome.loadedRmse) expect(r).toBeCloseTo(tuned.holdout.rmse, 6);
    const seen = (await peer).find;
    if ("error" in seen) throw new Error(seen.error);
    // One logged model per trained model, READY, produced by its run, its files under the model (MLmodel present).
    expect(seen.train.map((m) => m.run_name).sort()).toEqual(["KNN", "LinearSVR", "RandomForest", "Ridge"]);
    for (const m of seen.train) {
      expect(m).toMatchObject({ name: "model", status: "READY", has_mlmodel: true });
      expect(m.outputs).toHaveLength(1);
      expect(m.inputs).toEqual([["olx-train", "train"]]);
    }
    const final = seen.tune.find((m) => m.model_id === tuned.model_uri.slice("models:/".length));
    expect(final).toBeDefined();
    // Every metric of the final run (the holdout scores and the rounds `tune` fitted) is linked to the model logged in it.
    expect(final?.metrics.sort()).toEqual(["final_rounds", "holdout_mae", "holdout_mape", "holdout_r2", "holdout_rmse"]);
    expect(final?.inputs.sort()).toEqual([["olx-holdout", "eval"], ["olx-train", "train"]]);
    // The champion version is the registered final model: its source is the logged model, listed on the model's tag
    // (MLflow 3.6's server keeps model_id out of the version's REST answer, so this is the link its client sees).
    expect(seen.champion.source).toBe(tuned.model_uri);
    expect(seen.champion.version).toBe(tuned.model_version);
    expect(final?.versions).toEqual([{ name: "house_pricing_xgboost_model", version: Number(tuned.model_version) }]);
  }, 900_000);

  it("MLflow 3's pyfunc.load_model loads the champion from the real server and predicts as we do (the xgboost flavor of issue 16)", async (ctx) => {
    const seen = (await peer).find;
    if ("error" in seen) return ctx.skip();
    if (!seen.champion.flavors.includes("python_function")) {
      console.warn(`SKIPPED MLflow 3 pyfunc.load_model of the champion: its MLmodel has no python_function flavor (flavors: ${seen.champion.flavors.join(", ")})`);
      return ctx.skip();
    }
    expect(seen.champion.pyfunc).toBe(true);
  }, 900_000);
});
