import { DecisionTreeRegression } from "ml-cart";
import { describe, expect, it } from "vitest";
import { DecisionTreeRegressor } from "../../src/models/decisionTree";
import { treeDepth } from "../../src/models/tree/treeArrays";
import { Random } from "../../src/util/random";
import { toRows, type Matrix } from "../../src/util/matrix";
import { syntheticRegression } from "./synthetic";

/**
 * ml-cart under equivalent settings: it turns nodes of <= minNumSamples rows into leaves
 * (our minSamplesSplit = minNumSamples + 1), splits at the mean of neighbouring values and
 * keeps the first best split over features in column order, as we do. It stops early only
 * when a split leaves zero squared error, which continuous random targets never do.
 * Returns the share of query points predicted alike; training rows must all agree.
 */
function compareWithMlCart(X: Matrix, y: Float64Array, Q: Matrix, maxDepth: number, minNumSamples: number): number {
  const reference = new DecisionTreeRegression({ maxDepth, minNumSamples });
  reference.train(toRows(X), Array.from(y));
  const ours = new DecisionTreeRegressor({ maxDepth, minSamplesSplit: minNumSamples + 1 }).fit(X, y);
  const onTrain = ours.predict(X);
  reference.predict(toRows(X)).forEach((v, i) => expect(onTrain[i]).toBeCloseTo(v, 9));
  const expected = reference.predict(toRows(Q));
  const actual = ours.predict(Q);
  let same = 0;
  for (let i = 0; i < Q.rows; i++) if (Math.abs(actual[i]! - expected[i]!) < 1e-9) same++;
  return same / Q.rows;
}

describe("DecisionTreeRegressor", () => {
  it("agrees with ml-cart on unique-valued features (exact CART splits)", () => {
    const { X, y } = syntheticRegression(150, 4, 21);
    const { X: Q } = syntheticRegression(300, 4, 22);
    // Shallow trees split nodes of many rows: every query agrees.
    expect(compareWithMlCart(X, y, Q, 4, 3)).toBe(1);
    // Deep trees reach nodes of 4-6 rows where two features can cut off the same rows with
    // exactly equal gain; each library breaks such ties by its own rounding, which moves only
    // the boundaries between training points. Training rows still all agree (checked inside).
    expect(compareWithMlCart(X, y, Q, 30, 3)).toBeGreaterThan(0.9);
  });

  it("agrees with ml-cart on few-valued features (the histogram path), queried on the value grid", () => {
    const random = new Random(5);
    const make = (rows: number): Matrix => {
      const data = new Float64Array(rows * 4);
      for (let i = 0; i < rows; i++) {
        data[i * 4] = random.int(2);
        data[i * 4 + 1] = random.int(5);
        data[i * 4 + 2] = random.int(13) - 6;
        data[i * 4 + 3] = random.random();
      }
      return { rows, cols: 4, data };
    };
    const X = make(160);
    const y = Float64Array.from({ length: 160 }, (_, i) => X.data[i * 4]! * 3 + X.data[i * 4 + 1]! - 0.2 * X.data[i * 4 + 2]! + random.normal());
    // Grid queries: ml-cart's threshold is the upper value (x < v goes left), ours the midpoint,
    // which partition the training values identically; query points on the grid agree exactly.
    const Q = make(200);
    for (let i = 0; i < Q.rows; i++) Q.data[i * 4 + 3] = X.data[(i % X.rows) * 4 + 3]!;
    // Integer features tie more often (as above); the top levels agree everywhere.
    expect(compareWithMlCart(X, y, Q, 2, 3)).toBe(1);
    expect(compareWithMlCart(X, y, Q, 12, 3)).toBeGreaterThan(0.85);
  });

  it("grows until leaves are pure by default, reproducing the training targets", () => {
    const { X, y } = syntheticRegression(200, 3, 8);
    const model = new DecisionTreeRegressor().fit(X, y);
    expect(Array.from(model.predict(X))).toEqual(Array.from(y));
    expect(treeDepth(model.treeArrays)).toBeGreaterThan(5);
  });

  it("honours maxDepth and minSamplesLeaf", () => {
    const { X, y } = syntheticRegression(300, 3, 9);
    const shallow = new DecisionTreeRegressor({ maxDepth: 3 }).fit(X, y);
    expect(treeDepth(shallow.treeArrays)).toBe(3);
    const leafy = new DecisionTreeRegressor({ minSamplesLeaf: 20 }).fit(X, y);
    const counts = new Map<number, number>();
    for (const v of leafy.predict(X)) counts.set(v, (counts.get(v) ?? 0) + 1);
    for (const c of counts.values()) expect(c).toBeGreaterThanOrEqual(20);
  });

  it("round-trips through JSON and rejects bad options", () => {
    const { X, y } = syntheticRegression(100, 3, 10);
    const model = new DecisionTreeRegressor({ maxDepth: 5 }).fit(X, y);
    const copy = DecisionTreeRegressor.fromJSON(JSON.parse(JSON.stringify(model.toJSON())));
    expect(Array.from(copy.predict(X))).toEqual(Array.from(model.predict(X)));
    expect(() => new DecisionTreeRegressor({ maxFeatures: 2 })).toThrow(/maxFeatures must be a fraction/);
    expect(() => new DecisionTreeRegressor({ minSamplesLeaf: 0 })).toThrow(/minSamplesLeaf must be an integer >= 1/);
  });
});
