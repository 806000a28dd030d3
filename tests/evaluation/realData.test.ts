import { existsSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { REAL_OLX_CSV } from "../../src/data/paths";
import { crossValidate } from "../../src/evaluation/crossValidate";
import { KFold } from "../../src/evaluation/kFold";
import { KNeighborsRegressor } from "../../src/models/kNeighbors";
import { LinearSVR } from "../../src/models/linearSvr";
import { RandomForestRegressor } from "../../src/models/randomForest";
import { Ridge } from "../../src/models/ridge";
import type { Regressor } from "../../src/models/base";
import { prepareOlx, type PreparedOlx } from "../../src/preprocess/prepareOlx";
import { ensureBuiltWorkers } from "../models/builtLibrary";

const HAVE_REAL = existsSync(REAL_OLX_CSV);
if (!HAVE_REAL) console.warn(`SKIPPED the real-data parity tests: ${REAL_OLX_CSV} is missing`);

/** scikit-learn 1.2's mean 5-fold figures from the issue (../shared/peers/simple_trainer.py). */
const SKLEARN = {
  Ridge: { rmse: 106_233, mape: 0.242 },
  RandomForest: { rmse: 46_395, mape: 0.082 },
  LinearSVR: { rmse: 315_005, mape: 0.736 },
  KNN: { rmse: 90_542, mape: 0.197 },
};
const SCORING = ["rmse", "mape"];
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

describe.skipIf(!HAVE_REAL)("parity with scikit-learn on the real OLX data (seed 111, 5 folds)", () => {
  let data: PreparedOlx;
  beforeAll(() => {
    ensureBuiltWorkers();
    data = prepareOlx({ csv: REAL_OLX_CSV, seed: 111 });
  });

  const withinTolerance = async (name: keyof typeof SKLEARN, estimator: Regressor, nJobs: number): Promise<void> => {
    const result = await crossValidate(estimator, data.XTrain, data.yTrain, { cv: 5, scoring: SCORING, nJobs });
    // Our split and preprocessing differ from scikit-learn's (their RNG), hence 3 %.
    expect(Math.abs(mean(result.test.rmse!) / SKLEARN[name].rmse - 1)).toBeLessThan(0.03);
    expect(Math.abs(mean(result.test.mape!) / SKLEARN[name].mape - 1)).toBeLessThan(0.03);
  };

  it("Ridge", () => withinTolerance("Ridge", new Ridge(), 1));
  it("LinearSVR, degenerate as in scikit-learn", async () => {
    await withinTolerance("LinearSVR", new LinearSVR(), 1);
    const fitted = new LinearSVR().fit(data.XTrain, data.yTrain);
    expect(fitted.state!.nIter).toBe(2);
    expect(fitted.state!.intercept).toBe(data.XTrain.rows);
  });
  it("KNN", () => withinTolerance("KNN", new KNeighborsRegressor(), 2));

  it("RandomForest on one fold (100 trees, both cores)", async () => {
    // The full 5-fold forest belongs in `npm run bench -- trainer`; one fold keeps CI cheap.
    // A single fold's test RMSE strays from the 5-fold mean by the fold-to-fold spread
    // (measured on this data: within +-3 %), on top of the 3 % split tolerance: hence 5 %.
    const fold = new KFold({ nSplits: 5 }).split(data.XTrain.rows).slice(0, 1);
    const result = await crossValidate(new RandomForestRegressor({ nJobs: 2, seed: 0 }), data.XTrain, data.yTrain, { cv: fold, scoring: SCORING });
    expect(Math.abs(result.test.rmse![0]! / SKLEARN.RandomForest.rmse - 1)).toBeLessThan(0.05);
    expect(Math.abs(result.test.mape![0]! / SKLEARN.RandomForest.mape - 1)).toBeLessThan(0.05);
  });
});
