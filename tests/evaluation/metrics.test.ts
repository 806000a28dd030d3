import { describe, expect, it } from "vitest";
import { FLOAT64_EPSILON, mae, mape, mse, r2, rmse } from "../../src/evaluation/metrics";
import { getScorer, SCORING_NAMES } from "../../src/evaluation/scoring";
import { ValueError } from "../../src/errors";

describe("metrics (closed forms worked by hand)", () => {
  const yTrue = [1, 2, 3, 4];
  const yPred = [1, 2, 5, 2];
  it("mse, rmse, mae", () => {
    expect(mse(yTrue, yPred)).toBeCloseTo((0 + 0 + 4 + 4) / 4, 15);
    expect(rmse(yTrue, yPred)).toBeCloseTo(Math.sqrt(2), 15);
    expect(mae(yTrue, yPred)).toBeCloseTo((0 + 0 + 2 + 2) / 4, 15);
  });
  it("mape is a fraction of |yTrue|", () => {
    expect(mape(yTrue, yPred)).toBeCloseTo((2 / 3 + 2 / 4) / 4, 15);
  });
  it("mape divides by max(|y|, float64 eps), as scikit-learn", () => {
    expect(FLOAT64_EPSILON).toBe(Number.EPSILON);
    expect(mape([0, 2], [1, 2])).toBe(1 / Number.EPSILON / 2);
    expect(mape([-4], [-2])).toBe(0.5);
  });
  it("r2: 1 - SSres/SStot; constant targets give 1 when exact and 0 otherwise", () => {
    // mean 2.5, SStot = 5, SSres = 8
    expect(r2(yTrue, yPred)).toBeCloseTo(1 - 8 / 5, 15);
    expect(r2([3, 3], [3, 3])).toBe(1);
    expect(r2([3, 3], [3, 4])).toBe(0);
  });
  it("rejects mismatched or empty inputs, naming the metric", () => {
    expect(() => rmse([1, 2], [1])).toThrow(ValueError);
    expect(() => rmse([1, 2], [1])).toThrow(/rmse: yTrue has 2 values but yPred has 1/);
    expect(() => mape([], [])).toThrow(/empty/);
  });
});

describe("scorers", () => {
  it("negate errors under scikit-learn's names and keep plain names positive", () => {
    expect(getScorer("neg_root_mean_squared_error").score([0, 0], [3, 4])).toBeCloseTo(-Math.sqrt(12.5), 15);
    expect(getScorer("rmse").score([0, 0], [3, 4])).toBeCloseTo(Math.sqrt(12.5), 15);
    expect(getScorer("neg_mean_absolute_percentage_error").score([2], [3])).toBe(-0.5);
    expect(getScorer("r2").score([1, 2, 3], [1, 2, 3])).toBe(1);
    expect(SCORING_NAMES).toContain("neg_mean_absolute_error");
  });
  it("rejects an unknown scoring name, listing the valid ones", () => {
    expect(() => getScorer("accuracy")).toThrow(/unknown scoring name "accuracy".*neg_root_mean_squared_error/);
  });
});
