import { describe, expect, it } from "vitest";
import { compareModels, type ModelComparisonRow } from "../../src/evaluation/compareModels";
import { crossValidate } from "../../src/evaluation/crossValidate";
import type { Regressor } from "../../src/models/base";
import { DecisionTreeRegressor } from "../../src/models/decisionTree";
import { Ridge } from "../../src/models/ridge";
import { syntheticRegression } from "../models/synthetic";

describe("compareModels", () => {
  const { X, y } = syntheticRegression(300, 4, 51);

  it("reports mean CV figures per model, calls onModelDone in order, and picks the lowest test RMSE", async () => {
    const seen: Array<[string, Regressor, ModelComparisonRow]> = [];
    const progress: number[] = [];
    const comparison = await compareModels(
      [
        { name: "Ridge", estimator: new Ridge() },
        { name: "Tree", estimator: new DecisionTreeRegressor({ maxDepth: 6 }) },
      ],
      X,
      y,
      { cv: 3, refit: true, onModelDone: (name, model, row) => void seen.push([name, model, row]), onProgress: (done) => void progress.push(done) },
    );
    expect(comparison.rows.map((r) => r.name)).toEqual(["Ridge", "Tree"]);
    expect(seen.map((s) => s[0])).toEqual(["Ridge", "Tree"]);
    // Each model announces itself (0, then 3 folds done), then one call per finished fold.
    expect(progress).toEqual([0, 1, 2, 3, 3, 4, 5, 6]);
    // The refitted model predicts (it was fitted on all rows).
    expect(seen[0]![1].predict(X).length).toBe(X.rows);
    const cv = await crossValidate(new Ridge(), X, y, { cv: 3, scoring: "neg_root_mean_squared_error" });
    const meanRmse = -cv.test.neg_root_mean_squared_error!.reduce((a, b) => a + b, 0) / 3;
    expect(comparison.rows[0]!.testRmse).toBeCloseTo(meanRmse, 9);
    const best = comparison.rows.reduce((a, b) => (b.testRmse < a.testRmse ? b : a));
    expect(comparison.best).toBe(best.name);
    for (const r of comparison.rows) {
      expect(r.testMape).toBeGreaterThan(0);
      expect(r.trainRmse).toBeGreaterThan(0);
      expect(r.kind).toBe(r.name === "Ridge" ? "Ridge" : "DecisionTreeRegressor");
    }
  });

  it("rejects no models and duplicate names", async () => {
    await expect(compareModels([], X, y)).rejects.toThrow(/no models/);
    await expect(compareModels([{ name: "A", estimator: new Ridge() }, { name: "A", estimator: new Ridge() }], X, y)).rejects.toThrow(/"A" is given twice/);
  });
});
