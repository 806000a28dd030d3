import { execFileSync } from "node:child_process";
import { beforeAll, describe, expect, it } from "vitest";
import { crossValidate } from "../../src/evaluation/crossValidate";
import { KFold } from "../../src/evaluation/kFold";
import { mape, rmse } from "../../src/evaluation/metrics";
import { KNeighborsRegressor } from "../../src/models/kNeighbors";
import { RandomForestRegressor } from "../../src/models/randomForest";
import { Ridge } from "../../src/models/ridge";
import { takeRows, takeValues } from "../../src/util/matrix";
import { ensureBuiltWorkers } from "../models/builtLibrary";
import { syntheticRegression } from "../models/synthetic";

const SCORING = ["neg_root_mean_squared_error", "neg_mean_absolute_percentage_error"];

function hasSklearn(): boolean {
  try {
    execFileSync("/usr/bin/python3", ["-c", "import sklearn"], { stdio: "pipe" });
    return true;
  } catch {
    return false;
  }
}

const SKLEARN = hasSklearn();
if (!SKLEARN) console.warn("SKIPPED the scikit-learn comparison: /usr/bin/python3 cannot import sklearn");

describe("crossValidate", () => {
  const { X, y } = syntheticRegression(250, 4, 41);
  beforeAll(() => ensureBuiltWorkers());

  it("fits a clone per fold and scores it like a by-hand loop", async () => {
    const result = await crossValidate(new Ridge({ alpha: 0.5 }), X, y, { cv: 5, scoring: SCORING, returnTrainScore: true });
    const folds = new KFold({ nSplits: 5 }).split(X.rows);
    folds.forEach((fold, i) => {
      const model = new Ridge({ alpha: 0.5 }).fit(takeRows(X, fold.train), takeValues(y, fold.train));
      const yTest = takeValues(y, fold.test);
      const pred = model.predict(takeRows(X, fold.test));
      expect(result.test.neg_root_mean_squared_error![i]).toBe(-rmse(yTest, pred));
      expect(result.test.neg_mean_absolute_percentage_error![i]).toBe(-mape(yTest, pred));
      const trainPred = model.predict(takeRows(X, fold.train));
      expect(result.train!.neg_root_mean_squared_error![i]).toBe(-rmse(takeValues(y, fold.train), trainPred));
    });
    expect(result.fitTime.length).toBe(5);
    expect(result.scoreTime.every((t) => t >= 0)).toBe(true);
  });

  it("gives identical scores with nJobs 2 (worker threads) and nJobs 1", async () => {
    for (const estimator of [new Ridge(), new KNeighborsRegressor(), new RandomForestRegressor({ nEstimators: 8, seed: 5 })]) {
      const cv = new KFold({ nSplits: 4, shuffle: true, seed: 1 });
      const one = await crossValidate(estimator, X, y, { cv, scoring: SCORING, returnTrainScore: true, nJobs: 1 });
      const two = await crossValidate(estimator, X, y, { cv, scoring: SCORING, returnTrainScore: true, nJobs: 2 });
      expect(two.test).toEqual(one.test);
      expect(two.train).toEqual(one.train);
    }
  });

  it("accepts explicit folds and defaults to R^2", async () => {
    const folds = new KFold({ nSplits: 3 }).split(X.rows);
    const result = await crossValidate(new Ridge(), X, y, { cv: folds });
    expect(Object.keys(result.test)).toEqual(["r2"]);
    expect(result.test.r2!.length).toBe(3);
    expect(result.train).toBeUndefined();
  });

  it("rejects an unknown scoring name, mismatched shapes and too many folds", async () => {
    await expect(crossValidate(new Ridge(), X, y, { scoring: "neg_rmse" })).rejects.toThrow(/unknown scoring name "neg_rmse"/);
    await expect(crossValidate(new Ridge(), X, y.subarray(0, 10))).rejects.toThrow(/X has 250 rows but y has 10 values/);
    await expect(crossValidate(new Ridge(), X, y, { cv: 500 })).rejects.toThrow(/cv=500 folds is more than the 250 samples/);
  });

  it.skipIf(!SKLEARN)("matches scikit-learn's cross_validate for Ridge and KNeighborsRegressor", async () => {
    const script = `
import json, sys, numpy as np
from sklearn.linear_model import Ridge
from sklearn.neighbors import KNeighborsRegressor
from sklearn.model_selection import cross_validate
d = json.load(sys.stdin); X = np.array(d["X"]).reshape(d["rows"], d["cols"]); y = np.array(d["y"])
out = {}
for name, est in (("Ridge", Ridge()), ("KNN", KNeighborsRegressor())):
    r = cross_validate(est, X, y, cv=5, scoring=${JSON.stringify(SCORING).replace(/"/g, "'")}, return_train_score=True)
    out[name] = {k: v.tolist() for k, v in r.items() if k.startswith(("test_", "train_"))}
print(json.dumps(out))`;
    const stdout = execFileSync("/usr/bin/python3", ["-c", script], {
      input: JSON.stringify({ rows: X.rows, cols: X.cols, X: Array.from(X.data), y: Array.from(y) }),
    }).toString();
    const sk = JSON.parse(stdout) as Record<string, Record<string, number[]>>;
    for (const [name, estimator] of [["Ridge", new Ridge()], ["KNN", new KNeighborsRegressor()]] as const) {
      const ours = await crossValidate(estimator, X, y, { cv: 5, scoring: SCORING, returnTrainScore: true });
      for (const s of SCORING) {
        ours.test[s]!.forEach((v, i) => expect(v).toBeCloseTo(sk[name]![`test_${s}`]![i]!, 9));
        ours.train![s]!.forEach((v, i) => expect(v).toBeCloseTo(sk[name]![`train_${s}`]![i]!, 9));
      }
    }
  });
});
