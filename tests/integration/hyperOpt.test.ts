import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  CHAMPION_ALIAS,
  HYPER_OPT_MODEL_NAME,
  MlflowClient,
  frameToTable,
  loadLibraryModel,
  loadOnnxModel,
  mae,
  mape,
  r2,
  rmse,
  runHyperOpt,
  setTrackingUri,
  type HyperOptResult,
} from "../../src";

const dir = mkdtempSync(join(tmpdir(), "hyperopt-"));
const uri = join(dir, "mlruns");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the tuning experiment on the bundled sample, tracked to a FileStore", () => {
  let out: Awaited<ReturnType<typeof runHyperOpt>>;
  let result: HyperOptResult;
  beforeAll(async () => {
    setTrackingUri(uri);
    out = await runHyperOpt({ trials: 6, numBoostRound: 40, earlyStoppingRounds: 10, nWarmupSteps: 5, studyName: "hyperopt-test" });
    result = out.result;
  });

  test("counts add up and the best trial is the minimum of the completed ones", () => {
    expect(result.n_trials).toBe(6);
    expect(result.n_complete + result.n_pruned + result.n_fail).toBe(6);
    const values = out.study.trials.filter((t) => t.state === "COMPLETE").map((t) => t.value as number);
    expect(result.best_value).toBe(Math.min(...values));
    expect(Object.keys(result.best_params).sort()).toEqual(
      ["colsample_bytree", "eta", "gamma", "max_depth", "min_child_weight", "reg_alpha", "reg_lambda", "subsample"],
    );
  });

  test("holdout metrics are those of the final model's predictions", () => {
    const predicted = out.model.predict(out.data.XTest);
    expect(result.holdout.rmse).toBe(rmse(out.data.yTest, predicted));
    expect(result.holdout.mae).toBe(mae(out.data.yTest, predicted));
    expect(result.holdout.mape).toBe(mape(out.data.yTest, predicted));
    expect(result.holdout.r2).toBe(r2(out.data.yTest, predicted));
  });

  test("every trial is one MLflow run with the callback's tags; the final model is the champion", async () => {
    const client = new MlflowClient(uri);
    const experiment = await client.getExperimentByName("hyperopt-test");
    expect(experiment).not.toBeNull();
    const runs = await client.searchAllRuns([experiment?.experimentId as string]);
    const trialRuns = runs.filter((r) => r.info.runName !== "final-model");
    expect(trialRuns.length).toBe(6);
    for (const run of trialRuns) {
      const tags = Object.fromEntries(run.data.tags.map((t) => [t.key, t.value]));
      const trial = out.study.trials[Number(tags["number"])];
      expect(trial).toBeDefined();
      expect(tags["state"]).toBe(trial?.state);
      expect(tags["direction"]).toBe("MINIMIZE");
      expect(tags["datetime_start"]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$/);
      expect(tags["eta_distribution"]).toBe("FloatDistribution(high=0.3, log=False, low=0.001, step=None)");
      expect(tags["max_depth_distribution"]).toBe("IntDistribution(high=10, log=False, low=5, step=1)");
      const metric = run.data.metrics.find((m) => m.key === "value");
      // Optuna gives a pruned trial its last intermediate value; failed trials have none.
      if (trial?.value !== null && trial?.value !== undefined) expect(metric?.value).toBe(trial.value);
      else expect(metric).toBeUndefined();
    }
    const version = await client.getModelVersionByAlias(HYPER_OPT_MODEL_NAME, CHAMPION_ALIAS);
    expect(version.version).toBe(result.model_version);
    expect(version.description).toContain("RMSE");
    // For people (the registry page wraps it): "eta 0.2134, ..." to four significant digits, no JSON.
    const eta = result.best_params["eta"] as number;
    expect(version.description).toContain(`eta ${Number(eta.toPrecision(4))},`);
    expect(version.description).not.toContain("{");
    expect((await client.getRegisteredModel(HYPER_OPT_MODEL_NAME)).description).toMatch(/^Flat prices in Poland/);
  });

  test("models:/…@champion loads and predicts raw rows as the fitted model does", async () => {
    const loaded = await loadLibraryModel(`models:/${HYPER_OPT_MODEL_NAME}@${CHAMPION_ALIAS}`);
    const frame = out.data.frameTest.select(out.data.preprocessor.requiredColumns).head(20);
    const viaRegistry = loaded.predict(frameToTable(frame));
    const direct = out.model.predict(out.data.preprocessor.transform(frame));
    expect(Array.from(viaRegistry)).toEqual(Array.from(direct));
    expect(() => loaded.predict({ columns: ["area"], data: [[50]] })).toThrow();
  });

  test("the champion also carries MLflow's xgboost flavor (its python_function) and the onnx flavor, whose graph predicts as the model", async () => {
    const uri = `models:/${HYPER_OPT_MODEL_NAME}@${CHAMPION_ALIAS}`;
    const loaded = await loadLibraryModel(uri);
    expect(Object.keys(loaded.info.flavors).sort()).toEqual(["mlflow_demo_ts", "onnx", "python_function", "xgboost"]);
    expect(loaded.info.flavors.python_function).toMatchObject({ loader_module: "mlflow.xgboost", data: "model.json" });
    const onnx = await loadOnnxModel(uri);
    const frame = out.data.frameTest.select(out.data.preprocessor.requiredColumns).head(20);
    const viaOnnx = await onnx.predict(frameToTable(frame));
    await onnx.close();
    const direct = out.model.predict(out.data.preprocessor.transform(frame));
    direct.forEach((v, i) => expect(Math.abs((viaOnnx[i] as number) - v)).toBeLessThanOrEqual(1e-5 * Math.abs(v)));
  });
});
