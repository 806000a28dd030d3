import { describe, expect, it } from "vitest";
import { sortFloat32 } from "../../src/models/boosting/radixSort";
import { Random } from "../../src/util/random";

describe("sortFloat32", () => {
  it("orders float32 values as Float32Array.prototype.sort does, signed zeros, infinities and subnormals included", () => {
    const rng = new Random(7);
    const special = [0, -0, Infinity, -Infinity, 1e-45, -1e-45, 3.4e38, -3.4e38, 1, -1];
    for (const n of [300, 5000, 44_200]) {
      const values = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        const u = rng.random();
        values[i] = u < 0.1 ? special[Math.floor(rng.random() * special.length)] as number
          : u < 0.5 ? Math.round(rng.normal() * 10) : rng.normal() * 10 ** Math.floor(rng.random() * 12 - 6);
      }
      const want = values.slice().sort();
      const got = sortFloat32(values.slice());
      expect(Array.from(got).map((v) => Object.is(v, -0) ? "-0" : v)).toEqual(Array.from(want).map((v) => Object.is(v, -0) ? "-0" : v));
    }
  });
});
