import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { loadOlx, olxPreprocessor, REAL_OLX_CSV, row, type Matrix } from "../../src";
import type { ColumnTransformer, OneHotEncoder, Pipeline, StandardScaler } from "../../src";

const REFERENCE = join(__dirname, "..", "..", "..", "shared", "reference", "olx_preprocess.json");
const available = existsSync(REAL_OLX_CSV) && existsSync(REFERENCE);
if (!available) console.warn(`SKIPPED preprocessing parity: ${REAL_OLX_CSV} or ${REFERENCE} is absent`);

interface Reference {
  shape: [number, number];
  feature_names_out: string[];
  categories: Record<string, string[]>;
  infrequent_categories: Record<string, string[]>;
  scaler_mean: number[];
  scaler_scale: number[];
  column_sums: number[];
  first_row: number[];
  last_row: number[];
}

function expectClose(actual: ArrayLike<number>, expected: readonly number[], rel: number, abs = 0): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((e, j) => {
    const a = actual[j] as number;
    const tol = Math.max(abs, rel * Math.abs(e));
    if (!(Math.abs(a - e) <= tol)) throw new Error(`index ${j}: got ${a}, expected ${e} (tolerance ${tol})`);
  });
}

describe.skipIf(!available)("preprocessing parity with scikit-learn 1.2.1 on the real file", () => {
  let ref: Reference;
  let pre: ColumnTransformer;
  let X: Matrix;
  beforeAll(() => {
    ref = JSON.parse(readFileSync(REFERENCE, "utf8")) as Reference;
    const data = loadOlx({ csv: REAL_OLX_CSV });
    pre = olxPreprocessor(42);
    X = pre.fitTransform(data.frame);
  });

  test("shape and feature names", () => {
    expect([X.rows, X.cols]).toEqual(ref.shape);
    expect(pre.getFeatureNamesOut()).toEqual(ref.feature_names_out);
  });

  test("categories and infrequent categories", () => {
    const encoder = (pre.namedTransformer("cat") as Pipeline).namedStep("encoder") as OneHotEncoder;
    expect(encoder.categories).toEqual(ref.categories);
    expect(encoder.infrequentCategories).toEqual(ref.infrequent_categories);
  });

  test("scaler means and scales to 1e-9 relative", () => {
    const scaler = (pre.namedTransformer("num") as Pipeline).namedStep("scaler") as StandardScaler;
    expectClose(scaler.fitted.mean, ref.scaler_mean, 1e-9);
    expectClose(scaler.fitted.scale, ref.scaler_scale, 1e-9);
  });

  test("column sums (standardised columns near zero: absolute 1e-6)", () => {
    const sums = new Float64Array(X.cols);
    for (let i = 0; i < X.rows; i++) for (let j = 0; j < X.cols; j++) sums[j] = (sums[j] as number) + (X.data[i * X.cols + j] as number);
    expectClose(sums.subarray(0, 5), ref.column_sums.slice(0, 5), 0, 1e-6);
    expectClose(sums.subarray(5), ref.column_sums.slice(5), 1e-9);
  });

  test("first and last rows", () => {
    expectClose(row(X, 0), ref.first_row, 1e-9, 1e-12);
    expectClose(row(X, X.rows - 1), ref.last_row, 1e-9, 1e-12);
  });
});
