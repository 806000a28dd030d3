import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import * as mlflow from "../../src/tracking";
import { metricsToRecord, tagsToRecord, type SavedEstimatorJSON } from "../../src/tracking";
import { tempDir } from "./helpers";

const estimator = {
  kind: "Ridge",
  getParams: () => ({ alpha: 1, solver: { name: "cholesky", tol: 0.001 } }),
  toJSON: (): SavedEstimatorJSON => ({ kind: "Ridge", params: { alpha: 1 }, state: { coef: [1, 2] } }),
};

describe("autolog hooks", () => {
  const tmp = tempDir();
  afterAll(tmp.cleanup);
  mlflow.setTrackingUri(join(tmp.dir, "mlruns"));

  it("computes the original Python project's CV metric names and values (negated errors become positive)", () => {
    const m = mlflow.cvMetrics({
      fitTime: [1, 3],
      scoreTime: [0.5, 0.5],
      test: { neg_root_mean_squared_error: [-2, -4], r2: [0.5, 0.7] },
      train: { neg_mean_absolute_percentage_error: [-0.1, -0.3] },
    });
    expect(m).toEqual({
      mean_test_rmse: 3,
      std_test_rmse: 1,
      mean_test_r2: 0.6,
      std_test_r2: expect.closeTo(0.1, 12),
      mean_train_mape: 0.2,
      mean_fit_time_s: 2,
      mean_score_time_s: 0.5,
    });
  });

  it("logs nothing while autolog is off, and params, tags, model and CV metrics when on", async () => {
    const offRun = await mlflow.withRun({}, async (run) => {
      await mlflow.autologFit(estimator);
      return run.info.runId;
    });
    expect((await mlflow.getClient().getRun(offRun)).data.params).toEqual([]);
    mlflow.autolog();
    const runId = await mlflow.withRun({}, async (run) => {
      await mlflow.autologFit(estimator);
      await mlflow.autologFit(estimator);
      await mlflow.autologCrossValidate({ fitTime: [1], scoreTime: [2], test: { neg_root_mean_squared_error: [-5] } });
      return run.info.runId;
    });
    const run = await mlflow.getClient().getRun(runId);
    expect(tagsToRecord(run.data.params)).toEqual({ alpha: "1", "solver.name": "cholesky", "solver.tol": "0.001" });
    expect(tagsToRecord(run.data.tags)).toMatchObject({ estimator_name: "Ridge", estimator_class: "mlflow-demo-ts.Ridge" });
    expect(metricsToRecord(run.data.metrics)).toEqual({ mean_test_rmse: 5, std_test_rmse: 0, mean_fit_time_s: 1, mean_score_time_s: 2 });
    expect((await mlflow.getClient().listArtifacts(runId)).map((f) => f.path)).toEqual(["model", "model-2"]);
    mlflow.autolog({ disable: true });
    expect(mlflow.autologActive()).toBe(false);
  });
});
