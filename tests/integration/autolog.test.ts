import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { MlflowClient, Ridge, XGBRegressor, autolog, crossValidate, cvMetrics, loadLibraryModel, prepareOlx, setTrackingUri, withRun } from "../../src";

const dir = mkdtempSync(join(tmpdir(), "autolog-"));
afterAll(() => {
  autolog({ disable: true });
  rmSync(dir, { recursive: true, force: true });
});

describe("autolog() for the library's estimators", () => {
  const uri = join(dir, "mlruns");
  setTrackingUri(uri);
  const data = prepareOlx({ seed: 7 });

  test("fit logs params, tags and a model that predicts as the fitted estimator", async () => {
    autolog();
    let fitted: XGBRegressor | undefined;
    const runId = await withRun({ runName: "fit" }, (run) => {
      fitted = new XGBRegressor({ eta: 0.3, max_depth: 3, n_estimators: 20 }).fit(data.XTrain, data.yTrain);
      return run.info.runId;
    });
    const run = await new MlflowClient(uri).getRun(runId);
    const params = Object.fromEntries(run.data.params.map((p) => [p.key, p.value]));
    expect(params["eta"]).toBe("0.3");
    expect(params["max_depth"]).toBe("3");
    expect(run.data.tags.find((t) => t.key === "estimator_name")?.value).toBe("XGBRegressor");
    const loaded = await loadLibraryModel(`runs:/${runId}/model`);
    expect(loaded.info.flavors.python_function).toMatchObject({ loader_module: "mlflow.xgboost" });
    expect(loaded.info.flavors.xgboost).toMatchObject({ model_format: "json", xgb_version: "1.7.4" });
    const rows = data.XTest;
    expect(Array.from(loaded.predict({ columns: data.featureNames, data: [Array.from(rows.data.subarray(0, rows.cols))] }))).toEqual(
      Array.from((fitted as XGBRegressor).predict({ rows: 1, cols: rows.cols, data: rows.data.subarray(0, rows.cols) })),
    );
  });

  test("crossValidate logs the mean metrics once, not a model per fold", async () => {
    autolog();
    let result: Awaited<ReturnType<typeof crossValidate>> | undefined;
    const runId = await withRun({ runName: "cv" }, async (run) => {
      result = await crossValidate(new Ridge(), data.XTrain, data.yTrain, {
        cv: 3,
        scoring: ["neg_root_mean_squared_error", "neg_mean_absolute_percentage_error"],
        returnTrainScore: true,
      });
      return run.info.runId;
    });
    const client = new MlflowClient(uri);
    const run = await client.getRun(runId);
    const metrics = Object.fromEntries(run.data.metrics.map((m) => [m.key, m.value]));
    const expected = cvMetrics(result as NonNullable<typeof result>);
    expect(metrics["mean_test_rmse"]).toBe(expected["mean_test_rmse"]);
    expect(metrics["mean_train_mape"]).toBe(expected["mean_train_mape"]);
    expect((await client.listArtifacts(runId)).length).toBe(0);
  });

  test("turned off, fit logs nothing", async () => {
    autolog({ disable: true });
    const runId = await withRun({ runName: "off" }, (run) => {
      new Ridge().fit(data.XTrain, data.yTrain);
      return run.info.runId;
    });
    expect((await new MlflowClient(uri).getRun(runId)).data.params.length).toBe(0);
  });
});
