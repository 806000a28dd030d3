// One group-by on the bundled sample through arquero, checked against pandas' answer computed at
// test time by Debian's python3-pandas: offers, mean / median / standard deviation of price and
// mean floor (missing floors skipped, as pandas does) by voivodeship and market.
import { describe, expect, it } from "vitest";
import { readOlx, SAMPLE_OLX_CSV } from "../../src";
import { arquero, frameToArquero } from "../../src/frames";
import { pythonHas, runPythonJson } from "../helpers/python";

const hasPandas = pythonHas(["pandas"], "the group-by against pandas");

interface GroupFigures {
  voivodeship: string;
  market: string;
  offers: number;
  mean_price: number;
  median_price: number;
  std_price: number;
  mean_floor: number | null;
  floors_known: number;
}

const PANDAS = `
import json, sys
import pandas as pd
path = json.load(sys.stdin)
d = pd.read_csv(path)
g = d.groupby(["voivodeship", "market"])
out = pd.DataFrame({
    "offers": g.size(),
    "mean_price": g["price"].mean(),
    "median_price": g["price"].median(),
    "std_price": g["price"].std(),
    "mean_floor": g["floor"].mean(),
    "floors_known": g["floor"].count(),
}).reset_index()
rows = out.astype(object).where(out.notna(), None).to_dict(orient="records")
print(json.dumps({"rows": rows, "n": len(d)}))
`;

describe.skipIf(!hasPandas)("a group-by on the sample, against pandas", () => {
  it("mean, median and standard deviation of price, mean floor and counts by voivodeship and market", () => {
    const expected = runPythonJson<{ rows: GroupFigures[]; n: number }>(PANDAS, SAMPLE_OLX_CSV);
    const { op } = arquero();
    const raw = readOlx(SAMPLE_OLX_CSV).frame;
    expect(raw.nRows).toBe(expected.n);
    const ours = frameToArquero(raw)
      .groupby("voivodeship", "market")
      .rollup({
        offers: op.count(),
        mean_price: (d) => op.mean(d.price),
        median_price: (d) => op.median(d.price),
        std_price: (d) => op.stdev(d.price),
        mean_floor: (d) => op.mean(d.floor),
        floors_known: (d) => op.valid(d.floor),
      })
      .objects() as GroupFigures[];
    const key = (r: GroupFigures): string => `${r.voivodeship} / ${r.market}`;
    expect(ours.map(key).sort()).toEqual(expected.rows.map(key).sort());
    expect(expected.rows.length).toBeGreaterThan(16);
    const byKey = new Map(ours.map((r) => [key(r), r]));
    for (const want of expected.rows) {
      const got = byKey.get(key(want)) as GroupFigures;
      expect(got.offers, key(want)).toBe(want.offers);
      expect(got.floors_known, key(want)).toBe(want.floors_known);
      expect(got.mean_price, key(want)).toBeCloseTo(want.mean_price, 6);
      expect(got.median_price, key(want)).toBe(want.median_price);
      expect(got.std_price, key(want)).toBeCloseTo(want.std_price, 6);
      if (want.mean_floor === null) expect(got.mean_floor ?? null, key(want)).toBeNull();
      else expect(got.mean_floor, key(want)).toBeCloseTo(want.mean_floor, 9);
    }
    // The missing floors are really there, and really skipped.
    expect(expected.rows.reduce((s, r) => s + r.offers - r.floors_known, 0)).toBeGreaterThan(0);
  });
});
