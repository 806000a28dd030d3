import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import * as mlflow from "../../src/tracking";
import { MlflowError, inferSignature, loadYaml, type InputTable, type SavedEstimatorJSON } from "../../src/tracking";
import type { Matrix } from "../../src/util/matrix";
import { HAS_PYYAML, PYTHON, listTree, tempDir } from "./helpers";

/** A tiny fitted linear model: y = w . x + b. */
class Linear {
  readonly kind = "Linear";
  constructor(readonly w: number[], readonly b: number) {}
  predict(X: Matrix): Float64Array {
    const out = new Float64Array(X.rows);
    for (let i = 0; i < X.rows; i++) {
      let s = this.b;
      for (let j = 0; j < X.cols; j++) s += (this.w[j] as number) * (X.data[i * X.cols + j] as number);
      out[i] = s;
    }
    return out;
  }
  toJSON(): SavedEstimatorJSON {
    return { kind: this.kind, params: {}, state: { w: this.w, b: this.b } };
  }
}

/** A fitted preprocessor: scales `area` by 1/10 and one-hot encodes `city` over known categories. */
class AreaCity {
  readonly kind = "AreaCity";
  constructor(readonly cities: string[]) {}
  transform(table: InputTable): Matrix {
    const ia = table.columns.indexOf("area");
    const ic = table.columns.indexOf("city");
    const cols = 1 + this.cities.length;
    const data = new Float64Array(table.data.length * cols);
    table.data.forEach((row, i) => {
      data[i * cols] = (row[ia] as number) / 10;
      const k = this.cities.indexOf(row[ic] as string);
      if (k >= 0) data[i * cols + 1 + k] = 1;
    });
    return { rows: table.data.length, cols, data };
  }
  toJSON(): SavedEstimatorJSON {
    return { kind: this.kind, params: {}, state: { cities: this.cities } };
  }
}

function fromJSON(json: SavedEstimatorJSON): mlflow.LoadedEstimator {
  const state = json.state as { w?: number[]; b?: number; cities?: string[] };
  if (json.kind === "Linear") return new Linear(state.w as number[], state.b as number);
  if (json.kind === "AreaCity") return new AreaCity(state.cities as string[]);
  throw new Error(`unknown kind ${json.kind}`);
}

describe("logModel / loadModel", async () => {
  const tmp = tempDir();
  afterAll(tmp.cleanup);
  const root = join(tmp.dir, "mlruns");
  mlflow.setTrackingUri(root);
  await mlflow.setExperiment("models");
  const example: InputTable = { columns: ["area", "city", "rooms"], data: [[50, "Kraków", 2], [70, "Gdańsk", 3]] };
  const model = new Linear([100, 5, -3], 7);
  const pre = new AreaCity(["Kraków", "Gdańsk"]);
  const { logged, runId } = await mlflow.withRun({ runName: "with-model" }, async (run) => ({
    runId: run.info.runId,
    logged: await mlflow.logModel(model, {
      preprocessor: pre,
      signature: inferSignature(example),
      inputExample: example,
      registeredModelName: "house-prices",
    }),
  }));
  const expected = (area: number, city: string): number => 7 + 100 * (area / 10) + (city === "Kraków" ? 5 : city === "Gdańsk" ? -3 : 0);

  it("writes MLmodel, estimator.json, preprocessor.json and the input example under artifacts/model", () => {
    const files = listTree(join(root)).filter((f) => f.includes(`${runId}/artifacts/model/`)).map((f) => f.split("/artifacts/model/")[1]);
    expect(files.sort()).toEqual(["MLmodel", "estimator.json", "input_example.json", "preprocessor.json", "serving_input_example.json"]);
    expect(logged.modelUri).toBe(`runs:/${runId}/model`);
    expect(logged.registeredModelVersion?.version).toBe("1");
  });

  it("writes MLmodel in MLflow's format (fields, signature as a JSON string, python-style UTC time)", () => {
    const path = listTree(root).find((f) => f.endsWith(`${runId}/artifacts/model/MLmodel`)) as string;
    const text = readFileSync(join(root, path), "utf8");
    expect(text).toMatch(/^artifact_path: model\nflavors:\n {2}mlflow_demo_ts:\n {4}estimator_kind: Linear\n/);
    expect(text).toContain(`run_id: ${runId}\n`);
    expect(text).toContain("mlflow_version: 2.17.2\n");
    expect(text).toMatch(/\nutc_time_created: '\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}'\n$/);
    const meta = loadYaml(text) as { signature: { inputs: string; outputs: null; params: null } };
    expect(JSON.parse(meta.signature.inputs)).toEqual([
      { type: "double", name: "area", required: true },
      { type: "string", name: "city", required: true },
      { type: "double", name: "rooms", required: true },
    ]);
    expect(meta.signature.inputs).toMatch(/^\[\{"type": "double", "name": "area", "required": true\}, /);
    expect([meta.signature.outputs, meta.signature.params]).toEqual([null, null]);
  });

  it.skipIf(!HAS_PYYAML)("has an MLmodel that PyYAML reads to MLflow's structure", () => {
    const path = listTree(root).find((f) => f.endsWith(`${runId}/artifacts/model/MLmodel`)) as string;
    const script =
      "import sys, yaml, json\ntext = open(sys.argv[1], encoding='utf-8').read()\nm = yaml.safe_load(text)\n" +
      "assert yaml.safe_dump(m, default_flow_style=False, allow_unicode=True) == text, 'not PyYAML safe_dump output'\n" +
      "m['signature']['inputs'] = json.loads(m['signature']['inputs'])\nprint(json.dumps(m))";
    const r = spawnSync(PYTHON, ["-c", script, join(root, path)], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    const m = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(m).toMatchObject({
      artifact_path: "model",
      run_id: runId,
      flavors: { mlflow_demo_ts: { model_data: "estimator.json", preprocessor_data: "preprocessor.json", format_version: 1 } },
      signature: { inputs: [{ type: "double", name: "area", required: true }, { type: "string", name: "city", required: true }, { type: "double", name: "rooms", required: true }] },
      saved_input_example_info: { artifact_path: "input_example.json", type: "dataframe", pandas_orient: "split" },
    });
    expect(typeof m.model_size_bytes).toBe("number");
  });

  it("records the model in the mlflow.log-model.history tag as a JSON list", async () => {
    const run = await mlflow.getClient().getRun(runId);
    const history = JSON.parse(mlflow.tagsToRecord(run.data.tags)["mlflow.log-model.history"] as string) as Array<Record<string, unknown>>;
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ run_id: runId, artifact_path: "model", model_uuid: logged.modelUuid });
  });

  it("loads by runs:/, models:/name/version, models:/name@alias and stage, applying the preprocessor", async () => {
    await mlflow.getClient().setRegisteredModelAlias("house-prices", "champion", 1);
    await mlflow.getClient().transitionModelVersionStage("house-prices", 1, "Production");
    const input: Array<Record<string, mlflow.InputValue>> = [
      { area: 40, city: "Gdańsk", rooms: 1 },
      { area: 90, city: "Warszawa", rooms: 4, extra: "ignored" },
    ];
    for (const uri of [`runs:/${runId}/model`, "models:/house-prices/1", "models:/house-prices@champion", "models:/house-prices/Production", "models:/house-prices/latest"]) {
      const loaded = await mlflow.loadModel(uri, { fromJSON });
      expect(Array.from(loaded.predict(input))).toEqual([expected(40, "Gdańsk"), expected(90, "Warszawa")]);
      expect(Array.from(loaded.predict(example))).toEqual([expected(50, "Kraków"), expected(70, "Gdańsk")]);
    }
  });

  it("checks input against the signature with clear errors", async () => {
    const loaded = await mlflow.loadModel("models:/house-prices@champion", { fromJSON });
    expect(() => loaded.predict([{ area: 40, rooms: 1 }])).toThrow(/Model is missing inputs \["city"\]/);
    expect(() => loaded.predict([{ area: "big", city: "Kraków", rooms: 1 }])).toThrow(/column area.*requires double/);
    const err = await mlflow.loadModel("models:/house-prices@nobody", { fromJSON }).then(() => null, (e: unknown) => e);
    expect((err as MlflowError).errorCode).toBe("INVALID_PARAMETER_VALUE");
    await expect(mlflow.loadModel("models:/", { fromJSON })).rejects.toThrow(/Invalid model URI/);
  });

  it("loads a model without preprocessor as a numeric matrix in signature order, and refuses unfitted models", async () => {
    const plain = new Linear([2, 3], 1);
    const info = await mlflow.withRun({}, () =>
      mlflow.logModel(plain, { artifactPath: "plain", signature: { inputs: [{ type: "double", name: "a" }, { type: "long", name: "b" }] } }),
    );
    const loaded = await mlflow.loadModel(info.modelUri, { fromJSON });
    expect(Array.from(loaded.predict({ columns: ["b", "a"], data: [[10, 1]] }))).toEqual([1 + 2 * 1 + 3 * 10]);
    expect(() => loaded.predict({ columns: ["a", "b"], data: [[1, 1.5]] })).toThrow(/requires long/);
    const unfitted = { toJSON: (): SavedEstimatorJSON => ({ kind: "Linear", params: {}, state: null }) };
    await expect(mlflow.withRun({}, () => mlflow.logModel(unfitted))).rejects.toThrow(/not fitted/);
  });
});
