import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { cleanOlx, loadOlx, OLX_COLUMNS, olxSampleCsv, quantile, readOlx, REAL_OLX_CSV, SAMPLE_OLX_CSV, trainTestSplit, type OlxData } from "../../src";

const REFERENCE = join(__dirname, "..", "..", "..", "shared", "reference", "olx_clean.json");
const available = existsSync(REAL_OLX_CSV) && existsSync(REFERENCE);
if (!available) console.warn(`SKIPPED real-data cleaning checks: ${REAL_OLX_CSV} or ${REFERENCE} is absent`);

interface CleanReference {
  rows_raw: number;
  columns: string[];
  rows_after_dropna_floor: number;
  price_q05: number;
  price_q95: number;
  rows_after_price_filter: number;
  value_counts_after_filter: Record<string, Record<string, number>>;
  numeric_mean_after_filter: Record<string, number>;
  numeric_std_ddof0_after_filter: Record<string, number>;
  price_sum_after_filter: number;
}

describe.skipIf(!available)("the original Python project's cleaning on the real file, against pandas", () => {
  let ref: CleanReference;
  let data: OlxData;
  beforeAll(() => {
    ref = JSON.parse(readFileSync(REFERENCE, "utf8")) as CleanReference;
    data = loadOlx({ csv: REAL_OLX_CSV });
  });

  test("row counts and price quantiles", () => {
    expect(data.source).toBe("real");
    expect(data.frame.columnNames).toEqual(ref.columns);
    expect(data.stats.rows_raw).toBe(ref.rows_raw);
    expect(data.stats.rows_after_dropna_floor).toBe(ref.rows_after_dropna_floor);
    expect(data.stats.price_q05).toBe(ref.price_q05);
    expect(data.stats.price_q95).toBe(ref.price_q95);
    expect(data.stats.rows_after_price_filter).toBe(ref.rows_after_price_filter);
    expect(data.stats.repaired_text_values).toBeGreaterThan(0);
  });

  test("value counts, means, standard deviations and the price sum", () => {
    for (const [column, counts] of Object.entries(ref.value_counts_after_filter)) {
      const ours: Record<string, number> = {};
      for (const v of data.frame.text(column)) ours[String(v)] = (ours[String(v)] ?? 0) + 1;
      expect(ours).toEqual(counts);
    }
    for (const [column, mean] of Object.entries(ref.numeric_mean_after_filter)) {
      const col = data.frame.numeric(column);
      const m = col.reduce((a, b) => a + b, 0) / col.length;
      expect(Math.abs(m - mean) / Math.abs(mean)).toBeLessThan(1e-12);
      const sd = Math.sqrt(col.reduce((a, b) => a + (b - m) ** 2, 0) / col.length);
      expect(Math.abs(sd - (ref.numeric_std_ddof0_after_filter[column] as number)) / sd).toBeLessThan(1e-9);
    }
    const sum = data.frame.numeric("price").reduce((a, b) => a + b, 0);
    expect(Math.abs(sum - ref.price_sum_after_filter) / ref.price_sum_after_filter).toBeLessThan(1e-12);
  });

  test("repaired city names are real Polish names; no mojibake left", () => {
    const cities = new Set(data.frame.text("city_name"));
    expect(cities.has("Wrocław")).toBe(true);
    expect(cities.has("Łódź")).toBe(true);
    expect([...cities].some((c) => c !== null && /Ĺ|Ä…|Ã/.test(c))).toBe(false);
  });

  test("optional de-duplication drops the file's 10,482 exact duplicates", () => {
    const { frame } = readOlx(REAL_OLX_CSV);
    expect(cleanOlx(frame, { dropDuplicates: true }).stats.duplicates_dropped).toBe(10482);
  });
});

describe("quantile: pandas' linear interpolation", () => {
  test("closed forms", () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([10, 0, 5], 0.25)).toBe(2.5);
    expect(quantile([1, NaN, 3], 1)).toBe(3);
    expect(quantile([7], 0.05)).toBe(7);
    // (n - 1) * q = 0.95 * 20 = 19 exactly: the 20th order statistic.
    expect(quantile(Array.from({ length: 21 }, (_, i) => i * 10), 0.95)).toBe(190);
  });
});

describe("trainTestSplit", () => {
  test("sizes as scikit-learn, disjoint, covering, and seeded", () => {
    const a = trainTestSplit(101, { testSize: 0.2, seed: 42 });
    expect(a.test.length).toBe(Math.ceil(0.2 * 101));
    expect(a.train.length).toBe(101 - 21);
    expect(new Set([...a.train, ...a.test]).size).toBe(101);
    expect(trainTestSplit(101, { testSize: 0.2, seed: 42 })).toEqual(a);
    expect(trainTestSplit(101, { testSize: 0.2, seed: 43 }).test).not.toEqual(a.test);
  });

  test("bad sizes are errors naming testSize", () => {
    expect(() => trainTestSplit(10, { testSize: 0 })).toThrow(/testSize/);
    expect(() => trainTestSplit(10, { testSize: 10 })).toThrow(/testSize/);
  });
});

describe("the bundled sample", () => {
  test("is exactly what the seeded generator writes", () => {
    expect(readFileSync(SAMPLE_OLX_CSV, "utf8")).toBe(olxSampleCsv());
  });

  test("has the published schema and the published file's quirks", () => {
    const raw = readFileSync(SAMPLE_OLX_CSV);
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(raw.includes("\r\n")).toBe(true);
    const data = loadOlx();
    expect(data.source).toBe("sample");
    expect(data.frame.columnNames).toEqual([...OLX_COLUMNS]);
    expect(data.stats.repaired_text_values).toBeGreaterThan(1000);
    expect(data.stats.rows_after_dropna_floor).toBeLessThan(data.stats.rows_raw);
    expect(data.stats.rows_after_price_filter).toBeLessThan(data.stats.rows_after_dropna_floor);
    expect(new Set(data.frame.text("voivodeship")).size).toBe(16);
    const { frame } = readOlx(SAMPLE_OLX_CSV);
    expect(cleanOlx(frame, { dropDuplicates: true }).stats.duplicates_dropped).toBeGreaterThan(0);
  });

  test("OLX_CSV selects another file", () => {
    const saved = process.env["OLX_CSV"];
    process.env["OLX_CSV"] = SAMPLE_OLX_CSV + ".missing";
    try {
      expect(() => loadOlx()).toThrow(/no such file/);
    } finally {
      if (saved === undefined) delete process.env["OLX_CSV"];
      else process.env["OLX_CSV"] = saved;
    }
  });
});
