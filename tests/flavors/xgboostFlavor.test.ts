/**
 * MLflow's own xgboost flavor, checked with the real MLflow 2.17.2: a booster fitted on the
 * preprocessed OLX sample and logged by `logModel` (with its preprocessor) loads with
 * `mlflow.pyfunc.load_model` and `mlflow.xgboost.load_model`, and `mlflow models serve` answers
 * as our `serve` does. Our flavor takes the raw columns, MLflow's python_function the
 * preprocessed features: each side gets its own input, and the predictions must agree.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { XGBRegressor } from "../../src/models/boosting/xgbRegressor";
import { prepareOlx, type PreparedOlx } from "../../src/preprocess/prepareOlx";
import { frameSchema, frameToTable } from "../../src/integration/tables";
import { loadLibraryModel } from "../../src/integration/modelLoader";
import "../../src/integration/modelFlavors";
import * as mlflow from "../../src/tracking";
import { loadYaml, type InputTable } from "../../src/tracking";
import { startScoringServer } from "../../src/server/serving/scoringServer";
import { tempDir } from "../tracking/helpers";
import { haveMlflowPeer, runMlflowPython, startMlflowServe, type MlflowServe } from "./mlflowPeer";

const NAME = "house_pricing_flavors";
const HAVE_MLFLOW = haveMlflowPeer("checks of our xgboost flavor with the real MLflow");

/** Relative differences of `got` from `want`, the largest. */
function worstRelative(got: ArrayLike<number>, want: ArrayLike<number>): number {
  expect(got.length).toBe(want.length);
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs((got[i] as number) - (want[i] as number)) / Math.abs(want[i] as number));
  return worst;
}

/**
 * In MLflow's Python: pyfunc.load_model on each URI predicting the preprocessed holdout,
 * xgboost.load_model's Booster saved back as JSON, and (the other way) a booster trained and
 * logged by MLflow with the xgboost flavor as JSON and UBJSON, with Python's predictions.
 */
const PYTHON_CHECKS = `
import sys, json, mlflow, numpy as np, pandas as pd, xgboost as xgb
inp = json.load(sys.stdin)
mlflow.set_tracking_uri(inp["uri"])
X = pd.DataFrame(inp["X"], columns=inp["features"])
out = {"predictions": {}, "loaders": {}}
for uri in inp["uris"]:
    m = mlflow.pyfunc.load_model(uri)
    out["loaders"][uri] = m.metadata.flavors["python_function"]["loader_module"]
    out["predictions"][uri] = [float(v) for v in np.asarray(m.predict(X)).reshape(-1)]
b = mlflow.xgboost.load_model(inp["uris"][2])
out["type"] = type(b).__module__ + "." + type(b).__name__
out["model"] = json.loads(b.save_raw("json").decode())

rng = np.random.RandomState(7)
cols = ["area", "rooms", "floor", "latitude"]
X = pd.DataFrame(rng.rand(300, 4) * [120, 5, 10, 3] + [20, 1, 0, 50], columns=cols)
y = 3000 * X.area + 20000 * X.rooms - 500 * X.floor + rng.randn(300) * 1000
X.loc[rng.rand(300) < 0.1, "floor"] = np.nan
b = xgb.train({"max_depth": 4, "eta": 0.3}, xgb.DMatrix(X, label=y), 25)
test = pd.DataFrame(rng.rand(40, 4) * [150, 6, 12, 3] + [10, 1, 0, 50], columns=cols)
test.loc[::5, "floor"] = np.nan
example = X.dropna().head(3)
mlflow.set_experiment("logged-by-python")
with mlflow.start_run() as run:
    # Requirements given: MLflow would otherwise spend seconds inferring them.
    reqs = ["xgboost==" + xgb.__version__]
    mlflow.xgboost.log_model(b, "json_model", model_format="json", input_example=example, pip_requirements=reqs)
    mlflow.xgboost.log_model(b, "ubj_model", model_format="ubj", input_example=example, pip_requirements=reqs)
rows = [[None if np.isnan(v) else float(v) for v in r] for r in test.values]
out["logged"] = {"run_id": run.info.run_id, "columns": cols, "rows": rows, "predictions": [float(v) for v in b.predict(xgb.DMatrix(test))]}
print(json.dumps(out))
`;

interface PythonAnswer {
  predictions: Record<string, number[]>;
  loaders: Record<string, string>;
  type: string;
  model: { learner: { feature_names: string[]; gradient_booster: { model: { trees: Array<Record<"left_children" | "right_children" | "split_indices" | "default_left" | "split_conditions", number[]>> } } } };
  logged: { run_id: string; columns: string[]; rows: Array<Array<number | null>>; predictions: number[] };
}

function rows(X: { rows: number; cols: number; data: Float64Array }): number[][] {
  return Array.from({ length: X.rows }, (_, i) => Array.from(X.data.subarray(i * X.cols, (i + 1) * X.cols)));
}

describe("a booster logged with MLflow's xgboost flavor next to ours", () => {
  const tmp = tempDir("flavors-xgb-");
  const root = join(tmp.dir, "mlruns");
  let data: PreparedOlx;
  let model: XGBRegressor;
  let runId: string;
  let raw: InputTable;
  let modelDir: string;
  let serving: Promise<MlflowServe> | undefined;
  let python: Promise<PythonAnswer> | undefined;

  beforeAll(async () => {
    data = prepareOlx({ seed: 42 });
    model = new XGBRegressor({ n_estimators: 40, max_depth: 5, eta: 0.3, nthread: 1 });
    model.fit(data.XTrain, data.yTrain);
    mlflow.setTrackingUri(root);
    await mlflow.setExperiment("flavors");
    const input = data.frameTest.select(data.preprocessor.requiredColumns);
    raw = frameToTable(input);
    runId = await mlflow.withRun({ runName: "champion" }, async (run) => {
      await mlflow.logModel(model, {
        preprocessor: data.preprocessor,
        signature: { inputs: frameSchema(input) },
        inputExample: frameToTable(input, 5),
        registeredModelName: NAME,
      });
      return run.info.runId;
    });
    await mlflow.getClient().setRegisteredModelAlias(NAME, "champion", "1");
    modelDir = join(root, (await mlflow.getClient().getRun(runId)).info.experimentId, runId, "artifacts", "model");
    if (HAVE_MLFLOW) {
      // Both import MLflow (seconds each): they run side by side while the other tests go on.
      serving = startMlflowServe(`models:/${NAME}@champion`, `file://${root}`);
      python = runMlflowPython<PythonAnswer>(PYTHON_CHECKS, { uri: `file://${root}`, uris: uris(), X: rows(data.XTest), features: data.featureNames });
      serving.catch(() => undefined);
      python.catch(() => undefined);
    }
  }, 60_000);
  afterAll(async () => {
    await serving?.then((s) => s.stop(), () => undefined);
    await python?.catch(() => undefined);
    tmp.cleanup();
  });
  const uris = (): string[] => [`runs:/${runId}/model`, `models:/${NAME}/1`, `models:/${NAME}@champion`];

  it("writes MLmodel with xgboost and python_function (mlflow.xgboost) next to ours, and the environment files", () => {
    const meta = loadYaml(readFileSync(join(modelDir, "MLmodel"), "utf8")) as Record<string, any>;
    expect(Object.keys(meta.flavors).sort()).toEqual(["mlflow_demo_ts", "python_function", "xgboost"]);
    expect(meta.flavors.xgboost).toEqual({ code: null, data: "model.json", model_class: "xgboost.core.Booster", model_format: "json", xgb_version: "1.7.4" });
    expect(meta.flavors.python_function).toEqual({
      data: "model.json",
      env: { conda: "conda.yaml", virtualenv: "python_env.yaml" },
      loader_module: "mlflow.xgboost",
      python_version: "3.11.2",
    });
    expect(readFileSync(join(modelDir, "requirements.txt"), "utf8")).toBe("mlflow==2.17.2\nxgboost==1.7.4");
    expect(readFileSync(join(modelDir, "conda.yaml"), "utf8")).toContain("- pip:\n  - mlflow==2.17.2\n  - xgboost==1.7.4\n");
    expect(readFileSync(join(modelDir, "python_env.yaml"), "utf8")).toMatch(/^python: 3\.11\.2\n[\s\S]*- -r requirements\.txt\n$/);
    // MLflow's signature describes the python_function's input (the features); ours keeps the raw columns.
    const features = JSON.parse(meta.signature.inputs) as Array<{ name: string; type: string }>;
    expect(features.map((c) => c.name)).toEqual(data.featureNames);
    expect(new Set(features.map((c) => c.type))).toEqual(new Set(["double"]));
    const ours = JSON.parse(meta.flavors.mlflow_demo_ts.input_schema) as Array<{ name: string }>;
    expect(ours.map((c) => c.name)).toEqual(data.preprocessor.requiredColumns);
    const example = JSON.parse(readFileSync(join(modelDir, "input_example.json"), "utf8")) as InputTable;
    expect(example.columns).toEqual(data.featureNames);
    expect(example.data).toEqual(rows(data.preprocessor.transform(data.frameTest.take([0, 1, 2, 3, 4]))));
  });

  it("loads back in TypeScript from raw rows by alias, as our predict on the preprocessed holdout", async () => {
    const loaded = await loadLibraryModel(`models:/${NAME}@champion`);
    expect(worstRelative(loaded.predict(raw), model.predict(data.XTest))).toBe(0);
  });

  it("logged without a signature, it still loads from raw rows (MLmodel's signature is the python_function's, not ours)", async () => {
    const logged = await mlflow.withRun({ runName: "unsigned" }, () => mlflow.logModel(model, { preprocessor: data.preprocessor, artifactPath: "unsigned" }));
    const loaded = await loadLibraryModel(`runs:/${logged.runId}/unsigned`);
    expect(loaded.signature).toBeNull();
    expect(worstRelative(loaded.predict(data.frameTest.toRecords()), model.predict(data.XTest))).toBe(0);
  });

  it.skipIf(!HAVE_MLFLOW)("real MLflow: pyfunc.load_model (runs:/, models:/name/1, models:/name@champion) predicts ours; xgboost.load_model gives a Booster with our trees", async () => {
    const py = (await python) as PythonAnswer;
    const ours = model.predict(data.XTest);
    for (const uri of uris()) {
      expect(py.loaders[uri]).toBe("mlflow.xgboost");
      expect(worstRelative(py.predictions[uri] as number[], ours)).toBeLessThanOrEqual(1e-6);
    }
    expect(py.type).toBe("xgboost.core.Booster");
    expect(py.model.learner.feature_names).toEqual(data.featureNames);
    const trees = py.model.learner.gradient_booster.model.trees;
    const mine = (model.booster_ as NonNullable<XGBRegressor["booster_"]>).trees;
    expect(trees).toHaveLength(mine.length);
    trees.forEach((t, i) => {
      const m = mine[i] as (typeof mine)[number];
      expect(t.left_children).toEqual(Array.from(m.left));
      expect(t.right_children).toEqual(Array.from(m.right));
      expect(t.split_indices).toEqual(Array.from(m.splitIndex));
      expect(t.default_left).toEqual(Array.from(m.defaultLeft));
      expect(t.split_conditions.map(Math.fround)).toEqual(Array.from(m.splitCondition));
    });
  }, 240_000);

  it.skipIf(!HAVE_MLFLOW)("real `mlflow models serve -m models:/...@champion` answers /invocations (features) as our serve (raw rows)", async () => {
    const theirs = (await serving) as MlflowServe;
    const ours = await startScoringServer(await loadLibraryModel(`models:/${NAME}@champion`), "127.0.0.1", 0);
    try {
      const invoke = async (url: string, body: unknown): Promise<number[]> => {
        const r = await fetch(`${url}/invocations`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
        const text = await r.text();
        expect(r.status, text).toBe(200);
        return (JSON.parse(text) as { predictions: number[] }).predictions;
      };
      const real = await invoke(theirs.url, { dataframe_split: { columns: data.featureNames, data: rows(data.XTest) } });
      const served = await invoke(ours.url, { dataframe_split: raw });
      expect(worstRelative(real, served)).toBeLessThanOrEqual(1e-6);
      expect(worstRelative(served, model.predict(data.XTest))).toBe(0);
    } finally {
      await ours.close();
    }
  }, 240_000);

  it.skipIf(!HAVE_MLFLOW)("our loadModel reads boosters real MLflow logged (JSON and UBJSON model files) and predicts as Python's xgboost, missing values included", async () => {
    const { logged } = (await python) as PythonAnswer;
    for (const path of ["json_model", "ubj_model"]) {
      const loaded = await loadLibraryModel(`runs:/${logged.run_id}/${path}`);
      expect(Object.keys(loaded.info.flavors).sort()).toEqual(["python_function", "xgboost"]);
      expect(worstRelative(loaded.predict({ columns: logged.columns, data: logged.rows }), logged.predictions)).toBeLessThanOrEqual(1e-6);
    }
  });
});
