import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import {
  KNeighborsRegressor,
  MlflowClient,
  Ridge,
  frameToTable,
  loadLibraryModel,
  prepareOlx,
  runSimpleTrainer,
  setTrackingUri,
  trackModelComparison,
} from "../../src";

const dir = mkdtempSync(join(tmpdir(), "trainer-tracking-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the trainer's tracking seam", () => {
  test("each model becomes one run with the original Python project's metric names, and its model predicts raw rows", async () => {
    const uri = join(dir, "mlruns");
    setTrackingUri(uri);
    const data = prepareOlx({ seed: 111 });
    const runIds = new Map<string, string>();
    const onModelDone = await trackModelComparison({
      experiment: "trainer-test",
      preprocessor: data.preprocessor,
      inputFrame: data.frameTrain,
      onRunLogged: (name, id) => runIds.set(name, id),
    });
    const { comparison } = await runSimpleTrainer({
      data,
      cv: 3,
      models: [
        { name: "Ridge", estimator: new Ridge() },
        { name: "KNN", estimator: new KNeighborsRegressor() },
      ],
      onModelDone,
      refit: true,
    });
    const client = new MlflowClient(uri);
    for (const row of comparison.rows) {
      const run = await client.getRun(runIds.get(row.name) as string);
      expect(run.info.runName).toBe(row.name);
      const metrics = Object.fromEntries(run.data.metrics.map((m) => [m.key, m.value]));
      expect(metrics["mean_test_rmse"]).toBe(row.testRmse);
      expect(metrics["mean_train_rmse"]).toBe(row.trainRmse);
      expect(metrics["mean_test_mape"]).toBe(row.testMape);
      expect(metrics["mean_train_mape"]).toBe(row.trainMape);
      // The run spans the model's cross-validation: it starts when the CV started and lasts at least as long.
      expect(run.info.startTime).toBe(row.startedAt);
      expect((run.info.endTime as number) - run.info.startTime).toBeGreaterThanOrEqual(Math.floor(row.wallTime * 1000));
      expect(run.info.status).toBe("FINISHED");
      expect(run.data.tags.map((t) => t.key)).toEqual(expect.arrayContaining(["mlflow.user", "mlflow.source.name", "mlflow.runName"]));
      const loaded = await loadLibraryModel(`runs:/${run.info.runId}/model`);
      const rows = data.frameTest.select(data.preprocessor.requiredColumns).head(10);
      const expected = (row.name === "Ridge" ? new Ridge() : new KNeighborsRegressor()).fit(data.XTrain, data.yTrain).predict(data.preprocessor.transform(rows));
      expect(Array.from(loaded.predict(frameToTable(rows)))).toEqual(Array.from(expected));
    }
    const ridgeParams = (await client.getRun(runIds.get("Ridge") as string)).data.params.map((p) => p.key);
    expect(ridgeParams).toContain("alpha");
  });
});
