/**
 * Distributions: Optuna's validation errors, representations and JSON, the JSON checked
 * against Python Optuna's `distribution_to_json` when available.
 */
import { describe, expect, it } from "vitest";
import {
  CategoricalDistribution,
  checkDistributionCompatibility,
  distributionRepr,
  pythonFloatRepr,
  distributionToJson,
  FloatDistribution,
  IntDistribution,
  jsonToDistribution,
} from "../../src/tuning";
import { pythonOptunaAvailable, runPython } from "./pythonOracle";

describe("distribution validation (Optuna's messages)", () => {
  it("rejects low > high", () => {
    expect(() => new FloatDistribution(2, 1)).toThrow("The `low` value must be smaller than or equal to the `high` value (low=2, high=1).");
    expect(() => new IntDistribution(5, 1)).toThrow("The `low` value must be smaller than or equal to the `high` value (low=5, high=1).");
  });
  it("rejects log with low <= 0", () => {
    expect(() => new FloatDistribution(0, 1, { log: true })).toThrow("The `low` value must be larger than 0 for a log distribution (low=0, high=1).");
    expect(() => new IntDistribution(0, 10, { log: true })).toThrow("The `low` value must be equal to or greater than 1 for a log distribution (low=0, high=10).");
  });
  it("rejects step with log, and non-positive steps", () => {
    expect(() => new FloatDistribution(1, 2, { log: true, step: 0.1 })).toThrow("The parameter `step` is not supported when `log` is true.");
    expect(() => new IntDistribution(1, 9, { log: true, step: 2 })).toThrow("only accept step is 1 when `log` argument is True");
    expect(() => new FloatDistribution(0, 1, { step: 0 })).toThrow("The `step` value must be non-zero positive value, but step=0.");
    expect(() => new IntDistribution(0, 1, { step: -1 })).toThrow("The `step` value must be non-zero positive value, but step=-1.");
  });
  it("rejects empty categorical choices", () => {
    expect(() => new CategoricalDistribution([])).toThrow("The `choices` must contain one or more elements.");
  });
  it("adjusts high down to the step grid (closed form)", () => {
    expect(new IntDistribution(1, 10, { step: 4 }).high).toBe(9);
    expect(new FloatDistribution(0, 1, { step: 0.3 }).high).toBeCloseTo(0.9, 12);
    expect(new FloatDistribution(0.1, 0.3, { step: 0.1 }).high).toBe(0.3);
  });
  it("single() and contains()", () => {
    expect(new FloatDistribution(1, 1).single()).toBe(true);
    expect(new FloatDistribution(0.1, 0.3, { step: 0.2 }).single()).toBe(false);
    expect(new IntDistribution(1, 2, { step: 2 }).single()).toBe(true);
    expect(new IntDistribution(0, 10, { step: 2 }).contains(4)).toBe(true);
    expect(new IntDistribution(0, 10, { step: 2 }).contains(5)).toBe(false);
    expect(new CategoricalDistribution(["a", null]).toInternalRepr(null)).toBe(1);
    expect(() => new CategoricalDistribution(["a"]).toInternalRepr("b")).toThrow("'b' not in [a].");
  });
  it("compatibility checks follow Optuna", () => {
    expect(() => checkDistributionCompatibility(new FloatDistribution(0, 1), new IntDistribution(0, 1))).toThrow("Cannot set different distribution kind to the same parameter name.");
    expect(() => checkDistributionCompatibility(new FloatDistribution(1, 2), new FloatDistribution(1, 2, { log: true }))).toThrow("Cannot set different log configuration to the same parameter name.");
    expect(() => checkDistributionCompatibility(new CategoricalDistribution([1, 2]), new CategoricalDistribution([1, 3]))).toThrow("CategoricalDistribution does not support dynamic value space.");
    expect(() => checkDistributionCompatibility(new FloatDistribution(0, 1), new FloatDistribution(0, 5))).not.toThrow();
  });
});

const CASES: [string, () => FloatDistribution | IntDistribution | CategoricalDistribution][] = [
  ["FloatDistribution(-1.0, 1.0)", () => new FloatDistribution(-1, 1)],
  ["FloatDistribution(0.001, 10, log=True)", () => new FloatDistribution(0.001, 10, { log: true })],
  ["FloatDistribution(0, 1, step=0.25)", () => new FloatDistribution(0, 1, { step: 0.25 })],
  ["FloatDistribution(1e-4, 2.5)", () => new FloatDistribution(1e-4, 2.5)],
  ["IntDistribution(5, 10)", () => new IntDistribution(5, 10)],
  ["IntDistribution(1, 100, log=True)", () => new IntDistribution(1, 100, { log: True() })],
  ["IntDistribution(0, 10, step=3)", () => new IntDistribution(0, 10, { step: 3 })],
  ["CategoricalDistribution(['a', None, 1.5, True, 2])", () => new CategoricalDistribution(["a", null, 1.5, true, 2])],
];

function True(): boolean {
  return true;
}

describe.skipIf(!pythonOptunaAvailable())("distribution JSON equals Python's distribution_to_json", () => {
  const script = `import json, warnings\nwarnings.filterwarnings("ignore")\nfrom optuna.distributions import *\nprint(json.dumps([distribution_to_json(d) for d in [${CASES.map((c) => c[0]).join(", ")}]]))`;
  const expected = JSON.parse(runPython(["-c", script])) as string[];
  CASES.forEach(([source, make], i) => {
    it(source, () => {
      expect(distributionToJson(make())).toBe(expected[i]);
      expect(distributionToJson(jsonToDistribution(expected[i] as string))).toBe(expected[i]);
    });
  });
});

describe.skipIf(!pythonOptunaAvailable())("repr as Python prints it (MLflow tags)", () => {
  it("distributions and floats", () => {
    const script = `import json, warnings\nwarnings.filterwarnings("ignore")\nfrom optuna.distributions import *\nprint(json.dumps([repr(d) for d in [${CASES.map((c) => c[0]).join(", ")}, CategoricalDistribution(["x"])]]))`;
    const expected = JSON.parse(runPython(["-c", script])) as string[];
    const ours = [...CASES.map(([, make]) => distributionRepr(make())), distributionRepr(new CategoricalDistribution(["x"]))];
    expect(ours).toEqual(expected);
    const floats = [0.001, 1e-5, 12345.678, 1e16, 2.5e-7, 0.1 + 0.2, -3, 1e-4, 123456789012345.6];
    const theirs = JSON.parse(runPython(["-c", `import json; print(json.dumps([repr(float(x)) for x in ${JSON.stringify(floats)}]))`])) as string[];
    expect(floats.map(pythonFloatRepr)).toEqual(theirs);
  });
});
