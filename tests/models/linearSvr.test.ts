import { describe, expect, it } from "vitest";
import { LinearSVR } from "../../src/models/linearSvr";
import { solveL1SvrDual, svrDualObjective } from "../../src/models/liblinearSvr";
import { Random } from "../../src/util/random";
import { syntheticRegression } from "./synthetic";

/** The primal LinearSVR objective, intercept penalised as liblinear does: 0.5|w|^2 + C sum max(0, |y - w'x| - eps). */
function primalObjective(data: Float64Array, rows: number, cols: number, y: ArrayLike<number>, w: ArrayLike<number>, C: number, eps: number): number {
  let v = 0;
  for (let j = 0; j < cols; j++) v += 0.5 * (w[j] as number) ** 2;
  for (let i = 0; i < rows; i++) {
    let f = 0;
    for (let j = 0; j < cols; j++) f += data[i * cols + j]! * (w[j] as number);
    v += C * Math.max(0, Math.abs((y[i] as number) - f) - eps);
  }
  return v;
}

function withBias(X: { rows: number; cols: number; data: Float64Array }): Float64Array {
  const cols = X.cols + 1;
  const out = new Float64Array(X.rows * cols);
  for (let i = 0; i < X.rows; i++) {
    out.set(X.data.subarray(i * X.cols, (i + 1) * X.cols), i * cols);
    out[i * cols + X.cols] = 1;
  }
  return out;
}

describe("LinearSVR (liblinear L1-loss SVR dual coordinate descent)", () => {
  const { X, y } = syntheticRegression(400, 5, 11);

  it("reports the dual objective it reached, and closes the duality gap on a well-scaled problem", () => {
    const data = withBias(X);
    const C = 1;
    const p = 0.1;
    const sol = solveL1SvrDual({ data: X.data, rows: X.rows, cols: 5, bias: 1, y, C, p, tol: 1e-4, maxIter: 5000, seed: 3 });
    // Direct evaluation: rebuild w = sum beta_i x_i from the dual variables.
    const w = new Float64Array(6);
    for (let i = 0; i < X.rows; i++) for (let j = 0; j < 6; j++) w[j] += sol.beta[i]! * data[i * 6 + j]!;
    w.forEach((v, j) => expect(v).toBeCloseTo(sol.w[j]!, 9));
    expect(sol.dualObjective).toBeCloseTo(svrDualObjective(w, sol.beta, y, p), 8);
    for (const b of sol.beta) expect(Math.abs(b)).toBeLessThanOrEqual(C);
    // Strong duality: primal(w*) = -dual(beta*) at the optimum.
    const primal = primalObjective(data, X.rows, 6, y, sol.w, C, p);
    expect(sol.nIter).toBeLessThan(5000);
    expect(Math.abs(primal + sol.dualObjective) / Math.abs(primal)).toBeLessThan(1e-4);
  });

  it("fits a noiseless linear law closely with a large C", () => {
    const random = new Random(2);
    const yLin = Float64Array.from({ length: X.rows }, (_, i) => 2 * X.data[i * 5]! - X.data[i * 5 + 1]! + 0.5 + 0 * random.random());
    const model = new LinearSVR({ C: 100, maxIter: 10000, tol: 1e-8 }).fit(X, yLin);
    const pred = model.predict(X);
    let worst = 0;
    for (let i = 0; i < X.rows; i++) worst = Math.max(worst, Math.abs(pred[i]! - yLin[i]!));
    expect(worst).toBeLessThan(0.05);
  });

  it("is degenerate on unscaled prices as in scikit-learn: two iterations, intercept = row count", () => {
    const prices = Float64Array.from(y, (v) => 300_000 + 50_000 * v);
    const model = new LinearSVR().fit(X, prices);
    expect(model.state!.nIter).toBe(2);
    expect(model.state!.intercept).toBe(X.rows);
  });

  it("is reproducible for a seed and round-trips through JSON", () => {
    const a = new LinearSVR({ epsilon: 0.05, seed: 4 }).fit(X, y);
    const b = new LinearSVR({ epsilon: 0.05, seed: 4 }).fit(X, y);
    expect(a.state).toEqual(b.state);
    const copy = LinearSVR.fromJSON(JSON.parse(JSON.stringify(a.toJSON())));
    expect(Array.from(copy.predict(X))).toEqual(Array.from(a.predict(X)));
  });

  it("rejects bad options and input", () => {
    expect(() => new LinearSVR({ C: 0 })).toThrow(/C must be > 0/);
    expect(() => new LinearSVR().fit(X, y.subarray(1))).toThrow(/X has 400 rows but y has 399 values/);
  });
});
