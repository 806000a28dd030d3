import { describe, expect, it } from "vitest";
import { Ridge } from "../../src/models/ridge";
import { ValueError } from "../../src/errors";
import { syntheticRegression } from "./synthetic";

describe("Ridge", () => {
  const { X, y } = syntheticRegression(300, 6, 1);

  it("satisfies the normal equations: Xc'(Xc w - yc) + alpha w = 0, and the intercept centres the residuals", () => {
    const alpha = 2.5;
    const model = new Ridge({ alpha }).fit(X, y);
    const { coef, intercept } = model.state!;
    const n = X.rows;
    const d = X.cols;
    const xMean = new Float64Array(d);
    let yMean = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < d; j++) xMean[j] += X.data[i * d + j]! / n;
      yMean += y[i]! / n;
    }
    const grad = new Float64Array(d);
    for (let i = 0; i < n; i++) {
      let r = -(y[i]! - yMean);
      for (let j = 0; j < d; j++) r += (X.data[i * d + j]! - xMean[j]!) * coef[j]!;
      for (let j = 0; j < d; j++) grad[j] += (X.data[i * d + j]! - xMean[j]!) * r;
    }
    for (let j = 0; j < d; j++) expect(Math.abs(grad[j]! + alpha * coef[j]!)).toBeLessThan(1e-9);
    const pred = model.predict(X);
    let meanResidual = 0;
    for (let i = 0; i < n; i++) meanResidual += (y[i]! - pred[i]!) / n;
    expect(Math.abs(meanResidual)).toBeLessThan(1e-10);
    expect(intercept).toBeCloseTo(yMean - coef.reduce((s, c, j) => s + c * xMean[j]!, 0), 10);
  });

  it("recovers an exact linear law when alpha is 0", () => {
    const truth = [1.5, -2, 0.25, 4, 0, -1];
    const yLinear = new Float64Array(X.rows);
    for (let i = 0; i < X.rows; i++) {
      let v = 7;
      for (let j = 0; j < 6; j++) v += truth[j]! * X.data[i * 6 + j]!;
      yLinear[i] = v;
    }
    const model = new Ridge({ alpha: 0 }).fit(X, yLinear);
    model.state!.coef.forEach((c, j) => expect(c).toBeCloseTo(truth[j]!, 9));
    expect(model.state!.intercept).toBeCloseTo(7, 9);
  });

  it("shrinks towards zero as alpha grows", () => {
    const norm = (a: number): number => Math.hypot(...new Ridge({ alpha: a }).fit(X, y).state!.coef);
    expect(norm(1000)).toBeLessThan(norm(10));
    expect(norm(10)).toBeLessThan(norm(0.01));
  });

  it("round-trips through JSON", () => {
    const model = new Ridge().fit(X, y);
    const copy = Ridge.fromJSON(JSON.parse(JSON.stringify(model.toJSON())));
    expect(Array.from(copy.predict(X))).toEqual(Array.from(model.predict(X)));
    expect(copy.getParams()).toEqual({ alpha: 1, fitIntercept: true });
  });

  it("rejects bad input with clear errors", () => {
    expect(() => new Ridge().fit(X, y.subarray(0, 10))).toThrow(/X has 300 rows but y has 10 values/);
    const withNaN = { ...X, data: Float64Array.from(X.data) };
    withNaN.data[7] = NaN;
    expect(() => new Ridge().fit(withNaN, y)).toThrow(ValueError);
    expect(() => new Ridge().fit(withNaN, y)).toThrow(/NaN at row 1, column 1/);
    expect(() => new Ridge().predict(X)).toThrow(/not fitted/);
    expect(() => new Ridge().fit(X, y).predict({ rows: 1, cols: 2, data: new Float64Array(2) })).toThrow(/2 features.*fitted with 6/);
    expect(() => new Ridge({ alpha: -1 })).toThrow(/alpha must be >= 0/);
  });
});
