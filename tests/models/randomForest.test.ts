import { beforeAll, describe, expect, it } from "vitest";
import { DecisionTreeRegressor } from "../../src/models/decisionTree";
import { RandomForestRegressor } from "../../src/models/randomForest";
import { predictRow } from "../../src/models/tree/treeArrays";
import { ensureBuiltWorkers } from "./builtLibrary";
import { syntheticRegression } from "./synthetic";

describe("RandomForestRegressor", () => {
  const { X, y } = syntheticRegression(400, 5, 31);
  const { X: Q } = syntheticRegression(100, 5, 32);

  beforeAll(() => ensureBuiltWorkers());

  it("is deterministic for a seed and changes with it", () => {
    const a = new RandomForestRegressor({ nEstimators: 15, seed: 7 }).fit(X, y).predict(Q);
    const b = new RandomForestRegressor({ nEstimators: 15, seed: 7 }).fit(X, y).predict(Q);
    const c = new RandomForestRegressor({ nEstimators: 15, seed: 8 }).fit(X, y).predict(Q);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
  });

  it("grows the same trees on worker threads as on one thread", async () => {
    const serial = new RandomForestRegressor({ nEstimators: 9, seed: 3, maxFeatures: 0.6 }).fit(X, y);
    const parallel = await new RandomForestRegressor({ nEstimators: 9, seed: 3, maxFeatures: 0.6, nJobs: 2 }).fitAsync(X, y);
    expect(parallel.estimators.length).toBe(9);
    parallel.estimators.forEach((tree, t) => {
      expect(Array.from(tree.feature)).toEqual(Array.from(serial.estimators[t]!.feature));
      expect(Array.from(tree.value)).toEqual(Array.from(serial.estimators[t]!.value));
    });
    expect(Array.from(parallel.predict(Q))).toEqual(Array.from(serial.predict(Q)));
  });

  it("averages its trees, and without bootstrap a one-tree forest is the decision tree", () => {
    const single = new RandomForestRegressor({ nEstimators: 1, bootstrap: false }).fit(X, y);
    expect(Array.from(single.predict(Q))).toEqual(Array.from(new DecisionTreeRegressor().fit(X, y).predict(Q)));
    const forest = new RandomForestRegressor({ nEstimators: 6, seed: 1 }).fit(X, y);
    const pred = forest.predict(Q);
    for (let i = 0; i < Q.rows; i += 17) {
      const mean = forest.estimators.reduce((s, t) => s + predictRow(t, Q.data, i * Q.cols), 0) / 6;
      expect(pred[i]).toBeCloseTo(mean, 12);
    }
  });

  it("beats a single tree out of sample (bagging reduces variance)", () => {
    const { X: XT, y: yT } = syntheticRegression(400, 5, 33, 0.5);
    const rmseOf = (p: Float64Array): number => Math.sqrt(p.reduce((s, v, i) => s + (v - yT[i]!) ** 2, 0) / p.length);
    const { X: Xn, y: yn } = syntheticRegression(400, 5, 34, 0.5);
    const tree = rmseOf(new DecisionTreeRegressor().fit(Xn, yn).predict(XT));
    const forest = rmseOf(new RandomForestRegressor({ nEstimators: 40, seed: 2 }).fit(Xn, yn).predict(XT));
    expect(forest).toBeLessThan(tree);
  });

  it("round-trips through JSON exactly", () => {
    const forest = new RandomForestRegressor({ nEstimators: 5, seed: 4 }).fit(X, y);
    const copy = RandomForestRegressor.fromJSON(JSON.parse(JSON.stringify(forest.toJSON())));
    expect(Array.from(copy.predict(Q))).toEqual(Array.from(forest.predict(Q)));
  });

  it("rejects bad options and input", () => {
    expect(() => new RandomForestRegressor({ nEstimators: 0 })).toThrow(/nEstimators must be a positive integer/);
    expect(() => new RandomForestRegressor().fit(X, y.subarray(0, 3))).toThrow(/X has 400 rows but y has 3 values/);
    expect(() => new RandomForestRegressor().predict(X)).toThrow(/not fitted/);
  });
});
