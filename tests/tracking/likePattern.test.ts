/**
 * LIKE / ILIKE patterns: the case classes are JavaScript's own non-Unicode `/i` (checked
 * against V8's RegExp over every BMP character for characters whose case is tricky), and `_`
 * is one code point, as in Python's `.` and SQLite's and PostgreSQL's `_`. The SQL
 * translations are checked against real databases by tests/server/sqlRunSearch.test.ts.
 */
import { describe, expect, it } from "vitest";
import { caseClass, likeToGlob, likeToPostgresRegex, likeToRegExp } from "../../src/tracking/likePattern";

// ASCII letters, letters whose upper case is two characters (ß, ﬀ) or ASCII (ſ, ı, K-Kelvin),
// three-member classes (µ Μ μ, Σ σ ς, ǅ Ǆ ǆ), and letters outside Latin.
const PROBES = ["a", "S", "k", "i", "é", "ß", "ẞ", "ſ", "\u212a", "ı", "İ", "µ", "ς", "ǅ", "Ａ", "ⓐ", "Ⅰ", "ﬀ", "Ж", "1", "_"];

describe("caseClass", () => {
  it.each(PROBES)("holds exactly the characters V8's /i matches with %s", (probe) => {
    const v8 = new RegExp(`^${probe.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`, "i");
    const members = caseClass(probe) ?? probe;
    const differing: string[] = [];
    for (let unit = 0; unit < 0x10000; unit++) {
      if (unit >= 0xd800 && unit <= 0xdfff) continue;
      const ch = String.fromCharCode(unit);
      if (v8.test(ch) !== members.includes(ch)) differing.push(`U+${unit.toString(16)}`);
    }
    expect(differing).toEqual([]);
    expect(members.includes(probe)).toBe(true);
  });
});

describe("case classes in brackets", () => {
  it("hold only letters, never ASCII punctuation a GLOB or regex bracket would read as syntax", () => {
    const special = new Set<string>();
    for (let unit = 0; unit < 0x10000; unit++) {
      for (const ch of caseClass(String.fromCharCode(unit)) ?? "") if (/[\x00-\x40\x5b-\x60\x7b-\x7f]/.test(ch)) special.add(ch);
    }
    expect([...special]).toEqual([]);
    expect(caseClass("k")).toBe("Kk"); // not the Kelvin sign: its upper case is itself
    expect(caseClass("µ")).toBe("µΜμ");
  });
});

describe("likeToRegExp", () => {
  it("takes _ as one code point, % as any run, and every other character literally", () => {
    expect(likeToRegExp("a_b", false).test("a😀b")).toBe(true);
    expect(likeToRegExp("a__b", false).test("a😀b")).toBe(false);
    expect(likeToRegExp("%", false).test("x\ny")).toBe(true);
    expect(likeToRegExp("a.c", false).test("abc")).toBe(false);
    expect(likeToRegExp("a\\%", false).test("a\\xyz")).toBe(true);
    expect(likeToRegExp("[a]*", false).test("[a]*")).toBe(true);
  });

  it("folds case only with ILIKE, by the same classes", () => {
    expect(likeToRegExp("ABC%", false).test("abcd")).toBe(false);
    expect(likeToRegExp("ABC%", true).test("abcd")).toBe(true);
    expect(likeToRegExp("é", true).test("É")).toBe(true);
    expect(likeToRegExp("s", true).test("ſ")).toBe(false);
    expect(likeToRegExp("µ", true).test("μ")).toBe(true);
  });
});

describe("SQL spellings", () => {
  it("escape GLOB's and PostgreSQL's own characters and spell out case classes", () => {
    expect(likeToGlob("a*?[%_", false)).toBe("a[*][?][[]*?");
    expect(likeToGlob("k%", true)).toBe(`[${caseClass("k")}]*`);
    expect(likeToPostgresRegex("a.b%_", false)).toBe("^a\\.b.*.$");
    expect(likeToPostgresRegex("é", true)).toBe(`^[${caseClass("é")}]$`);
  });
});
