import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { DataError, parseCsv, readCsv, Random } from "../../src";
import { parseDecimalAt } from "../../src/data/decimal";

const dir = mkdtempSync(join(tmpdir(), "csv-test-"));
const file = (name: string, text: string | Buffer): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe("parseCsv", () => {
  test("BOM, CRLF, quoted commas, doubled quotes and line breaks", () => {
    const t = parseCsv('\ufeffa,b,c\r\n"x, y","say ""hi""","two\r\nlines"\r\n1,,3\r\n');
    expect(t.header).toEqual(["a", "b", "c"]);
    expect(t.records).toEqual([["x, y", 'say "hi"', "two\r\nlines"], ["1", "", "3"]]);
    expect(Array.from(t.lines)).toEqual([2, 4]);
  });

  test("LF endings, no final newline, blank lines skipped", () => {
    const t = parseCsv("a,b\n1,2\n\n3,4");
    expect(t.records).toEqual([["1", "2"], ["3", "4"]]);
    expect(Array.from(t.lines)).toEqual([2, 4]);
  });

  test("errors name the file, the row and the line", () => {
    expect(() => parseCsv("a,b\n1,2,3\n", "f.csv")).toThrow(/f\.csv, row 1: expected 2 fields, found 3 \(line 2\)/);
    expect(() => parseCsv('a,b\n1,"open\n', "f.csv")).toThrow(/unterminated quoted field/);
    // The quote opened on line 2 runs on to the next quote of the file, on line 4: the error
    // names line 2, where the closing quote is missing.
    expect(() => parseCsv('a,b\n1,"open\n2,3\n4,"ok"\n', "f.csv")).toThrow(
      'f.csv, row 1: unterminated quoted field starting on line 2 (the next quote, on line 4, is followed by "o", not a comma or a line end)',
    );
    expect(() => parseCsv('a,b\n1,"x"y\n', "f.csv")).toThrow('f.csv, row 1: unexpected character "y" after a closing quote on line 2');
    expect(() => parseCsv("", "f.csv")).toThrow(/f\.csv: the file is empty/);
    expect(() => parseCsv("PK\u0003\u0004\u0000\u0000", "f.csv")).toThrow(/not a CSV text file/);
  });
});

describe("parseDecimalAt", () => {
  test("equals Number() on decimal notation, exactly", () => {
    const rnd = new Random(11);
    for (let k = 0; k < 20000; k++) {
      const digits = rnd.int(18) + 1;
      let s = "";
      for (let i = 0; i < digits; i++) s += String(rnd.int(10));
      const dot = rnd.int(digits + 1);
      s = `${rnd.random() < 0.3 ? "-" : ""}${s.slice(0, dot)}${dot < digits ? "." : ""}${s.slice(dot)}`;
      if (rnd.random() < 0.1) s += `e${rnd.int(40) - 20}`;
      if (s === "-" || s === "" || s.startsWith(".e") || s.startsWith("-.e")) continue;
      expect(parseDecimalAt(Buffer.from(s), 0, s.length)).toBe(Number(s));
    }
  });

  test("rejects what pandas would not read as a float", () => {
    for (const s of ["0x10", "Infinity", "abc", "1,5", "1.2.3", "e5", "--1"]) expect(parseDecimalAt(Buffer.from(s), 0, s.length)).toBeNaN();
    expect(parseDecimalAt(Buffer.from(" 42 "), 0, 4)).toBe(42);
  });
});

describe("readCsv", () => {
  test("types columns, reads empty cells as NaN or null", () => {
    const p = file("ok.csv", "n,t\n1.5,x\n,NA\n-2,y\n");
    const { frame } = readCsv(p, { numericColumns: ["n"] });
    expect(Array.from(frame.numeric("n"))).toEqual([1.5, NaN, -2]);
    expect(frame.text("t")).toEqual(["x", null, "y"]);
  });

  test("a non-numeric value in a numeric column names file, row and column", () => {
    const p = file("bad.csv", "n,t\n1,x\n2,y\nabc,z\n");
    let error: unknown;
    try {
      readCsv(p, { numericColumns: ["n"] });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DataError);
    expect((error as DataError).row).toBe(3);
    expect((error as DataError).column).toBe("n");
    expect((error as Error).message).toContain(p);
    expect((error as Error).message).toMatch(/row 3, column "n": "abc" is not a number \(line 4\)/);
  });

  test("a missing required column, a missing path, a directory", () => {
    const p = file("cols.csv", "a,b\n1,2\n");
    expect(() => readCsv(p, { requiredColumns: ["a", "price"] })).toThrow(/column "price": missing required column/);
    expect(() => readCsv(join(dir, "nope.csv"))).toThrow(/nope\.csv: no such file/);
    expect(() => readCsv(dir)).toThrow(/is a directory/);
  });

  test("a file that is not CSV", () => {
    const p = file("image.png", Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00]));
    expect(() => readCsv(p)).toThrow(/not a CSV text file/);
    const json = file("data.json", '{"price": 1}\n');
    expect(() => readCsv(json, { requiredColumns: ["price"] })).toThrow(/missing required column/);
  });
});
