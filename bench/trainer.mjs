// `npm run bench -- trainer [--repeats 3] [--csv PATH]`: our simple trainer against the original
// Python project's simple_trainer.py (scikit-learn 1.2.1, n_jobs=-1) on the real data.
//
// Protocol:
// - regime cold: every run is a fresh process on both sides; the whole run is timed from spawn to
//   exit (interpreter start, imports, data, the four 5-fold cross-validations).
// - per model: each side's wall time around that model's cross-validation, measured inside the
//   process, with the worker start-up taken out the same way on both sides: before the models,
//   each side starts the workers its models reuse and times that apart (`pool_start_s`):
//   scikit-learn's loky processes importing scikit-learn (bench/python/simple_trainer_bench.py;
//   otherwise Ridge, the first model, pays for them), our forest's worker threads (otherwise the
//   random forest pays). Our k-NN starts its own cross-validation worker threads at every call
//   (they are not pooled), so its time includes their start-up; measured apart afterwards as
//   `ours_cv_workers_start_s` (2 workers, a 2-fold Ridge on 64 rows).
// - order: --repeats runs per side, alternating which side goes first (scikit-learn in repeat 1);
//   medians and ranges.
// Last line: {"regime", "repeats", "order", "ratio" (whole run, medians), "per_model": {NAME: ratio
// of medians}, "ours_s"/"sklearn_s" per model {median, min, max, runs}, "pool_start_s", ...}.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { alternation, load1, median, sidesInOrder, spread } from "./lib/protocol.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseArgs({
  options: {
    repeats: { type: "string", default: "3" },
    csv: { type: "string", default: resolve(root, "..", "shared", "data", "olx_house_price_Q122.csv") },
    child: { type: "boolean", default: false },
  },
});

const tiny = (rows, cols) => {
  const data = new Float64Array(rows * cols).map((_, i) => Math.sin(i * 12.9898) * 43758.5453 % 1);
  const y = Float64Array.from({ length: rows }, (_, i) => data[i * cols] + 0.1 * i);
  return { X: { rows, cols, data }, y };
};

if (values.child) {
  // Child mode: one run of our trainer in this fresh process, figures as JSON on stdout.
  const lib = await import("../dist/index.js");
  const t0 = performance.now();
  const small = tiny(64, 3);
  await new lib.RandomForestRegressor({ nEstimators: 2, nJobs: -1, seed: 0 }).fitAsync(small.X, small.y);
  const poolStart = (performance.now() - t0) / 1000;
  const { result, comparison } = await lib.runSimpleTrainer({ csv: values.csv });
  const walls = Object.fromEntries(comparison.rows.map((r) => [r.name, r.wallTime]));
  const t1 = performance.now();
  await lib.crossValidate(new lib.Ridge(), small.X, small.y, { cv: 2, nJobs: -1 });
  const cvWorkersStart = (performance.now() - t1) / 1000;
  process.stdout.write(JSON.stringify({ ...result, cv_wall_s: walls, pool_start_s: poolStart, cv_workers_start_s: cvWorkersStart }) + "\n");
  process.exit(0);
}

if (!existsSync(values.csv)) {
  console.error(`bench trainer: the real data is missing: ${values.csv}`);
  process.exit(2);
}
const PEER = join(root, "bench", "python", "simple_trainer_bench.py");
const NAMES = { Ridge: "Ridge", RandomForest: "RF", LinearSVR: "LinearSVR", KNN: "KNN" };

function timed(cmd, args, label, parse) {
  const start = performance.now();
  const child = spawnSync(cmd, args, { cwd: root, encoding: "utf8", maxBuffer: 1 << 26 });
  const wall = (performance.now() - start) / 1000;
  if (child.status !== 0) throw new Error(`${label} failed: ${child.stderr}`);
  return { wall, out: parse(child.stdout) };
}
const SIDES = {
  // Ours prints one JSON line last; the Python side one indented JSON object.
  ours: () => timed(process.execPath, [fileURLToPath(import.meta.url), "--child", "--csv", values.csv], "our trainer", (s) => JSON.parse(s.trim().split("\n").pop())),
  sklearn: () => {
    const r = timed("/usr/bin/python3", [PEER, values.csv], "simple_trainer_bench.py", JSON.parse);
    if (!r.out.pool_reused) throw new Error("simple_trainer_bench.py: the folds did not run on the pre-started workers");
    return r;
  },
};

const repeats = Math.max(1, Number(values.repeats));
const runs = { ours: [], sklearn: [] };
const loads = [load1()];
for (let r = 0; r < repeats; r++) {
  for (const side of sidesInOrder(r, "sklearn", "ours")) {
    const res = SIDES[side]();
    runs[side].push(res);
    loads.push(load1());
    console.log(`${side.padEnd(7)} run ${r + 1}: ${res.wall.toFixed(1)} s (load ${loads.at(-1)})`);
  }
}

const perModel = {};
const oursS = {};
const sklearnS = {};
const accuracy = {};
const rows = [];
for (const [name, peerName] of Object.entries(NAMES)) {
  oursS[name] = spread(runs.ours.map((o) => o.out.cv_wall_s[name]), 2);
  sklearnS[name] = spread(runs.sklearn.map((p) => p.out.models[peerName].cross_validate_wall_s), 2);
  perModel[name] = +(median(runs.ours.map((o) => o.out.cv_wall_s[name])) / median(runs.sklearn.map((p) => p.out.models[peerName].cross_validate_wall_s))).toFixed(3);
  const o = runs.ours[0].out.models[name];
  const p = runs.sklearn[0].out.models[peerName];
  accuracy[name] = { test_rmse_rel: o.test_rmse / p.mean_test_rmse - 1, test_mape_rel: o.test_mape / p.mean_test_mape - 1 };
  rows.push([name, `${oursS[name].median} [${oursS[name].min}-${oursS[name].max}]`, `${sklearnS[name].median} [${sklearnS[name].min}-${sklearnS[name].max}]`, perModel[name].toFixed(2), o.test_rmse.toFixed(0), p.mean_test_rmse.toFixed(0)]);
}
const oursTotal = spread(runs.ours.map((o) => o.wall), 1);
const sklearnTotal = spread(runs.sklearn.map((p) => p.wall), 1);
const poolStart = { ours: spread(runs.ours.map((o) => o.out.pool_start_s)), sklearn: spread(runs.sklearn.map((p) => p.out.pool_start_s)) };
console.log("\nmodel         ours CV s (median [range])  sklearn CV s (median [range])  ratio  ours test RMSE  sklearn test RMSE");
for (const r of rows) console.log(`${r[0].padEnd(12)}  ${r[1].padStart(26)}  ${r[2].padStart(29)}  ${r[3].padStart(5)}  ${r[4].padStart(14)}  ${r[5].padStart(17)}`);
console.log(`worker start-up (apart): ours ${poolStart.ours.median} s (forest threads), sklearn ${poolStart.sklearn.median} s (loky processes)`);
console.log(`whole run: ours ${oursTotal.median} s, sklearn ${sklearnTotal.median} s (medians of ${repeats})\n`);
console.log(
  JSON.stringify({
    regime: "cold",
    repeats,
    order: alternation(repeats, "sklearn", "ours"),
    timer: "whole run: spawn to exit; per model: its cross-validation inside the process, worker pools started before the models and timed apart (pool_start_s); our KNN includes its own cv workers' start (ours_cv_workers_start_s)",
    ratio: +(oursTotal.median / sklearnTotal.median).toFixed(3),
    per_model: perModel,
    ours_s: oursS,
    sklearn_s: sklearnS,
    ours_wall_s: oursTotal,
    sklearn_wall_s: sklearnTotal,
    pool_start_s: poolStart,
    ours_cv_workers_start_s: spread(runs.ours.map((o) => o.out.cv_workers_start_s)),
    accuracy,
    load1: { min: Math.min(...loads), max: Math.max(...loads) },
  }),
);
