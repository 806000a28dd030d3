/**
 * `exportOnnx`: the fitted OLX pipeline as one ONNX graph, run by an independent runtime
 * (onnxruntime-web's WebAssembly build) on the holdout, gives our predictions within float32
 * tolerance; Debian's onnx checker accepts every file; the ONNX model is logged with MLflow's
 * onnx flavor, served by the scoring server `serve --flavor onnx` starts, and written by `export-onnx`.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { REAL_OLX_CSV } from "../../src/data/paths";
import type { Regressor } from "../../src/models/base";
import { XGBRegressor } from "../../src/models/boosting/xgbRegressor";
import { DecisionTreeRegressor } from "../../src/models/decisionTree";
import { KNeighborsRegressor } from "../../src/models/kNeighbors";
import { LinearSVR } from "../../src/models/linearSvr";
import { RandomForestRegressor } from "../../src/models/randomForest";
import { Ridge } from "../../src/models/ridge";
import { prepareOlx, type PreparedOlx } from "../../src/preprocess/prepareOlx";
import { frameSchema, frameToTable, tableToFrame } from "../../src/integration/tables";
import "../../src/integration/modelFlavors";
import { exportOnnx } from "../../src/onnx/exportOnnx";
import { loadOnnxPredictor } from "../../src/onnx/runtime";
import { exportOnnxCommand } from "../../src/cli/exportOnnxCommand";
import * as mlflow from "../../src/tracking";
import { loadYaml, type InputTable, type InputValue } from "../../src/tracking";
import { PYTHON, pythonHas } from "../helpers/python";
import { tempDir } from "../tracking/helpers";
import { loadOnnxModel } from "../../src/integration/onnxModelLoader";
import { startScoringServer } from "../../src/server/serving/scoringServer";

const HAVE_ONNX = pythonHas(["onnx"], "onnx.checker on the exported files");
const HAVE_REAL = existsSync(REAL_OLX_CSV);
if (!HAVE_REAL) console.warn(`SKIPPED the ONNX export on the real OLX data: ${REAL_OLX_CSV} is missing`);

/** Within float32 tolerance: relative 1e-5 (the trees sum in float32 in another order). */
function expectClose(got: ArrayLike<number>, want: ArrayLike<number>): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const w = want[i] as number;
    if (Math.abs((got[i] as number) - w) > 1e-5 * Math.max(1, Math.abs(w))) expect.fail(`row ${i}: ONNX ${got[i]}, ours ${w}`);
  }
}

/** The holdout's raw rows, plus rows with a missing and an unknown category and missing numbers. */
function holdoutTable(data: PreparedOlx): InputTable {
  const table = frameToTable(data.frameTest.select(data.preprocessor.requiredColumns));
  const first = table.data[0] as readonly InputValue[];
  const edited = (changes: Record<string, InputValue>): InputValue[] => first.map((v, j) => (table.columns[j] as string) in changes ? (changes[table.columns[j] as string] as InputValue) : v);
  return {
    columns: table.columns,
    data: [
      ...table.data,
      edited({ market: null, voivodeship: "Nowhere" }),
      edited({ floor: null, area: null, offer_type_of_building: null }),
      edited({ month: "13", offer_type: null, rooms: null, longitude: null, latitude: null }),
    ],
  };
}

/** Our own predictions for a raw table: the preprocessor, then the model. */
function ours(data: PreparedOlx, model: Regressor, table: InputTable): Float64Array {
  return model.predict(data.preprocessor.transform(tableToFrame(table)));
}

function check(files: string[]): void {
  const script = "import sys, onnx\nfor f in sys.argv[1:]:\n    onnx.checker.check_model(onnx.load(f), full_check=True)\nprint('ok')";
  const r = spawnSync(PYTHON, ["-c", script, ...files], { encoding: "utf8" });
  expect(r.stderr).toBe("");
  expect(r.stdout.trim()).toBe("ok");
}

describe("the OLX pipeline as ONNX on the sample's holdout", () => {
  const tmp = tempDir("onnx-export-");
  afterAll(tmp.cleanup);
  let data: PreparedOlx;
  let table: InputTable;
  const models: Record<string, Regressor> = {};

  beforeAll(() => {
    data = prepareOlx({ seed: 42 });
    table = holdoutTable(data);
    models.booster = new XGBRegressor({ n_estimators: 40, max_depth: 5, eta: 0.3, nthread: 1 });
    models.tree = new DecisionTreeRegressor({ maxDepth: 8 });
    models.forest = new RandomForestRegressor({ nEstimators: 8, maxDepth: 8, seed: 1 });
    models.ridge = new Ridge({ alpha: 1 });
    models.svr = new LinearSVR({});
    for (const m of Object.values(models)) m.fit(data.XTrain, data.yTrain);
  }, 60_000);

  it("names one input per raw column (double or string) and outputs float [N, 1]", () => {
    const exported = exportOnnx({ model: models.ridge as Regressor, preprocessor: data.preprocessor });
    expect(exported.inputs).toEqual(data.preprocessor.requiredColumns.map((name) => ({ name, kind: ["floor", "area", "rooms", "longitude", "latitude"].includes(name) ? "number" : "text" })));
    expect(exported.featureNames).toEqual(data.featureNames);
    expect(exported.output).toBe("variable");
  });

  const files: string[] = [];

  it("onnxruntime-web predicts as our pipeline for the booster, decision tree, random forest, ridge and linear SVR", async () => {
    for (const [name, model] of Object.entries(models)) {
      const { bytes } = exportOnnx({ model, preprocessor: data.preprocessor });
      const file = join(tmp.dir, `${name}.onnx`);
      writeFileSync(file, bytes);
      files.push(file);
      const predictor = await loadOnnxPredictor(bytes);
      try {
        expectClose(await predictor.predict(table), ours(data, model, table));
      } finally {
        await predictor.close();
      }
    }
  }, 120_000);

  it.skipIf(!HAVE_ONNX)("Debian's onnx.checker (full check) accepts every exported file", () => {
    expect(files).toHaveLength(5);
    check(files);
  });

  it("refuses k-NN with a clear error: it stays TypeScript-only", () => {
    const knn = new KNeighborsRegressor({}).fit(data.XTrain, data.yTrain);
    expect(() => exportOnnx({ model: knn, preprocessor: data.preprocessor })).toThrow(/KNeighborsRegressor stays TypeScript-only/);
  });

  describe("logged with MLflow's onnx flavor, served and exported", () => {
    const root = join(tmp.dir, "mlruns");
    const NAME = "ridge_onnx";
    let modelDir: string;

    beforeAll(async () => {
      mlflow.setTrackingUri(root);
      await mlflow.setExperiment("onnx");
      const input = data.frameTest.select(data.preprocessor.requiredColumns);
      const runId = await mlflow.withRun({ runName: "ridge" }, async (run) => {
        await mlflow.logModel(models.ridge as Regressor, {
          preprocessor: data.preprocessor,
          signature: { inputs: frameSchema(input) },
          inputExample: frameToTable(input, 5),
          registeredModelName: NAME,
          onnx: true,
        });
        return run.info.runId;
      });
      await mlflow.getClient().setRegisteredModelAlias(NAME, "champion", "1");
      modelDir = join(root, (await mlflow.getClient().getRun(runId)).info.experimentId, runId, "artifacts", "model");
    });

    it("writes model.onnx, the onnx flavor and a python_function loaded by mlflow.onnx that takes the raw columns", async () => {
      const meta = loadYaml(readFileSync(join(modelDir, "MLmodel"), "utf8")) as Record<string, any>;
      expect(Object.keys(meta.flavors).sort()).toEqual(["mlflow_demo_ts", "onnx", "python_function"]);
      expect(meta.flavors.onnx).toMatchObject({ data: "model.onnx", onnx_version: "1.12.0" });
      expect(meta.flavors.python_function).toMatchObject({ loader_module: "mlflow.onnx", data: "model.onnx" });
      expect(readFileSync(join(modelDir, "requirements.txt"), "utf8")).toBe("mlflow==2.17.2\nonnx==1.12.0\nonnxruntime==1.30.0");
      expect((JSON.parse(meta.signature.inputs) as Array<{ name: string }>).map((c) => c.name)).toEqual(data.preprocessor.requiredColumns);
      const predictor = await loadOnnxPredictor(readFileSync(join(modelDir, "model.onnx")));
      expectClose(await predictor.predict(table), ours(data, models.ridge as Regressor, table));
      await predictor.close();
    });

    it("the scoring server of `serve --flavor onnx` answers /invocations with onnxruntime's predictions", async () => {
      const onnx = await loadOnnxModel(`models:/${NAME}@champion`);
      expect(onnx.source).toBe("onnx flavor");
      const serving = await startScoringServer(onnx, "127.0.0.1", 0);
      try {
        const records = table.data.slice(0, 50).map((row) => Object.fromEntries(table.columns.map((c, j) => [c, row[j] ?? null])));
        const r = await fetch(`${serving.url}/invocations`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ dataframe_records: records }) });
        const body = (await r.json()) as { predictions: number[] };
        expect(r.status).toBe(200);
        expectClose(body.predictions, ours(data, models.ridge as Regressor, { columns: table.columns, data: table.data.slice(0, 50) }));
        const bad = await fetch(`${serving.url}/invocations`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ dataframe_records: [{ area: 50 }] }) });
        expect(bad.status).toBe(400);
        expect(((await bad.json()) as { message: string }).message).toMatch(/Model is missing inputs/);
      } finally {
        await serving.close();
        await onnx.close();
      }
    });

    it("`export-onnx models:/name@alias --out FILE` writes the file onnxruntime runs", async () => {
      const out = join(tmp.dir, "cli.onnx");
      const write = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
      let code: number;
      let last: unknown;
      try {
        code = await exportOnnxCommand.run([`models:/${NAME}@champion`, "--out", out, "--tracking-uri", root, "--json"]);
        last = write.mock.calls.at(-1)?.[0];
      } finally {
        write.mockRestore();
      }
      expect(code).toBe(0);
      const printed = JSON.parse(String(last)) as { bytes: number; source: string };
      expect(printed).toMatchObject({ bytes: readFileSync(out).length, source: "onnx flavor" });
      const predictor = await loadOnnxPredictor(readFileSync(out));
      expectClose(await predictor.predict(table), ours(data, models.ridge as Regressor, table));
      await predictor.close();
    });
  });
});

describe.skipIf(!HAVE_REAL)("the OLX pipeline as ONNX on the real data's holdout", () => {
  it("onnxruntime-web predicts as our booster and random forest pipelines", async () => {
    const data = prepareOlx({ seed: 42, csv: REAL_OLX_CSV });
    const table = holdoutTable(data);
    const booster = new XGBRegressor({ n_estimators: 30, max_depth: 6, eta: 0.3, nthread: 2 }).fit(data.XTrain, data.yTrain);
    const forest = new RandomForestRegressor({ nEstimators: 4, maxDepth: 10, seed: 1 }).fit(data.XTrain, data.yTrain);
    for (const model of [booster, forest]) {
      const predictor = await loadOnnxPredictor(exportOnnx({ model, preprocessor: data.preprocessor }).bytes);
      expectClose(await predictor.predict(table), ours(data, model, table));
      await predictor.close();
    }
  }, 180_000);
});
