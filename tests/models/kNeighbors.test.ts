import { describe, expect, it } from "vitest";
import { KNeighborsRegressor } from "../../src/models/kNeighbors";
import { Random } from "../../src/util/random";
import type { Matrix } from "../../src/util/matrix";
import { syntheticRegression } from "./synthetic";

/** Brute force: all distances, sorted by (distance, row). */
function bruteForce(train: Matrix, y: ArrayLike<number>, query: Matrix, k: number): { indices: number[][]; pred: number[] } {
  const indices: number[][] = [];
  const pred: number[] = [];
  for (let q = 0; q < query.rows; q++) {
    const cand: Array<[number, number]> = [];
    for (let i = 0; i < train.rows; i++) {
      let s = 0;
      for (let j = 0; j < train.cols; j++) s += (query.data[q * query.cols + j]! - train.data[i * train.cols + j]!) ** 2;
      cand.push([s, i]);
    }
    cand.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    const nn = cand.slice(0, k).map((c) => c[1]);
    indices.push(nn);
    pred.push(nn.reduce((s, i) => s + (y[i] as number), 0) / k);
  }
  return { indices, pred };
}

describe("KNeighborsRegressor", () => {
  it("finds exactly the brute-force neighbours on continuous data", () => {
    const { X, y } = syntheticRegression(800, 7, 3);
    const { X: Q } = syntheticRegression(120, 7, 4);
    for (const k of [1, 5, 9]) {
      const model = new KNeighborsRegressor({ nNeighbors: k, leafSize: 10 }).fit(X, y);
      const truth = bruteForce(X, y, Q, k);
      const { indices } = model.kneighbors(Q);
      for (let q = 0; q < Q.rows; q++) expect(Array.from(indices.subarray(q * k, (q + 1) * k))).toEqual(truth.indices[q]);
      const pred = model.predict(Q);
      for (let q = 0; q < Q.rows; q++) expect(pred[q]).toBeCloseTo(truth.pred[q]!, 12);
    }
  });

  it("breaks distance ties by the lower training row, like a stable brute force", () => {
    // Few-valued one-hot-like data with many duplicates, as after one-hot encoding.
    const random = new Random(9);
    const rows = 600;
    const cols = 6;
    const data = new Float64Array(rows * cols);
    for (let p = 0; p < data.length; p++) data[p] = random.int(2);
    const y = Float64Array.from({ length: rows }, () => random.random());
    const X = { rows, cols, data };
    const model = new KNeighborsRegressor({ nNeighbors: 5 }).fit(X, y);
    const truth = bruteForce(X, y, X, 5);
    const { indices } = model.kneighbors(X);
    for (let q = 0; q < rows; q++) expect(Array.from(indices.subarray(q * 5, q * 5 + 5))).toEqual(truth.indices[q]);
  });

  it("round-trips through JSON", () => {
    const { X, y } = syntheticRegression(200, 4, 5);
    const model = new KNeighborsRegressor().fit(X, y);
    const copy = KNeighborsRegressor.fromJSON(JSON.parse(JSON.stringify(model.toJSON())));
    expect(Array.from(copy.predict(X))).toEqual(Array.from(model.predict(X)));
  });

  it("rejects k larger than the rows, NaN in X, and mismatched shapes", () => {
    const { X, y } = syntheticRegression(4, 3, 6);
    expect(() => new KNeighborsRegressor().fit(X, y)).toThrow(/nNeighbors=5 is greater than the 4 training rows/);
    const bad = { ...X, data: Float64Array.from(X.data) };
    bad.data[5] = NaN;
    expect(() => new KNeighborsRegressor({ nNeighbors: 2 }).fit(bad, y)).toThrow(/NaN at row 1, column 2/);
    expect(() => new KNeighborsRegressor({ nNeighbors: 2 }).fit(X, [1, 2])).toThrow(/X has 4 rows but y has 2 values/);
    const fitted = new KNeighborsRegressor({ nNeighbors: 2 }).fit(X, y);
    expect(() => fitted.predict(bad)).toThrow(/predict: X contains NaN/);
    expect(() => new KNeighborsRegressor({ nNeighbors: 0 })).toThrow(/nNeighbors must be a positive integer/);
  });
});
