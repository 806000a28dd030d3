// `npm run bench -- gbdt [--repeats 5] [--tile 10] [--rounds 300] [--regimes warm,cold] [--threads 1,2]
//                       [--probes 3]`:
// our booster against Debian's XGBoost (/usr/bin/python3) on the same preprocessed OLX train
// matrix: 300 rounds, eta 0.1, max_depth 6, max_bin 256, base_score 0.5, nthread 1 and 2; then
// the rows tiled K times (--tile 0 skips that part).
//
// Protocol (the same on both sides; each side in its own process: bench/gbdt/ours.mjs and
// bench/python/gbdt_xgb.py):
// - inside the timer: the DMatrix built from the float64 rows (both convert to float32 there)
//   and the training; outside: interpreter start, loading the library, reading the matrices,
//   the test predictions for the RMSE.
// - warm regime: one process per side and configuration, one untimed warm-up training each,
//   then --repeats timed trainings in that process (our JIT, worker pool and arenas warm;
//   XGBoost's OpenMP pool and caches warm).
// - cold regime: every timed training in a fresh process on both sides (ours includes compiling
//   the WebAssembly kernels, starting the worker thread and the cold JIT; XGBoost its OpenMP
//   thread pool start): what the first `boost` of a process costs.
// - order: the sides alternate, ours first in the odd-numbered repeats (1, 3, ...), XGBoost in
//   the even ones; medians and ranges of --repeats runs per side.
// - first use (not a ratio; --probes N fresh processes per side and thread count, 1x rows): where
//   a fresh process's first training spends its extra time: ours compiles the kernels, boots the
//   worker(s) until ready, then trains twice; XGBoost trains twice (each timed apart).
// Last line: {"regime": ["warm","cold"], "repeats", "order", "warm": {"ratio_1t","ratio_2t",
// "ratio_10x_1t","ratio_10x_2t","scale_10x",...}, "cold": {...}, "first_use": {...}, "rmse_ratio", ...}.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import * as lib from "../dist/index.js";
import { alternation, load1, sidesInOrder, spread } from "./lib/protocol.mjs";
import { startSide } from "./lib/side.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    repeats: { type: "string", default: "5" }, tile: { type: "string", default: "10" }, rounds: { type: "string", default: "300" },
    regimes: { type: "string", default: "warm,cold" }, threads: { type: "string", default: "1,2" },
    probes: { type: "string", default: "3" },
  },
});
const REPEATS = Number(values.repeats);
const TILE = Number(values.tile);
const ROUNDS = Number(values.rounds);
const REGIMES = values.regimes.split(",");
const THREADS = values.threads.split(",").map(Number);
const PROBES = Number(values.probes);
for (const r of REGIMES) if (r !== "warm" && r !== "cold") throw new Error(`--regimes: warm and/or cold, not ${r}`);
const PYTHON = "/usr/bin/python3";

if (!existsSync(lib.REAL_OLX_CSV)) {
  console.error(`gbdt bench: the real OLX file is missing (${lib.REAL_OLX_CSV})`);
  process.exit(2);
}
const xgbProbe = spawnSync(PYTHON, ["-c", "import xgboost; print(xgboost.__version__)"], { encoding: "utf8" });
if (xgbProbe.status !== 0) {
  console.error(`gbdt bench: ${PYTHON} cannot import xgboost (apt-get install -y python3-xgboost)`);
  process.exit(2);
}
const xgbVersion = xgbProbe.stdout.trim();

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

const sideArgs = (rows, nt, mode) => [
  "--dir", dir, "--rows", String(rows), "--cols", String(olx.XTrain.cols), "--rows-test", String(olx.XTest.rows),
  "--nthread", String(nt), "--rounds", String(ROUNDS), "--mode", mode,
];
const SIDES = {
  ours: { cmd: process.execPath, script: join(here, "gbdt", "ours.mjs") },
  xgboost: { cmd: PYTHON, script: join(here, "python", "gbdt_xgb.py") },
};

function coldRun(side, rows, nt, mode = "once") {
  const { cmd, script } = SIDES[side];
  const r = spawnSync(cmd, [script, ...sideArgs(rows, nt, mode)], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${side} (${mode}) failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").pop());
}

/** Medians over --probes fresh processes per side of each part of a first training. */
function probe(rows, nt) {
  const runs = { ours: [], xgboost: [] };
  for (let rep = 0; rep < PROBES; rep++) {
    for (const side of sidesInOrder(rep, "ours", "xgboost")) runs[side].push(coldRun(side, rows, nt, "probe"));
  }
  const medians = (rs) => Object.fromEntries(Object.keys(rs[0]).map((k) => [k, spread(rs.map((r) => r[k])).median]));
  return { ours: medians(runs.ours), xgboost: medians(runs.xgboost) };
}

async function measure(regime, rows, nt) {
  const runs = { ours: [], xgboost: [] };
  const warmup = {};
  if (regime === "warm") {
    const live = {};
    try {
      // One side after the other, so that the warm-up trainings do not overlap.
      for (const side of ["ours", "xgboost"]) {
        live[side] = startSide(SIDES[side].cmd, [SIDES[side].script, ...sideArgs(rows, nt, "serve")], `${side} (warm)`);
        warmup[side] = +Number((await live[side].ask()).warmup_s).toFixed(3);
      }
      for (let rep = 0; rep < REPEATS; rep++) {
        for (const side of sidesInOrder(rep, "ours", "xgboost")) runs[side].push(await live[side].ask("train"));
      }
    } finally {
      await Promise.all(Object.values(live).map((s) => s.close()));
    }
  } else {
    for (let rep = 0; rep < REPEATS; rep++) {
      for (const side of sidesInOrder(rep, "ours", "xgboost")) runs[side].push(coldRun(side, rows, nt));
    }
  }
  const ours = spread(runs.ours.map((r) => r.seconds));
  const xgboost = spread(runs.xgboost.map((r) => r.seconds));
  return {
    regime, rows, nthread: nt, ours, xgboost, ratio: +(ours.median / xgboost.median).toFixed(3),
    ...(regime === "warm" ? { warmup_s: warmup } : {}),
    ours_rmse: runs.ours[0].rmse, xgb_rmse: runs.xgboost[0].rmse,
  };
}

const loadStart = load1();
const results = {};
const firstUse = {};
try {
  for (const [label, k] of TILE > 1 ? [["1x", 1], [`${TILE}x`, TILE]] : [["1x", 1]]) {
    const { X, y } = k === 1 ? { X: olx.XTrain, y: olx.yTrain } : tiled(olx.XTrain, olx.yTrain, k);
    write("X.f64", X.data);
    write("y.f64", y);
    for (const nt of THREADS) {
      for (const regime of REGIMES) {
        const key = `${regime}_${label}_${nt}t`;
        results[key] = await measure(regime, X.rows, nt);
        console.log(JSON.stringify({ [key]: { ...results[key], load1: load1() } }));
      }
      if (k === 1 && PROBES > 0) {
        firstUse[`${nt}t`] = probe(X.rows, nt);
        console.log(JSON.stringify({ [`first_use_${nt}t`]: { ...firstUse[`${nt}t`], load1: load1() } }));
      }
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const ratio = (a, b) => (a && b ? +(a / b).toFixed(3) : undefined);
const figures = {};
for (const regime of REGIMES) {
  const f = {};
  for (const nt of THREADS) {
    const small = results[`${regime}_1x_${nt}t`];
    const big = results[`${regime}_${TILE}x_${nt}t`];
    f[`ratio_${nt}t`] = small.ratio;
    f[`ours_${nt}t_s`] = small.ours;
    f[`xgb_${nt}t_s`] = small.xgboost;
    if (big) {
      f[`ratio_${TILE}x_${nt}t`] = big.ratio;
      f[`ours_${TILE}x_${nt}t_s`] = big.ours;
      f[`xgb_${TILE}x_${nt}t_s`] = big.xgboost;
    }
  }
  const small1 = results[`${regime}_1x_${THREADS[0]}t`];
  const big1 = results[`${regime}_${TILE}x_${THREADS[0]}t`];
  if (big1) {
    f[`scale_${TILE}x`] = ratio(big1.ours.median, small1.ours.median);
    f[`xgb_scale_${TILE}x`] = ratio(big1.xgboost.median, small1.xgboost.median);
  }
  figures[regime] = f;
}
const first = results[Object.keys(results)[0]];
console.log(JSON.stringify({
  regime: REGIMES,
  repeats: REPEATS,
  order: alternation(REPEATS, "ours", "xgboost"),
  timer: "DMatrix from float64 rows (float32 conversion) + train, both sides; warm: after one untimed warm-up training per process; cold: fresh process per training",
  ...figures,
  ...(PROBES > 0 ? { first_use: { probes: PROBES, ...firstUse } } : {}),
  rmse_ratio: +(first.ours_rmse / first.xgb_rmse).toFixed(6),
  rows: olx.XTrain.rows, cols: olx.XTrain.cols, rounds: ROUNDS, tile: TILE, threads: THREADS, xgboost: xgbVersion,
  load1_start: loadStart, load1_end: load1(),
}));
