import { describe, expect, test } from "vitest";
import { doubleEncode, repairDoubleEncoded } from "../../src";

describe("repairDoubleEncoded", () => {
  test("repairs the published file's examples", () => {
    expect(repairDoubleEncoded("WrocĹ‚aw")).toBe("Wrocław");
    expect(repairDoubleEncoded("Kawalerka na sprzedaĹĽ")).toBe("Kawalerka na sprzedaż");
    expect(repairDoubleEncoded("BolesĹ‚awiec")).toBe("Bolesławiec");
  });

  test("every Polish letter survives encode-then-repair (an independent encoder: Node's TextDecoder)", () => {
    const letters = "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ";
    for (const ch of letters) expect(repairDoubleEncoded(doubleEncode(`x${ch}y`))).toBe(`x${ch}y`);
    const sentence = "Zażółć gęślą jaźń — ŁÓDŹ, „cudzysłów”";
    expect(repairDoubleEncoded(doubleEncode(sentence))).toBe(sentence);
  });

  test("leaves correct text and plain ASCII alone", () => {
    for (const s of ["Świętokrzyskie", "Łódź", "Kraków", "plain ascii", "", "naïve café"]) expect(repairDoubleEncoded(s)).toBeUndefined();
  });
});
