import { describe, expect, test } from "vitest";
import { BayesianRidge, Frame, IterativeImputer, Random } from "../../src";

describe("IterativeImputer on complete data", () => {
  test("fits each feature's model exactly as BayesianRidge.fit on the other columns does", () => {
    const rnd = new Random(5);
    const n = 500;
    const a = Float64Array.from({ length: n }, () => rnd.normal(3, 2));
    const b = a.map((v) => 0.5 * v + rnd.normal(0, 1));
    const c = Float64Array.from({ length: n }, () => rnd.uniform(-4, 9));
    const columns = { a, b, c };
    const imputer = new IterativeImputer({ maxIter: 5 });
    const out = imputer.fitTransform(new Frame(columns));
    expect(imputer.nIter).toBe(1);
    for (const name of ["a", "b", "c"]) expect(Array.from(out.numeric(name))).toEqual(Array.from(columns[name as "a"]));
    const steps = (imputer.toJSON().state as { sequence: Array<{ feature: number; model: ReturnType<BayesianRidge["toJSON"]> }> }).sequence;
    expect(steps.map((s) => s.feature)).toEqual([0, 1, 2]);
    const cols = [a, b, c];
    for (const step of steps) {
      const others = cols.filter((_, k) => k !== step.feature);
      const X = { rows: n, cols: 2, data: Float64Array.from({ length: 2 * n }, (_, t) => (others[t % 2] as Float64Array)[Math.floor(t / 2)] as number) };
      const direct = new BayesianRidge().fit(X, cols[step.feature] as Float64Array).toJSON();
      expect(step.model).toEqual(direct);
    }
  });

  test("a row missing later is filled by the models fitted on complete data", () => {
    const rnd = new Random(6);
    const a = Float64Array.from({ length: 200 }, () => rnd.normal());
    const b = a.map((v) => 2 * v + 1);
    const imputer = new IterativeImputer({ maxIter: 5 }).fit(new Frame({ a, b }));
    const filled = imputer.transform(new Frame({ a: Float64Array.of(1.5), b: Float64Array.of(NaN) }));
    expect(filled.numeric("b")[0]).toBeCloseTo(4, 3);
  });
});
