import { describe, expect, test } from "vitest";
import { Frame, OneHotEncoder, ValueError } from "../../src";

describe("OneHotEncoder with unknown categories", () => {
  const train = new Frame({ g: ["x", "y", "x", "z"] });
  const test_ = new Frame({ g: ["y", "never", "z"] });

  test('"error" names the value, the column and the row', () => {
    const enc = new OneHotEncoder().fit(train);
    expect(() => enc.transform(test_)).toThrow(ValueError);
    expect(() => enc.transform(test_)).toThrow(/unknown category "never" in column "g" \(row 2\)/);
  });

  test('"ignore" encodes them as zeros; drop "first" leaves the first category without a column', () => {
    const enc = new OneHotEncoder({ handleUnknown: "ignore", drop: "first" }).fit(train);
    expect(enc.getFeatureNamesOut()).toEqual(["g_y", "g_z"]);
    const out = enc.transform(new Frame({ g: ["y", "never", "z", "x"] }));
    expect(Array.from(out.numeric("g_y"))).toEqual([1, 0, 0, 0]);
    expect(Array.from(out.numeric("g_z"))).toEqual([0, 0, 1, 0]);
  });

  test('"infrequent_if_exist" without an infrequent column encodes them as zeros', () => {
    const enc = new OneHotEncoder({ handleUnknown: "infrequent_if_exist" }).fit(train);
    const out = enc.transform(test_);
    expect(out.columnNames).toEqual(["g_x", "g_y", "g_z"]);
    expect(out.columnNames.map((n) => out.numeric(n)[1])).toEqual([0, 0, 0]);
  });
});
