import { describe, expect, test } from "vitest";
import { Frame, IterativeImputer, OneHotEncoder, Random, SimpleImputer, StandardScaler, BayesianRidge, fromRows } from "../../src";
import { pythonHas, runPythonJson } from "../helpers/python";

const hasSklearn = pythonHas(["sklearn", "numpy"], "scikit-learn peer comparisons");

/** Correlated numeric data with about `missingRate` of the cells missing. */
function numericWithGaps(n: number, seed: number, missingRate: number): number[][] {
  const rnd = new Random(seed);
  const rows: number[][] = [];
  for (let i = 0; i < n; i++) {
    const a = rnd.normal(3, 2);
    const b = 0.7 * a + rnd.normal(0, 0.5);
    const c = -1.5 * a + 2 * b + rnd.normal(10, 1);
    const d = rnd.uniform(0, 100);
    rows.push([a, b, c, d].map((v) => (rnd.random() < missingRate ? NaN : v)));
  }
  return rows;
}

const toFrame = (rows: number[][]): Frame =>
  new Frame(Object.fromEntries(["a", "b", "c", "d"].map((k, j) => [k, Float64Array.from(rows, (r) => r[j] as number)])));
const toJsonRows = (rows: number[][]): Array<Array<number | null>> => rows.map((r) => r.map((v) => (Number.isNaN(v) ? null : v)));

describe.skipIf(!hasSklearn)("against scikit-learn run side by side", () => {
  test("IterativeImputer(mean, maxIter 5) imputes as scikit-learn does, fit and transform", () => {
    const train = numericWithGaps(300, 1, 0.15);
    const test_ = numericWithGaps(80, 2, 0.2);
    const imputer = new IterativeImputer({ initialStrategy: "mean", maxIter: 5 });
    const ours = imputer.fitTransform(toFrame(train));
    const oursTest = imputer.transform(toFrame(test_));
    const theirs = runPythonJson<{ fit: number[][]; test: number[][]; n_iter: number }>(
      `
import json, sys, numpy as np
from sklearn.experimental import enable_iterative_imputer
from sklearn.impute import IterativeImputer
d = json.load(sys.stdin)
f = lambda rows: np.array([[np.nan if v is None else v for v in r] for r in rows], dtype=float)
imp = IterativeImputer(initial_strategy="mean", max_iter=5, random_state=0)
fit = imp.fit_transform(f(d["train"]))
print(json.dumps({"fit": fit.tolist(), "test": imp.transform(f(d["test"])).tolist(), "n_iter": int(imp.n_iter_)}))
`,
      { train: toJsonRows(train), test: toJsonRows(test_) },
    );
    expect(imputer.nIter).toBe(theirs.n_iter);
    const check = (frame: Frame, expected: number[][]): void => {
      expected.forEach((r, i) => r.forEach((v, j) => {
        const got = frame.numeric(["a", "b", "c", "d"][j] as string)[i] as number;
        expect(Math.abs(got - v)).toBeLessThanOrEqual(1e-8 * Math.max(1, Math.abs(v)));
      }));
    };
    check(ours, theirs.fit);
    check(oursTest, theirs.test);
  });

  test("BayesianRidge matches coefficients, intercept, alpha and lambda", () => {
    const rnd = new Random(7);
    const X = Array.from({ length: 200 }, () => [rnd.normal(), rnd.normal(5, 3), rnd.uniform(-2, 2)]);
    const y = X.map((r) => 2 * (r[0] as number) - 0.5 * (r[1] as number) + 3 + rnd.normal(0, 0.3));
    const model = new BayesianRidge().fit(fromRows(X), y);
    const theirs = runPythonJson<{ coef: number[]; intercept: number; alpha: number; lambda: number }>(
      `
import json, sys, numpy as np
from sklearn.linear_model import BayesianRidge
d = json.load(sys.stdin)
m = BayesianRidge().fit(np.array(d["X"]), np.array(d["y"]))
print(json.dumps({"coef": m.coef_.tolist(), "intercept": float(m.intercept_), "alpha": float(m.alpha_), "lambda": float(m.lambda_)}))
`,
      { X, y },
    );
    const f = model.fitted;
    theirs.coef.forEach((c, j) => expect(f.coef[j]).toBeCloseTo(c, 10));
    expect(f.intercept).toBeCloseTo(theirs.intercept, 9);
    expect(f.alpha / theirs.alpha).toBeCloseTo(1, 9);
    expect(f.lambda / theirs.lambda).toBeCloseTo(1, 9);
  });

  test("OneHotEncoder: infrequent grouping, drop first and unknown categories as scikit-learn", () => {
    const rnd = new Random(3);
    const cats = ["b", "a", "c", "d", "e", "ź", "Z"];
    const weights = [40, 5, 30, 3, 12, 2, 8];
    const pick = (): string => {
      let u = rnd.random() * 100;
      for (let k = 0; k < cats.length; k++) {
        u -= weights[k] as number;
        if (u < 0) return cats[k] as string;
      }
      return cats[0] as string;
    };
    const train = Array.from({ length: 400 }, () => [pick(), rnd.random() < 0.5 ? "x" : "y"]);
    const test_ = [["a", "x"], ["never-seen", "y"], ["d", "zz"], ["b", "x"]];
    const frame = (rows: string[][]): Frame => new Frame({ f: rows.map((r) => r[0] as string), g: rows.map((r) => r[1] as string) });
    for (const drop of ["first", null] as const) {
      for (const minFrequency of [10, 0.05]) {
        const enc = new OneHotEncoder({ drop, handleUnknown: "infrequent_if_exist", minFrequency });
        const fitted = enc.fitTransform(frame(train));
        const transformed = enc.transform(frame(test_));
        const theirs = runPythonJson<{ names: string[]; fit_sums: number[]; test: number[][]; infrequent: Array<string[] | null> }>(
          `
import json, sys, numpy as np
from sklearn.preprocessing import OneHotEncoder
d = json.load(sys.stdin)
enc = OneHotEncoder(drop=d["drop"], handle_unknown="infrequent_if_exist", min_frequency=d["mf"], sparse_output=False)
fit = enc.fit_transform(np.array(d["train"], dtype=object))
import warnings
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    t = enc.transform(np.array(d["test"], dtype=object))
print(json.dumps({"names": [str(n) for n in enc.get_feature_names_out(["f", "g"])], "fit_sums": fit.sum(axis=0).tolist(), "test": t.tolist(),
  "infrequent": [None if i is None else [str(v) for v in i] for i in enc.infrequent_categories_]}))
`,
          { train, test: test_, drop, mf: minFrequency },
        );
        expect(enc.getFeatureNamesOut()).toEqual(theirs.names);
        expect(Object.values(enc.infrequentCategories)).toEqual(theirs.infrequent.map((i) => i ?? []));
        expect(fitted.columnNames.map((n) => fitted.numeric(n).reduce((a, b) => a + b, 0))).toEqual(theirs.fit_sums);
        theirs.test.forEach((r, i) => expect(transformed.columnNames.map((n) => transformed.numeric(n)[i])).toEqual(r));
      }
    }
  });

  test("SimpleImputer strategies and StandardScaler statistics", () => {
    const rows = numericWithGaps(150, 5, 0.2).map((r) => r.map((v) => (Number.isNaN(v) ? v : Math.round(v))));
    const theirs = runPythonJson<Record<string, number[]>>(
      `
import json, sys, numpy as np
from sklearn.impute import SimpleImputer
from sklearn.preprocessing import StandardScaler
d = json.load(sys.stdin)
X = np.array([[np.nan if v is None else v for v in r] for r in d["rows"]], dtype=float)
out = {s: SimpleImputer(strategy=s).fit(X).statistics_.tolist() for s in ["mean", "median", "most_frequent"]}
sc = StandardScaler().fit(X)
out["scaler_mean"] = sc.mean_.tolist(); out["scaler_scale"] = sc.scale_.tolist()
print(json.dumps(out))
`,
      { rows: toJsonRows(rows) },
    );
    for (const strategy of ["mean", "median", "most_frequent"] as const) {
      const stats = new SimpleImputer({ strategy }).fit(toFrame(rows)).statistics as number[];
      stats.forEach((v, j) => expect(v).toBeCloseTo(theirs[strategy]?.[j] as number, 10));
    }
    const scaler = new StandardScaler().fit(toFrame(rows));
    scaler.fitted.mean.forEach((v, j) => expect(v).toBeCloseTo(theirs["scaler_mean"]?.[j] as number, 10));
    scaler.fitted.scale.forEach((v, j) => expect(v).toBeCloseTo(theirs["scaler_scale"]?.[j] as number, 10));
  });
});
