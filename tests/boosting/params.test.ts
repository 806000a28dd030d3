import { describe, expect, it } from "vitest";
import { ValueError } from "../../src/errors";
import { matrix } from "../../src/util/matrix";
import { DMatrix, resolveParams, train, XGBRegressor } from "../../src/models/boosting";
import type { BoosterParams } from "../../src/models/boosting";

describe("booster parameters", () => {
  it("takes XGBoost's defaults", () => {
    const p = resolveParams({});
    expect(p).toMatchObject({ eta: 0.3, gamma: 0, maxDepth: 6, minChildWeight: 1, maxDeltaStep: 0, subsample: 1,
      lambda: 1, alpha: 0, maxBin: 256, objective: "reg:squarederror", evalMetric: ["rmse"] });
    expect(resolveParams({ objective: "reg:absoluteerror" }).evalMetric).toEqual(["mae"]);
  });

  it("resolves aliases", () => {
    const p = resolveParams({ learning_rate: 0.1, reg_lambda: 2, reg_alpha: 0.5, min_split_loss: 3, random_state: 7, n_jobs: 2 });
    expect(p).toMatchObject({ eta: 0.1, lambda: 2, alpha: 0.5, gamma: 3, seed: 7, nthread: 2 });
    expect(() => resolveParams({ eta: 0.1, learning_rate: 0.2 })).toThrow(/"eta" is given twice/);
  });

  const bad: Array<[string, Record<string, unknown>, RegExp]> = [
    ["negative eta", { eta: -0.1 }, /"eta"/],
    ["max_depth 0", { max_depth: 0 }, /"max_depth"/],
    ["unknown name", { max_dept: 3 }, /Unknown booster parameter "max_dept"/],
    ["subsample 0", { subsample: 0 }, /"subsample"/],
    ["bad objective", { objective: "binary:logistic" }, /"objective"/],
    ["bad metric", { eval_metric: "auc" }, /"eval_metric"/],
    ["NaN lambda", { lambda: NaN }, /"lambda"/],
    ["exact tree method", { tree_method: "exact" }, /"tree_method"/],
  ];
  for (const [name, params, message] of bad) {
    it(`rejects ${name}, naming the parameter`, () => {
      expect(() => resolveParams(params)).toThrow(ValueError);
      expect(() => resolveParams(params)).toThrow(message);
      expect(() => new XGBRegressor(params as BoosterParams)).toThrow(message);
    });
  }

  it("stores features as float32, with NaN for infinities and the missing marker", () => {
    const X = matrix(2, 3, Float64Array.from([0.1, Infinity, -999, -Infinity, 1e39, NaN]));
    const want = [Math.fround(0.1), NaN, NaN, NaN, Infinity, NaN];
    expect(Array.from(new DMatrix(X, { missing: -999 }).values)).toEqual(want);
    expect(Array.from(new DMatrix(X).values)).toEqual([Math.fround(0.1), NaN, -999, NaN, Infinity, NaN]);
  });

  it("rejects NaN labels and mismatched shapes, naming the culprit", () => {
    const X = matrix(3, 2, Float64Array.from([1, 2, 3, 4, 5, 6]));
    expect(() => new DMatrix(X, { label: [1, NaN, 3] })).toThrow(/label at row 1/);
    expect(() => new DMatrix(X, { label: [1, 2] })).toThrow(/label has 2 values, X has 3 rows/);
    expect(() => new XGBRegressor().fit(X, [1, 2])).toThrow(/label has 2 values/);
    const other = new DMatrix(matrix(2, 3), { label: [0, 0] });
    expect(() => train({}, new DMatrix(X, { label: [1, 2, 3] }), { evals: [[other, "bad"]] })).toThrow(/"bad" has 3 features, dtrain has 2/);
    expect(() => new XGBRegressor().predict(X)).toThrow(/not fitted/);
  });
});
