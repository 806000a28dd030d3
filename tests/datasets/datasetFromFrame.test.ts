/**
 * Frames and CSV files as MLflow datasets, without any peer: the digest follows the content
 * (not the frame's history), the schema and profile say what MLflow's pandas datasets say,
 * and the source names the file or the program.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Frame } from "../../src/data/frame";
import { datasetFromCsv, datasetFromFrame, frameDigest, DIGEST_MAX_ROWS } from "../../src/integration/datasets";
import { parseFilter } from "../../src/tracking/search";
import { MlflowError } from "../../src/tracking/errors";

const frame = (): Frame => new Frame({ area: Float64Array.from([30, 45, NaN, 70]), city: ["Kraków", "Gdańsk", null, "Łódź"] });

describe("datasetFromFrame", () => {
  it("digests the content: equal for equal rows however the frame was made, different when a value, the order or a name changes", () => {
    const d = frameDigest(frame());
    expect(d).toMatch(/^[0-9a-f]{8}$/);
    expect(frameDigest(frame())).toBe(d);
    const wider = new Frame({ area: Float64Array.from([99, 30, 45, NaN, 70]), city: ["X", "Kraków", "Gdańsk", null, "Łódź"] });
    expect(frameDigest(wider.take([1, 2, 3, 4]))).toBe(d);
    expect(frameDigest(wider)).not.toBe(d);
    expect(frameDigest(frame().take([1, 0, 2, 3]))).not.toBe(d);
    expect(frameDigest(new Frame({ area: Float64Array.from([30, 45, NaN, 71]), city: ["Kraków", "Gdańsk", null, "Łódź"] }))).not.toBe(d);
    expect(frameDigest(new Frame({ surface: Float64Array.from([30, 45, NaN, 70]), city: ["Kraków", "Gdańsk", null, "Łódź"] }))).not.toBe(d);
    // A missing text value and the empty string are different content.
    expect(frameDigest(new Frame({ area: Float64Array.from([30, 45, NaN, 70]), city: ["Kraków", "Gdańsk", "", "Łódź"] }))).not.toBe(d);
  });

  it("reads the first 10,000 rows and the row count, as MLflow's pandas digest does", () => {
    const n = DIGEST_MAX_ROWS + 5;
    const a = Float64Array.from({ length: n }, (_, i) => i);
    const b = Float64Array.from(a);
    b[n - 1] = -1;
    expect(frameDigest(new Frame({ x: a }))).toBe(frameDigest(new Frame({ x: b })));
    expect(frameDigest(new Frame({ x: a }))).not.toBe(frameDigest(new Frame({ x: a.subarray(0, n - 1) })));
  });

  it("gives MLflow's schema (a column with a missing value is not required), profile and sources", () => {
    const d = datasetFromFrame(frame(), { name: "olx-train", source: "/data/olx.csv" });
    expect(d).toMatchObject({ name: "olx-train", sourceType: "local", source: '{"uri": "/data/olx.csv"}', profile: '{"num_rows": 4, "num_elements": 8}' });
    expect(JSON.parse(d.schema as string)).toEqual({ mlflow_colspec: [{ type: "double", name: "area", required: false }, { type: "string", name: "city", required: false }] });
    const code = datasetFromFrame(new Frame({ a: Float64Array.from([1]) }));
    expect(code.name).toBe("dataset");
    expect(code.sourceType).toBe("code");
    expect(Object.keys(JSON.parse(code.source).tags)).toEqual(["mlflow.user", "mlflow.source.name", "mlflow.source.type"]);
    expect(JSON.parse(code.schema as string).mlflow_colspec).toEqual([{ type: "double", name: "a", required: true }]);
  });

  it("reads a CSV file as a dataset of that file, its digest that of the same rows as a frame", () => {
    const dir = mkdtempSync(join(tmpdir(), "dataset-csv-"));
    try {
      const path = join(dir, "x.csv");
      writeFileSync(path, "area,city\n30,Kraków\n45,Gdańsk\n");
      const d = datasetFromCsv(path, { name: "x", numericColumns: ["area"] });
      expect(d).toMatchObject({ name: "x", sourceType: "local", source: `{"uri": "${path}"}` });
      expect(d.digest).toBe(frameDigest(new Frame({ area: Float64Array.from([30, 45]), city: ["Kraków", "Gdańsk"] })));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("datasets.* in run filters", () => {
  it("parses MLflow's dataset clauses and refuses other keys and comparators with MLflow's messages", () => {
    expect(parseFilter("datasets.name = 'a' AND dataset.context IN ('train', 'eval')")).toEqual([
      { type: "dataset", key: "name", comparator: "=", value: "a" },
      { type: "dataset", key: "context", comparator: "IN", value: ["train", "eval"] },
    ]);
    expect(() => parseFilter("datasets.source = 'x'")).toThrow(/Invalid dataset key 'source'/);
    expect(() => parseFilter("datasets.name > 'x'")).toThrow(MlflowError);
    expect(() => parseFilter("sets.name = 'x'")).toThrow(/Valid values are \['metric', 'parameter', 'tag', 'attribute', 'dataset'\]/);
  });
});
