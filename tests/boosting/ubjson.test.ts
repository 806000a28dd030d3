/**
 * XGBoost's UBJSON model files (`Booster.save_model("m.ubj")`), written by Debian's xgboost 1.7:
 * `decodeUbjson` gives the same document as the JSON file XGBoost writes of the same booster,
 * `loadModel` of the `.ubj` predicts as Python does, and damaged files fail naming the byte.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadModel } from "../../src/models/boosting/persist";
import { fromRows } from "../../src/util/matrix";
import { decodeUbjson } from "../../src/util/ubjson";
import { pythonHas, runPythonJson } from "../helpers/python";

const HAVE_XGBOOST = pythonHas(["xgboost", "numpy"], "UBJSON models written by Python's xgboost");

/** Equal as XGBoost means it: UBJSON keeps float32 values exactly, JSON their shortest decimal. */
function sameDocument(ubj: unknown, json: unknown, path = "$"): void {
  if (typeof json === "number" && typeof ubj === "number") {
    if (ubj !== json && Math.fround(json) !== ubj) expect.fail(`${path}: ${ubj} vs ${json}`);
    return;
  }
  if (json === null || typeof json !== "object") return expect(ubj, path).toEqual(json);
  expect(Object.keys(ubj as object).sort(), path).toEqual(Object.keys(json).sort());
  for (const k of Object.keys(json)) sameDocument((ubj as Record<string, unknown>)[k], (json as Record<string, unknown>)[k], `${path}.${k}`);
}

describe.skipIf(!HAVE_XGBOOST)("XGBoost's UBJSON model files", () => {
  const dir = mkdtempSync(join(tmpdir(), "ubjson-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const py = runPythonJson<{ rows: Array<Array<number | null>>; predictions: number[] }>(
    `
import sys, json, numpy as np, xgboost as xgb
d = json.load(sys.stdin)
rng = np.random.RandomState(3)
X = rng.rand(400, 5) * [10, 1, 100, 3, 7]
X[rng.rand(400, 5) < 0.05] = np.nan
y = np.nan_to_num(X[:, 0]) * 3 + np.nan_to_num(X[:, 2]) * 0.5 + rng.randn(400)
b = xgb.train({"max_depth": 5, "eta": 0.2, "objective": "reg:pseudohubererror"}, xgb.DMatrix(X, label=y), 30)
b.save_model(d["dir"] + "/m.ubj")
b.save_model(d["dir"] + "/m.json")
T = rng.rand(50, 5) * [10, 1, 100, 3, 7]
T[::7, 2] = np.nan
print(json.dumps({"rows": [[None if np.isnan(v) else float(v) for v in r] for r in T], "predictions": [float(v) for v in b.predict(xgb.DMatrix(T))]}))
`,
    { dir },
  );

  it("decodes to the document XGBoost writes as JSON", () => {
    sameDocument(decodeUbjson(readFileSync(join(dir, "m.ubj"))), JSON.parse(readFileSync(join(dir, "m.json"), "utf8")));
  });

  it("loads as a booster that predicts as Python's xgboost", () => {
    const X = fromRows(py.rows.map((r) => r.map((v) => (v === null ? NaN : v))));
    const got = loadModel(join(dir, "m.ubj")).predict(X);
    py.predictions.forEach((p, i) => expect(Math.abs((got[i] as number) - p)).toBeLessThanOrEqual(1e-6 * Math.abs(p)));
  });

  it("names the file and the byte of a damaged file", () => {
    const bytes = readFileSync(join(dir, "m.ubj"));
    const cut = join(dir, "cut.ubj");
    writeFileSync(cut, bytes.subarray(0, bytes.length - 10));
    expect(() => loadModel(cut)).toThrow(/cut\.ubj.*invalid UBJSON at byte \d+/);
    expect(() => decodeUbjson(Uint8Array.from([0x7b, 0x69, 0x01, 0x61, 0x58]), "x.ubj")).toThrow(/x\.ubj: invalid UBJSON at byte 5: unknown type marker "X"/);
  });
});
