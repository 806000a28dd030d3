import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DMatrix, fromXGBoostJSON, loadModel, saveModel, toXGBoostJSON, train, XGBRegressor } from "../../src/models/boosting";
import { synthetic } from "./synthetic";
import { generatedReferenceSet, loadReferenceCases, sharedReferenceSet } from "./referenceCases";

const PYTHON = "/usr/bin/python3";
const hasXgboost = spawnSync(PYTHON, ["-c", "import xgboost"], { encoding: "utf8" }).status === 0;
if (!hasXgboost) console.warn(`SKIPPED: ${PYTHON} cannot import xgboost; the Python load check of our XGBoost JSON export is skipped`);

// XGBoost's own model JSON, from the cases the project's script makes (or the shared ones).
const generated = generatedReferenceSet();
const reference = generated.dir !== undefined ? generated : sharedReferenceSet();
if (reference.dir === undefined) console.warn(`SKIPPED the structure check of our XGBoost JSON export: ${generated.missing}, and the shared cases are absent`);

const dir = mkdtempSync(join(tmpdir(), "boost-export-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const m = synthetic(500, 6, 5, 0.05);
const d = new DMatrix(m.X, { label: m.y });

describe("XGBoost JSON export and import", () => {
  const booster = train({ eta: 0.3, max_depth: 5, reg_alpha: 0.1 }, d, { numBoostRound: 12 });

  it.skipIf(reference.dir === undefined)("follows the structure of XGBoost's own model JSON", () => {
    const ours = toXGBoostJSON(booster) as unknown as Record<string, unknown>;
    const ref = loadReferenceCases(reference.dir!)[0]!.xgboost_model_json as unknown as Record<string, unknown>;
    const keys = (o: unknown): string[] => Object.keys(o as object).sort();
    const learner = (o: Record<string, unknown>) => o.learner as Record<string, Record<string, unknown>>;
    expect(keys(ours)).toEqual(keys(ref));
    expect(keys(ours.learner)).toEqual(keys(ref.learner));
    expect(keys(learner(ours).learner_model_param)).toEqual(keys(learner(ref).learner_model_param));
    const tree = (o: Record<string, unknown>) => ((learner(o).gradient_booster!.model as Record<string, unknown>).trees as unknown[])[0];
    expect(keys(tree(ours))).toEqual(keys(tree(ref)));
  });

  it("round-trips: exported then imported, predicts identically", () => {
    const back = fromXGBoostJSON(JSON.parse(JSON.stringify(toXGBoostJSON(booster))));
    expect(Array.from(back.predict(d))).toEqual(Array.from(booster.predict(d)));
    const path = join(dir, "model.json");
    saveModel(booster, path, "xgboost");
    expect(Array.from(loadModel(path).predict(d))).toEqual(Array.from(booster.predict(d)));
    saveModel(booster, join(dir, "ours.json"));
    expect(Array.from(loadModel(join(dir, "ours.json")).predict(d))).toEqual(Array.from(booster.predict(d)));
  });

  it("rejects models it cannot predict with, naming the field", () => {
    expect(() => fromXGBoostJSON({})).toThrow(/learner/);
    const bad = JSON.parse(JSON.stringify(toXGBoostJSON(booster)));
    bad.learner.objective.name = "binary:logistic";
    expect(() => fromXGBoostJSON(bad)).toThrow(/objective "binary:logistic"/);
  });

  it.skipIf(!hasXgboost)("is loaded by Python xgboost, which predicts what we predict", () => {
    const modelPath = join(dir, "py-model.json");
    const dataPath = join(dir, "X.json");
    saveModel(booster, modelPath, "xgboost");
    writeFileSync(dataPath, JSON.stringify(Array.from(d.values, (v) => (Number.isNaN(v) ? null : v))));
    const script = [
      "import json, sys, numpy as np, xgboost as xgb",
      "b = xgb.Booster(model_file=sys.argv[1])",
      `X = np.array([np.nan if v is None else v for v in json.load(open(sys.argv[2]))], dtype=np.float32).reshape(-1, ${d.cols})`,
      "print(json.dumps([float(v) for v in b.predict(xgb.DMatrix(X))]))",
    ].join("\n");
    const r = spawnSync(PYTHON, ["-c", script, modelPath, dataPath], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const py = JSON.parse(r.stdout) as number[];
    const ours = booster.predict(d);
    expect(py.length).toBe(ours.length);
    for (let i = 0; i < py.length; i++) expect(Math.abs(py[i]! - ours[i]!)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(py[i]!)));
  });
});

describe("XGBRegressor", () => {
  it("is an estimator: fit, predict, getParams, clone, toJSON / fromJSON", () => {
    const model = new XGBRegressor({ n_estimators: 15, max_depth: 3, learning_rate: 0.2 });
    expect(model.getParams()).toEqual({ n_estimators: 15, max_depth: 3, learning_rate: 0.2 });
    model.fit(m.X, m.y);
    const p = model.predict(m.X);
    const direct = train({ max_depth: 3, learning_rate: 0.2 }, d, { numBoostRound: 15 }).predict(d);
    expect(Array.from(p)).toEqual(Array.from(direct));
    const clone = model.clone();
    expect(clone.booster_).toBeNull();
    expect(clone.getParams()).toEqual(model.getParams());
    const back = XGBRegressor.fromJSON(JSON.parse(JSON.stringify(model.toJSON())));
    expect(Array.from(back.predict(m.X))).toEqual(Array.from(p));
    expect(Object.keys(model.featureImportances("weight")).length).toBeGreaterThan(0);
  });

  it("predicts with the best iteration after early stopping", () => {
    const half = { rows: 250, cols: 6, data: m.X.data.subarray(0, 250 * 6) };
    const rest = { rows: 250, cols: 6, data: m.X.data.subarray(250 * 6) };
    const model = new XGBRegressor({ n_estimators: 300, learning_rate: 0.9, max_depth: 8, min_child_weight: 0, early_stopping_rounds: 3 });
    model.fit(half, m.y.subarray(0, 250), { evalSet: [[rest, m.y.subarray(250)]] });
    const b = model.booster_!;
    expect(b.bestIteration).not.toBeNull();
    expect(Array.from(model.predict(rest))).toEqual(Array.from(b.predict(rest, { iterationRange: [0, b.bestIteration! + 1] })));
  });
});
