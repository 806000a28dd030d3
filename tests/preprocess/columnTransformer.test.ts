import { describe, expect, test } from "vitest";
import { ColumnTransformer, Frame, loadOlx, NotFittedError, olxPreprocessor, prepareOlx, ValueError } from "../../src";

describe("the original Python project's preprocessor", () => {
  const data = loadOlx();

  test("saves as plain JSON and a round trip gives identical output", () => {
    const pre = olxPreprocessor(42);
    const X = pre.fitTransform(data.frame);
    const text = JSON.stringify(pre.toJSON());
    const restored = ColumnTransformer.fromJSON(JSON.parse(text));
    const again = restored.transform(data.frame);
    expect(again.cols).toBe(X.cols);
    expect(Buffer.from(again.data.buffer).equals(Buffer.from(X.data.buffer))).toBe(true);
    expect(restored.getFeatureNamesOut()).toEqual(pre.getFeatureNamesOut());
  });

  test("unknown categories go to the infrequent column; missing numbers are imputed", () => {
    const pre = olxPreprocessor(42);
    pre.fit(data.frame);
    const names = pre.getFeatureNamesOut();
    const one = data.frame.head(1);
    const odd = one
      .withColumn("market", ["auction"])
      .withColumn("area", Float64Array.of(NaN));
    const X = pre.transform(odd);
    const infrequent = names.indexOf("cat__market_infrequent_sklearn");
    expect(infrequent).toBeGreaterThan(-1);
    expect(X.data[infrequent]).toBe(1);
    expect(Number.isFinite(X.data[names.indexOf("num__area")] as number)).toBe(true);
  });

  test("a missing column or a wrong type at transform is a clear error", () => {
    const pre = olxPreprocessor(42);
    pre.fit(data.frame);
    const cols = data.frame.columnNames.filter((c) => c !== "rooms");
    expect(() => pre.transform(data.frame.select(cols))).toThrow(/needs column "rooms"/);
    const wrongType = data.frame.withColumn("market", new Float64Array(data.frame.nRows));
    expect(() => pre.transform(wrongType)).toThrow(ValueError);
    expect(() => pre.transform(wrongType)).toThrow(/column "market" was text at fit, numbers now/);
  });

  test("transform before fit is NotFittedError", () => {
    expect(() => olxPreprocessor().transform(data.frame)).toThrow(NotFittedError);
  });

  test("prepareOlx splits 80/20 and fits on the train part only", () => {
    const p = prepareOlx({ seed: 111 });
    const n = p.stats.rows_after_price_filter;
    expect(p.XTest.rows).toBe(Math.ceil(0.2 * n));
    expect(p.XTrain.rows + p.XTest.rows).toBe(n);
    expect(p.yTrain.length).toBe(p.XTrain.rows);
    expect(p.featureNames.length).toBe(p.XTrain.cols);
    // Standardised on the train part: its numeric columns have mean ~0, the test part's need not.
    for (let j = 0; j < 5; j++) {
      let s = 0;
      for (let i = 0; i < p.XTrain.rows; i++) s += p.XTrain.data[i * p.XTrain.cols + j] as number;
      expect(Math.abs(s / p.XTrain.rows)).toBeLessThan(1e-9);
    }
  });

  test("frames reject columns of different lengths", () => {
    expect(() => new Frame({ a: new Float64Array(2), b: ["x"] })).toThrow(/different lengths \(a: 2, b: 1\)/);
  });
});
