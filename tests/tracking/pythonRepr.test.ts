import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { formatPythonFloat, parsePythonFloat, pythonJsonDumps } from "../../src/tracking/pythonRepr";
import { Random } from "../../src/util/random";
import { PYTHON, runPython } from "./helpers";

const HAS_PYTHON = existsSync(PYTHON);
if (!HAS_PYTHON) console.warn(`SKIPPED the Python float/JSON cross-checks of the tracking tests: ${PYTHON} not found`);

function sampleFloats(): number[] {
  const rng = new Random(11);
  const out = [0, -0, 1, -1, 0.1, 0.5, 1.5, 4.5, 1e-5, 1e-4, 0.0001234, 1e16, 1e15, 123456789012345680, 1.5e16, 1e22, 1e-7,
    5e-324, 1.7976931348623157e308, 2 ** 53, 2 ** 53 + 2, 100, 1234.5678, 0.30000000000000004, 1 / 3, 9999999999999998];
  for (let i = 0; i < 500; i++) {
    const exp = rng.int(80) - 40;
    out.push((rng.random() - 0.5) * 10 ** exp);
  }
  for (let i = 0; i < 100; i++) out.push(rng.int(1_000_000) - 500_000);
  return out;
}

describe("formatPythonFloat", () => {
  it("matches the closed forms of Python's str(float) from the reference", () => {
    expect([4.5, 1, 1e-5, Infinity, -Infinity, NaN].map(formatPythonFloat)).toEqual(["4.5", "1.0", "1e-05", "inf", "-inf", "nan"]);
  });

  it("round-trips through parsePythonFloat, including inf and nan", () => {
    for (const v of sampleFloats()) expect(Object.is(parsePythonFloat(formatPythonFloat(v)), v)).toBe(true);
    expect(parsePythonFloat("nan")).toBeNaN();
    expect(parsePythonFloat("-inf")).toBe(-Infinity);
  });

  it.skipIf(!HAS_PYTHON)("is byte-identical to Python's repr for 600+ doubles", () => {
    const values = sampleFloats();
    // JSON cannot carry -0.0, so send the bit patterns.
    const hex = values.map((v) => Buffer.from(new Float64Array([v]).buffer).toString("hex"));
    const expected = runPython<string[]>(
      "import sys, json, struct\nprint(json.dumps([repr(struct.unpack('<d', bytes.fromhex(h))[0]) for h in json.load(sys.stdin)]))",
      hex,
    );
    expect(values.map(formatPythonFloat)).toEqual(expected);
  });
});

describe("pythonJsonDumps", () => {
  it.skipIf(!HAS_PYTHON)("matches Python's json.dumps for nested values with non-ASCII text", () => {
    const value = { run_id: "abc", flavors: { f: { n: 1, x: 0.5, s: "zażółć \"q\" \\ \n 😀", l: [1, "a", null, true] } }, e: [] };
    const expected = runPython<string>("import sys, json\nprint(json.dumps(json.dumps(json.load(sys.stdin))))", value);
    expect(pythonJsonDumps(value)).toBe(expected);
  });
});
