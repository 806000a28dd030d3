// Our Frame and arquero's tables, both ways: types, missing values, Polish text, row order, and
// numeric columns shared rather than copied where that is claimed (checked by buffer identity).
import { beforeAll, describe, expect, it } from "vitest";
import { Frame, loadOlx, OLX_COLUMNS, OLX_NUMERIC_COLUMNS, prepareOlx, readOlx, SAMPLE_OLX_CSV, ValueError, type OlxData } from "../../src";
import { arquero, arqueroToFrame, frameToArquero, olxArquero, preparedOlxArquero } from "../../src/frames";

const POLISH = ["Łódź", "Kraków", null, "Gdańsk", "Zielona Góra", "Bielsko-Biała", "Świętochłowice"];

function smallFrame(): Frame {
  return new Frame({
    city: POLISH,
    price: Float64Array.from([350_000, 512_345.5, NaN, 1_250_000, 0, -1, 299_999.99]),
    rooms: Float64Array.from([2, 3, 1, NaN, 4, 2, 3]),
  });
}

describe("frameToArquero", () => {
  it("keeps names, order, types, missing values and Polish text", () => {
    const frame = smallFrame();
    const t = frameToArquero(frame);
    expect(t.columnNames()).toEqual(["city", "price", "rooms"]);
    expect(t.numRows()).toBe(7);
    expect(t.array("city")).toEqual(POLISH);
    expect(Array.from(t.array("price") as ArrayLike<number>)).toEqual(Array.from(frame.numeric("price")));
    expect(Number.isNaN(t.get("price", 2) as number)).toBe(true);
    expect(t.get("city", 2)).toBeNull();
    // arquero treats NaN and null as missing: its aggregates skip them.
    const { op } = arquero();
    const summary = t.rollup({ n: op.count(), prices: (d) => op.valid(d.price), cities: (d) => op.valid(d.city) }).object() as Record<string, number>;
    expect(summary).toEqual({ n: 7, prices: 6, cities: 6 });
  });

  it("shares the frame's numeric columns and text arrays: no copy", () => {
    const frame = smallFrame();
    const t = frameToArquero(frame);
    const price = t.column("price") as unknown as Float64Array;
    expect(price).toBe(frame.numeric("price"));
    expect(price.buffer).toBe(frame.numeric("price").buffer);
    expect(t.column("city")).toBe(frame.text("city"));
  });

  it("shares the columns of a cleaned OLX frame (views gathered once, by the frame)", () => {
    const data = loadOlx();
    const t = olxArquero(data);
    expect(t.columnNames()).toEqual([...OLX_COLUMNS]);
    expect(t.numRows()).toBe(data.frame.nRows);
    for (const name of OLX_NUMERIC_COLUMNS) expect((t.column(name) as unknown as Float64Array).buffer, name).toBe(data.frame.numeric(name).buffer);
  });
});

describe("arqueroToFrame", () => {
  it("round-trips a frame exactly, sharing numeric buffers when the table is neither filtered nor ordered", () => {
    const frame = smallFrame();
    const back = arqueroToFrame(frameToArquero(frame));
    expect(back.columnNames).toEqual(frame.columnNames);
    expect(back.text("city")).toEqual(POLISH);
    expect(back.numeric("price").buffer).toBe(frame.numeric("price").buffer);
    expect(back.toRecords()).toEqual(frame.toRecords());
  });

  it("keeps the table's order and filter, copying the numbers then", () => {
    const frame = smallFrame();
    const { desc } = arquero();
    const t = frameToArquero(frame)
      .filter((d) => d.city !== null)
      .orderby(desc("price"));
    const back = arqueroToFrame(t);
    expect(back.text("city")).toEqual(["Gdańsk", "Kraków", "Łódź", "Świętochłowice", "Zielona Góra", "Bielsko-Biała"]);
    expect(Array.from(back.numeric("price"))).toEqual([1_250_000, 512_345.5, 350_000, 299_999.99, 0, -1]);
    expect(Array.from(back.numeric("rooms"))).toEqual([NaN, 3, 2, 3, 4, 2]);
    expect(back.numeric("price").buffer).not.toBe(frame.numeric("price").buffer);
  });

  it("types columns that arquero made: numbers with null, text with undefined, all missing", () => {
    const aq = arquero();
    const t = aq.table({ n: [1, null, 2.5, undefined, NaN], s: ["ą", undefined, null, "ę", "ż"], none: [null, null, null, null, null] });
    const f = arqueroToFrame(t);
    expect(Array.from(f.numeric("n"))).toEqual([1, NaN, 2.5, NaN, NaN]);
    expect(f.text("s")).toEqual(["ą", null, null, "ę", "ż"]);
    expect(Array.from(f.numeric("none"))).toEqual([NaN, NaN, NaN, NaN, NaN]);
    // A grouped roll-up comes back as plain rows in the table's order.
    const { op } = aq;
    const g = arqueroToFrame(aq.table({ k: ["b", "a", "b"], x: [1, 2, 3] }).groupby("k").rollup({ total: (d) => op.sum(d.x) }));
    expect(g.toRecords()).toEqual([
      { k: "b", total: 4 },
      { k: "a", total: 2 },
    ]);
  });

  it("names the column and row of a value a Frame cannot hold, and of numbers mixed with text", () => {
    const aq = arquero();
    expect(() => arqueroToFrame(aq.table({ ok: [1, 2, 3], flag: [null, true, false] }))).toThrow(ValueError);
    expect(() => arqueroToFrame(aq.table({ ok: [1, 2, 3], flag: [null, true, false] }))).toThrow(/column "flag", row 1: a boolean \(true\)/);
    expect(() => arqueroToFrame(aq.table({ when: [new Date(Date.UTC(2022, 0, 3))] }))).toThrow(/column "when", row 0: a date \(2022-01-03T00:00:00.000Z\)/);
    expect(() => arqueroToFrame(aq.table({ mixed: [1, null, "two"] }))).toThrow(/column "mixed" mixes numbers and text: row 0 holds 1, row 2 holds "two"/);
  });
});

describe("the OLX loaders and prepareOlx in one call", () => {
  let data: OlxData;
  beforeAll(() => {
    data = loadOlx();
  });

  it("olxArquero loads the sample itself or takes loadOlx's result: the same rows", () => {
    const fromOptions = olxArquero({ csv: SAMPLE_OLX_CSV });
    const fromData = olxArquero(data);
    expect(fromOptions.numRows()).toBe(data.frame.nRows);
    expect(fromOptions.objects({ limit: 50 })).toEqual(fromData.objects({ limit: 50 }));
    // Repaired Polish letters, as the frame holds them; the raw file has them double-encoded.
    const cities = new Set(fromData.array("city_name") as string[]);
    expect(cities.has("Kraków")).toBe(true);
    expect(cities.has("KrakĂłw")).toBe(false);
    expect(new Set(readOlx(SAMPLE_OLX_CSV, false).frame.text("city_name")).has("KrakĂłw")).toBe(true);
  });

  it("preparedOlxArquero gives the split's rows and the matrices the models see, row for row", () => {
    const prepared = prepareOlx({ seed: 42 });
    const tables = preparedOlxArquero(prepared);
    expect(tables.train.numRows()).toBe(prepared.frameTrain.nRows);
    expect(tables.test.numRows()).toBe(prepared.frameTest.nRows);
    expect(tables.train.array("city_name")).toEqual(prepared.frameTrain.text("city_name"));
    expect(tables.featuresTrain.columnNames()).toEqual([...prepared.featureNames, "price"]);
    expect(tables.featuresTest.numRows()).toBe(prepared.XTest.rows);
    const { XTrain } = prepared;
    for (const i of [0, 1, XTrain.rows - 1]) {
      for (let j = 0; j < XTrain.cols; j++) expect(tables.featuresTrain.get(prepared.featureNames[j] as string, i)).toBe(XTrain.data[i * XTrain.cols + j]);
    }
    expect(tables.featuresTest.column("price")).toBe(prepared.yTest);
  });
});
