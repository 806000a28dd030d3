/**
 * MLflow 3 side by side: the real MLflow 3.6 server (`../shared/peers/mlflow3`, SQLite)
 * and ours (SQLite and PostgreSQL) answer the same raw REST requests and the same MLflow 3
 * Python client scenario (sklearn `log_model`, `pyfunc.load_model` by `models:/m-<id>`,
 * `runs:/`, alias and version, `search_logged_models`, `register_model`, tags, finalize,
 * delete), compared field by field; then our CLI's `train` and `tune` log to the real
 * server and MLflow 3's client finds their logged models and the champion's link.
 * Each server is started once for the file; every Python call reads all servers at once.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MLFLOW3_PYTHON, MLFLOW3_PYTHON_PYD2, peerUnavailable, runPeerJson, startPeerServer, type PeerServer } from "../helpers/mlflowPeers";
import { postgresUnavailable, startTempPostgres, type TempPostgres } from "../server/postgres";
import { compileServer, startServerProcess, type ServerProcess } from "../server/serverProcess";
import { rawRestTranscript, type TranscriptEntry } from "./rawRestScenario";
import { MlflowClient } from "../../src/tracking/client";
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

describe.skipIf(unavailable !== null)("MLflow 3.6 logged models: the real server and ours", () => {
  let dir: string;
  let real: PeerServer;
  let oursSqlite: ServerProcess;
  let pg: TempPostgres | null = null;
  let oursPostgres: ServerProcess | null = null;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "mlflow3-side-by-side-"));
    compileServer();
    [real, oursSqlite] = await Promise.all([
      startPeerServer(MLFLOW3_PYTHON, ["--backend-store-uri", `sqlite:///${join(dir, "real.db")}`, "--artifacts-destination", join(dir, "real-art")]),
      startServerProcess(["--backend-store-uri", `sqlite:///${join(dir, "ours.db")}`, "--artifacts-destination", join(dir, "ours-art")]),
    ]);
    if (pgUnavailable === null) {
      pg = await startTempPostgres();
      oursPostgres = await startServerProcess(["--backend-store-uri", pg.createDatabase("mlflow3"), "--artifacts-destination", join(dir, "ours-pg-art")]);
    }
  }, 240_000);

  afterAll(async () => {
    await Promise.all([real?.stop(), oursSqlite?.stop(), oursPostgres?.stop()]);
    pg?.stop();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  let championPyfunc: { flavors: string[]; pyfunc: string | boolean } | null = null;
  const ours = (): Array<[string, string]> => [["SQLite", oursSqlite.url], ...(oursPostgres === null ? [] : [["PostgreSQL", oursPostgres.url] as [string, string]])];

  it("answers MLflow 3's logged-model REST API as the real server does, request by request", async () => {
    // Every server runs the whole sequence before anything is compared, so later tests see the same state everywhere.
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
    const urls = [real.url, ...ours().map(([, url]) => url)];
    const results = await runPeerJson<Record<string, Record<string, unknown>>>(MLFLOW3_PYTHON_PYD2, join(__dirname, "mlflow3_client_scenario.py"), urls);
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
  }, 300_000);

  it("logs `train` and `tune` as MLflow 3 logged models on the real server, found by MLflow 3's client, the champion linked to its model", async () => {
    const env = { MLFLOW_TRACKING_URI: real.url };
    // Small budgets: 1,200 offers from the project's sample generator, 2 trials of 20 rounds.
    const csv = join(dir, "olx-small.csv");
    writeFileSync(csv, olxSampleCsv({ rows: 1200 }));
    const [train, tune] = await Promise.all([
      runCli(["train", "--csv", csv, "--experiment", "side-by-side-train", "--json"], env),
      runCli(["tune", "--csv", csv, "--trials", "2", "--rounds", "20", "--study-name", "side-by-side-tune", "--json"], env),
    ]);
    expect(train.code, train.out).toBe(0);
    expect(tune.code, tune.out).toBe(0);
    const tuned = JSON.parse(tune.out.trim().split("\n").pop() as string) as { model_uri: string; model_version: string; holdout: { rmse: number } };
    expect(tuned.model_uri).toMatch(/^models:\/m-[0-9a-f]{32}$/);

    // Our loadModel reads the champion back from the real server by model id and by alias, and reproduces the reported holdout RMSE.
    registerRestStores();
    const client = new MlflowClient(real.url);
    const data = prepareOlx({ csv, seed: HYPER_OPT_SEED });
    const frame = data.frameTest;
    const table = { columns: [...frame.columnNames], data: Array.from({ length: frame.nRows }, (_, i) => frame.columnNames.map((c) => frame.rowRecord(i)[c] ?? null)) };
    const predictions: Float64Array[] = [];
    for (const uri of [tuned.model_uri, "models:/house_pricing_xgboost_model@champion"]) {
      const loaded = await withTrackingUri(real.url, () => loadLibraryModel(uri, client));
      predictions.push(loaded.predict(table));
      expect(rmse(data.yTest, predictions[predictions.length - 1] as Float64Array)).toBeCloseTo(tuned.holdout.rmse, 6);
    }
    const holdoutFile = join(dir, "holdout.json");
    // MLflow's xgboost flavor (python_function) takes the preprocessed features, named as our preprocessor names them.
    const X = data.XTest;
    const features = { columns: data.featureNames, data: Array.from({ length: X.rows }, (_, i) => Array.from(X.data.subarray(i * X.cols, (i + 1) * X.cols))) };
    writeFileSync(holdoutFile, JSON.stringify({ features_split: features, predictions: Array.from(predictions[0] as Float64Array) }));

    const seen = await runPeerJson<{
      train: Array<{ name: string; status: string; run_name: string; outputs: string[]; has_mlmodel: boolean; inputs: Array<[string, string]> }>;
      tune: Array<{ name: string; model_id: string; metrics: string[]; versions: unknown; inputs: Array<[string, string]> }>;
      champion: { source: string; version: string; flavors: string[]; pyfunc: string | boolean };
    }>(MLFLOW3_PYTHON_PYD2, join(__dirname, "mlflow3_find_our_models.py"), [real.url, "side-by-side-train", "side-by-side-tune", "house_pricing_xgboost_model", holdoutFile]);
    // One logged model per trained model, READY, produced by its run, its files under the model (MLmodel present).
    expect(seen.train.map((m) => m.run_name).sort()).toEqual(["KNN", "LinearSVR", "RandomForest", "Ridge"]);
    for (const m of seen.train) {
      expect(m).toMatchObject({ name: "model", status: "READY", has_mlmodel: true });
      expect(m.outputs).toHaveLength(1);
      expect(m.inputs).toEqual([["olx-train", "train"]]);
    }
    const final = seen.tune.find((m) => m.model_id === tuned.model_uri.slice("models:/".length));
    expect(final).toBeDefined();
    expect(final?.metrics.sort()).toEqual(["holdout_mae", "holdout_mape", "holdout_r2", "holdout_rmse"]);
    expect(final?.inputs.sort()).toEqual([["olx-holdout", "eval"], ["olx-train", "train"]]);
    // The champion version is the registered final model: its source is the logged model, listed on the model's tag
    // (MLflow 3.6's server keeps model_id out of the version's REST answer, so this is the link its client sees).
    expect(seen.champion.source).toBe(tuned.model_uri);
    expect(seen.champion.version).toBe(tuned.model_version);
    expect(final?.versions).toEqual([{ name: "house_pricing_xgboost_model", version: Number(tuned.model_version) }]);
    championPyfunc = seen.champion;
  }, 300_000);

  it("MLflow 3's pyfunc.load_model loads the champion and predicts as we do (needs the xgboost flavor of issue 16)", (ctx) => {
    if (championPyfunc === null) return ctx.skip();
    if (!championPyfunc.flavors.includes("python_function")) {
      console.warn(`SKIPPED MLflow 3 pyfunc.load_model of the champion: its MLmodel has no python_function flavor yet (flavors: ${championPyfunc.flavors.join(", ")}); the xgboost flavor is the flavors work of issue 16`);
      return ctx.skip();
    }
    expect(championPyfunc.pyfunc).toBe(true);
  });
});
