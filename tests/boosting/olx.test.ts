import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REAL_OLX_CSV } from "../../src/data";
import { prepareOlx } from "../../src/preprocess";
import { DMatrix, train } from "../../src/models/boosting";

const PYTHON = "/usr/bin/python3";
const haveData = existsSync(REAL_OLX_CSV);
const haveXgboost = spawnSync(PYTHON, ["-c", "import xgboost"]).status === 0;
if (!haveData) console.warn(`SKIPPED: the real OLX file is missing (${REAL_OLX_CSV}); the real-data RMSE check is skipped`);
else if (!haveXgboost) console.warn(`SKIPPED: ${PYTHON} cannot import xgboost; the real-data RMSE check is skipped`);

const dir = mkdtempSync(join(tmpdir(), "boost-olx-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!haveData || !haveXgboost)("real OLX data (80/20, seed 42)", () => {
  it("reaches XGBoost's test RMSE within 1% (eta 0.1, max_depth 6, 300 rounds, same matrices)", () => {
    const olx = prepareOlx({ csv: REAL_OLX_CSV, seed: 42 });
    const params = { eta: 0.1, max_depth: 6, max_bin: 256, base_score: 0.5, nthread: 1 };
    const booster = train(params, new DMatrix(olx.XTrain, { label: olx.yTrain }), { numBoostRound: 300 });
    const p = booster.predict(olx.XTest);
    let se = 0;
    for (let i = 0; i < p.length; i++) se += (p[i]! - olx.yTest[i]!) ** 2;
    const ours = Math.sqrt(se / p.length);
    const write = (name: string, a: Float64Array) => writeFileSync(join(dir, name), Buffer.from(a.buffer, a.byteOffset, a.byteLength));
    write("X.f64", olx.XTrain.data);
    write("y.f64", olx.yTrain);
    write("Xt.f64", olx.XTest.data);
    write("yt.f64", olx.yTest);
    const script = [
      "import sys, json, numpy as np, xgboost as xgb",
      "d, c = sys.argv[1], int(sys.argv[2])",
      "X = np.fromfile(d + '/X.f64').reshape(-1, c); y = np.fromfile(d + '/y.f64')",
      "Xt = np.fromfile(d + '/Xt.f64').reshape(-1, c); yt = np.fromfile(d + '/yt.f64')",
      "P = {'objective': 'reg:squarederror', 'eta': 0.1, 'max_depth': 6, 'tree_method': 'hist', 'max_bin': 256, 'base_score': 0.5, 'nthread': 1, 'verbosity': 0}",
      "m = xgb.train(P, xgb.DMatrix(X, label=y), num_boost_round=300)",
      "p = m.predict(xgb.DMatrix(Xt)).astype(np.float64)",
      "print(json.dumps(float(np.sqrt(np.mean((p - yt) ** 2)))))",
    ].join("\n");
    const r = spawnSync(PYTHON, ["-c", script, dir, String(olx.XTrain.cols)], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const theirs = Number(r.stdout.trim());
    console.log(`OLX test RMSE: ours ${ours.toFixed(2)}, XGBoost ${theirs.toFixed(2)}, ratio ${(ours / theirs).toFixed(5)}`);
    expect(Math.abs(ours / theirs - 1)).toBeLessThanOrEqual(0.01);
  });
});
