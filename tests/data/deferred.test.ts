import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { cleanOlx, DataError, doubleEncode, Frame, loadOlx, parseCsv, prepareOlx, readCsv, readOlx, REAL_OLX_CSV, repairDoubleEncoded, SAMPLE_OLX_CSV } from "../../src";
import { scanCsv } from "../../src/data/csv";
import { isDoubleEncodedAt } from "../../src/data/mojibake";

const dir = mkdtempSync(join(tmpdir(), "deferred-test-"));
const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

/** Every file we can check the byte-level test on: the bundled sample, and the real file when present. */
const files = [SAMPLE_OLX_CSV, ...(existsSync(REAL_OLX_CSV) ? [REAL_OLX_CSV] : [])];

describe("isDoubleEncodedAt: the repair test made on bytes", () => {
  test("agrees with repairDoubleEncoded on every text cell of the OLX files", () => {
    for (const path of files) {
      const { header, records } = parseCsv(readFileSync(path, "utf8"));
      const scan = scanCsv(readFileSync(path));
      let agreed = 0;
      for (const j of [header.indexOf("offer_title"), header.indexOf("city_name")]) {
        records.forEach((rec, r) => {
          const k = r * scan.nFields + j;
          const text = rec[j] as string;
          expect(isDoubleEncodedAt(scan.bytes, scan.start[k] as number, scan.end[k] as number), `${path} row ${r + 1}: ${text}`).toBe(
            repairDoubleEncoded(text) !== undefined,
          );
          agreed++;
        });
      }
      expect(agreed).toBe(2 * records.length);
    }
  });

  test("agrees on edge cases: invalid and truncated UTF-8, 4-byte characters, U+FFFD, quotes", () => {
    const polish = "Zażółć gęślą jaźń ŁÓDŹ";
    const texts = [
      "",
      "plain",
      polish,
      doubleEncode(polish),
      doubleEncode("x€y"),
      doubleEncode("😀"),
      "😀",
      "a\ufffdb",
      doubleEncode("ż") + '"',
      "Ĺ",
      "Ă©",
      doubleEncode(polish).slice(0, -1),
      doubleEncode("naïve"),
      "naïve",
    ];
    const answers = texts.map((t) => {
      const bytes = Buffer.from(t, "utf8");
      const answer = isDoubleEncodedAt(bytes, 0, bytes.length);
      expect(answer, JSON.stringify(t)).toBe(repairDoubleEncoded(t) !== undefined);
      return answer;
    });
    expect(answers.filter((a) => a).length).toBe(6);
    // Bytes that are not UTF-8 at all decode to U+FFFD, which no repair accepts.
    for (const raw of [[0xc4], [0xc4, 0x41], [0xe2, 0x82], [0xff, 0xfe], [0xed, 0xa0, 0x80], [0xc0, 0x80]]) {
      const bytes = Buffer.from(raw);
      expect(isDoubleEncodedAt(bytes, 0, bytes.length)).toBe(repairDoubleEncoded(bytes.toString("utf8")) !== undefined);
    }
  });
});

describe("text decoded when read", () => {
  test("readCsv's text equals the eagerly parsed, repaired values, in any row order", () => {
    for (const path of files) {
      const { header, records } = parseCsv(readFileSync(path, "utf8"));
      const repairColumns = ["offer_title", "city_name"];
      const { frame } = readCsv(path, { repairColumns });
      const order = Int32Array.from(records.map((_, i) => i).reverse());
      const reversed = frame.take(order);
      for (const name of ["offer_title", "city_name", "voivodeship", "market"]) {
        const j = header.indexOf(name);
        const expected = records.map((rec) => {
          const cell = rec[j] as string;
          if (cell === "") return null;
          return (repairColumns.includes(name) ? repairDoubleEncoded(cell) : undefined) ?? cell;
        });
        // Read the view first: rows decoded out of file order must give the same strings.
        expect(reversed.text(name)).toEqual([...expected].reverse());
        expect(frame.text(name)).toEqual(expected);
      }
    }
  });

  test("quoted, escaped, missing and many distinct values", () => {
    const rows = ['"say ""hi""",NA', '"two\nlines",', "plain,x"];
    for (let i = 0; i < 5000; i++) rows.push(`v${i},${i % 3 === 0 ? "" : `w${i % 7}`}`);
    const p = file("text.csv", `t,u\n${rows.join("\n")}\n`);
    const { frame } = readCsv(p);
    const t = frame.text("t");
    expect(t.slice(0, 3)).toEqual(['say "hi"', "two\nlines", "plain"]);
    expect(t[3 + 4999]).toBe("v4999");
    expect(new Set(t).size).toBe(5003);
    const u = frame.text("u");
    expect(u.slice(0, 3)).toEqual([null, null, "x"]);
    expect(u[3]).toBeNull();
    expect(u[4]).toBe("w1");
  });

  test("a bad number names the first bad cell column by column, as before", () => {
    const p = file("two-bad.csv", "a,b\n1,x\ny,2\n");
    let error: unknown;
    try {
      readCsv(p, { numericColumns: ["a", "b"] });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DataError);
    expect((error as DataError).column).toBe("a");
    expect((error as DataError).row).toBe(2);
    expect((error as Error).message).toMatch(/"y" is not a number \(line 3\)/);
  });
});

describe("Frame views", () => {
  const base = new Frame({ n: Float64Array.of(10, 11, 12, 13, 14), t: ["a", "b", null, "d", "e"] });

  test("take of take, select and withColumn give the copied values", () => {
    const v = base.take([4, 2, 0, 1]).take([3, 0]);
    expect(v.nRows).toBe(2);
    expect(Array.from(v.numeric("n"))).toEqual([11, 14]);
    expect(v.text("t")).toEqual(["b", "e"]);
    expect(v.select(["t"]).text("t")).toEqual(["b", "e"]);
    const w = v.withColumn("m", Float64Array.of(1, 2));
    expect(w.columnNames).toEqual(["n", "t", "m"]);
    expect(w.toRecords()).toEqual([
      { n: 11, t: "b", m: 1 },
      { n: 14, t: "e", m: 2 },
    ]);
    expect(base.head(2).toRecords()).toEqual([
      { n: 10, t: "a" },
      { n: 11, t: "b" },
    ]);
    expect(base.take([2]).rowRecord(0)).toEqual({ n: 12, t: null });
    expect(base.filter((i) => i % 2 === 0).numeric("n")).toEqual(Float64Array.of(10, 12, 14));
  });

  test("a view reads the same column object each time", () => {
    const v = base.take([1, 3]);
    expect(v.get("n")).toBe(v.get("n"));
  });

  test("an index outside the rows is an error", () => {
    expect(() => base.take([0, 5])).toThrow(RangeError);
    expect(() => base.take([-1])).toThrow(/not a row/);
    expect(() => base.take([1.5])).toThrow(/index 1\.5 is not a row/);
    expect(() => base.take([NaN])).toThrow(RangeError);
  });
});

describe("the repair count of prepareOlx", () => {
  test("is loadOlx's count, counted when read", () => {
    const p = prepareOlx({ seed: 3 });
    const d = loadOlx();
    expect(p.stats.repaired_text_values).toBe(d.stats.repaired_text_values);
    expect(JSON.parse(JSON.stringify(p.stats))).toEqual(d.stats);
    expect({ ...p.stats }).toEqual(d.stats);
    const { frame, repaired } = readOlx(SAMPLE_OLX_CSV);
    expect(repaired).toBe(d.stats.repaired_text_values);
    expect(cleanOlx(frame).stats.rows_after_price_filter).toBe(p.stats.rows_after_price_filter);
  });
});
