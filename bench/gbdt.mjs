// `npm run bench -- gbdt [--repeats N] [--tile K] [--rounds R]`: our booster against Debian's
// XGBoost (/usr/bin/python3) on the same preprocessed OLX train matrix, side by side:
// 300 rounds, eta 0.1, max_depth 6, max_bin 256, nthread 1 and 2, the two sides alternated,
// median of the repeats; then the rows tiled K times. Times include building the DMatrix
// (XGBoost sketches its cut points inside the first round; ours quantizes then too).
// Last line: {"ratio_1t","ratio_2t","rmse_ratio","scale_10x","rows",...}.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import * as lib from "../dist/index.js";
import * as boosting from "../dist/models/boosting/index.js";

const { values } = parseArgs({ options: { repeats: { type: "string", default: "3" }, tile: { type: "string", default: "10" }, rounds: { type: "string", default: "300" } } });
const REPEATS = Number(values.repeats);
const TILE = Number(values.tile);
const ROUNDS = Number(values.rounds);
const PARAMS = { objective: "reg:squarederror", eta: 0.1, max_depth: 6, max_bin: 256, subsample: 1, colsample_bytree: 1, min_child_weight: 1, lambda: 1, alpha: 0, base_score: 0.5 };
const PYTHON = "/usr/bin/python3";

if (!existsSync(lib.REAL_OLX_CSV)) {
  console.error(`gbdt bench: the real OLX file is missing (${lib.REAL_OLX_CSV})`);
  process.exit(2);
}
const probe = spawnSync(PYTHON, ["-c", "import xgboost; print(xgboost.__version__)"], { encoding: "utf8" });
if (probe.status !== 0) {
  console.error(`gbdt bench: ${PYTHON} cannot import xgboost (apt-get install -y python3-xgboost)`);
  process.exit(2);
}
const xgbVersion = probe.stdout.trim();

const olx = lib.prepareOlx({ csv: lib.REAL_OLX_CSV, seed: 42 });
const tiled = (m, y, k) => {
  const data = new Float64Array(m.data.length * k);
  const yy = new Float64Array(y.length * k);
  for (let t = 0; t < k; t++) {
    data.set(m.data, t * m.data.length);
    yy.set(y, t * y.length);
  }
  return { X: { rows: m.rows * k, cols: m.cols, data }, y: yy };
};

const dir = mkdtempSync(join(tmpdir(), "gbdt-bench-"));
const write = (name, arr) => writeFileSync(join(dir, name), Buffer.from(arr.buffer, arr.byteOffset, arr.byteLength));
write("Xte.f64", olx.XTest.data);
write("yte.f64", olx.yTest);

const PY = `
import json, sys, time
import numpy as np, xgboost as xgb
d, rows, cols, rows_te, nt, rounds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
X = np.fromfile(d + "/X.f64").reshape(rows, cols).astype(np.float32); y = np.fromfile(d + "/y.f64")
Xt = np.fromfile(d + "/Xte.f64").reshape(rows_te, cols).astype(np.float32); yt = np.fromfile(d + "/yte.f64")
P = {"objective": "reg:squarederror", "eta": 0.1, "max_depth": 6, "subsample": 1, "colsample_bytree": 1, "min_child_weight": 1,
     "lambda": 1, "alpha": 0, "tree_method": "hist", "max_bin": 256, "verbosity": 0, "nthread": nt, "base_score": 0.5}
t0 = time.perf_counter(); dm = xgb.DMatrix(X, label=y, nthread=nt); m = xgb.train(P, dm, num_boost_round=rounds); t1 = time.perf_counter()
p = m.predict(xgb.DMatrix(Xt))
print(json.dumps({"seconds": t1 - t0, "rmse": float(np.sqrt(np.mean((p.astype(np.float64) - yt) ** 2)))}))
`;

function runXgb(rows, nt) {
  const r = spawnSync(PYTHON, ["-c", PY, dir, String(rows), String(olx.XTrain.cols), String(olx.XTest.rows), String(nt), String(ROUNDS)], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`xgboost run failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").pop());
}

function runOurs(X, y, nt) {
  const t0 = performance.now();
  const d = new boosting.DMatrix(X, { label: y });
  const booster = boosting.train({ ...PARAMS, nthread: nt }, d, { numBoostRound: ROUNDS });
  const seconds = (performance.now() - t0) / 1000;
  const p = booster.predict(olx.XTest);
  let s = 0;
  for (let i = 0; i < p.length; i++) s += (p[i] - olx.yTest[i]) ** 2;
  return { seconds, rmse: Math.sqrt(s / p.length) };
}

const median = (v) => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const load0 = loadavg().map((v) => +v.toFixed(2));
const results = {};
try {
  for (const [label, k] of [["1x", 1], [`${TILE}x`, TILE]]) {
    const { X, y } = k === 1 ? { X: olx.XTrain, y: olx.yTrain } : tiled(olx.XTrain, olx.yTrain, k);
    write("X.f64", X.data);
    write("y.f64", y);
    for (const nt of [1, 2]) {
      const ours = [];
      const xgbRuns = [];
      for (let rep = 0; rep < REPEATS; rep++) {
        // Alternate which side goes first, so drifting load hits both equally.
        if (rep % 2 === 0) {
          ours.push(runOurs(X, y, nt));
          xgbRuns.push(runXgb(X.rows, nt));
        } else {
          xgbRuns.push(runXgb(X.rows, nt));
          ours.push(runOurs(X, y, nt));
        }
      }
      const row = {
        rows: X.rows, nthread: nt,
        ours_s: ours.map((r) => +r.seconds.toFixed(3)), xgb_s: xgbRuns.map((r) => +r.seconds.toFixed(3)),
        ours_median_s: +median(ours.map((r) => r.seconds)).toFixed(3), xgb_median_s: +median(xgbRuns.map((r) => r.seconds)).toFixed(3),
        ours_rmse: ours[0].rmse, xgb_rmse: xgbRuns[0].rmse,
      };
      results[`${label}_${nt}t`] = row;
      console.log(JSON.stringify({ [`${label}_${nt}t`]: row }));
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const r1 = results["1x_1t"];
const r2 = results["1x_2t"];
const big = results[`${TILE}x_1t`];
console.log(JSON.stringify({
  ratio_1t: +(r1.ours_median_s / r1.xgb_median_s).toFixed(3),
  ratio_2t: +(r2.ours_median_s / r2.xgb_median_s).toFixed(3),
  rmse_ratio: +(r1.ours_rmse / r1.xgb_rmse).toFixed(6),
  scale_10x: +(big.ours_median_s / r1.ours_median_s).toFixed(2),
  xgb_scale_10x: +(big.xgb_median_s / r1.xgb_median_s).toFixed(2),
  ratio_10x_1t: +(big.ours_median_s / big.xgb_median_s).toFixed(3),
  ratio_10x_2t: +(results[`${TILE}x_2t`].ours_median_s / results[`${TILE}x_2t`].xgb_median_s).toFixed(3),
  rows: r1.rows, cols: olx.XTrain.cols, rounds: ROUNDS, repeats: REPEATS, tile: TILE, xgboost: xgbVersion,
  loadavg_start: load0, loadavg_end: loadavg().map((v) => +v.toFixed(2)),
}));
