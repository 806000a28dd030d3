// `npm run bench -- tuning [--csv PATH] [--trials 20] [--repeats 3] [--base-score mean]`: our `tune`
// against the original Python project's hyper_opt.py (Optuna 3.1 + XGBoost 1.7.4 from Debian) on
// the real data, with the same budget and the same base_score.
//
// Protocol:
// - regime cold: every run is a fresh process on both sides, timed from spawn to exit (interpreter
//   start, imports, loading and preprocessing the data, the study: N trials of RepeatedKFold(4x2)
//   cv with up to 300 rounds, early stopping 30, median pruning after 10 rounds, 2 threads; then one
//   final model on the best parameters and its holdout RMSE). Neither side logs to MLflow.
// - the same work inside the timer: the Python side runs bench/python/hyper_opt_bench.py, which is
//   hyper_opt.py without its second holdout model (best trial's parameters alone) and without
//   predicting the training split, neither of which our `tune` does.
// - order: --repeats runs per side (at least 3), alternating which side goes first, Python first
//   in repeat 1; medians and ranges. The two samplers draw different trials (each seeded 42 in its
//   own generator), so the work differs by which trials are pruned: complete/pruned are reported.
// Last line: {"regime", "repeats", "order", "time_ratio": median ours / median Python,
// "ours_s": {median, min, max, runs}, "python_s": {...}, "best_value_ratio", ...}.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { alternation, load1, sidesInOrder, spread } from "./lib/protocol.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseArgs({
  options: {
    csv: { type: "string" }, trials: { type: "string", default: "20" }, repeats: { type: "string", default: "3" },
    "base-score": { type: "string", default: "mean" },
  },
});
const csv = resolve(values.csv ?? join(root, "..", "shared", "data", "olx_house_price_Q122.csv"));
if (!existsSync(csv)) throw new Error(`bench tuning: ${csv} not found (pass --csv)`);
const trials = Number(values.trials);
const repeats = Number(values.repeats);
const baseScore = values["base-score"];
if (!(repeats >= 1)) throw new Error(`--repeats must be at least 1, got ${values.repeats}`);
if (repeats < 3) console.log(`note: --repeats ${repeats}; the protocol asks for at least 3 per side`);
const work = mkdtempSync(join(tmpdir(), "bench-tuning-"));

function timed(cmd, args) {
  const t = performance.now();
  const r = spawnSync(cmd, args, { cwd: work, encoding: "utf8", maxBuffer: 1 << 26, env: { ...process.env, MLFLOW_TRACKING_URI: join(work, "mlruns") } });
  const s = (performance.now() - t) / 1000;
  if (r.status !== 0) throw new Error(`${cmd} failed (${r.status}): ${r.stderr.slice(-2000)}`);
  return { s, stdout: r.stdout };
}

const SIDES = {
  python() {
    const run = timed("/usr/bin/python3", [join(root, "bench", "python", "hyper_opt_bench.py"), csv, "--trials", String(trials), "--no-tree-method-compare", "--base-score", baseScore]);
    const out = JSON.parse(run.stdout);
    if (!out.holdout_original_params_only?.skipped) throw new Error("hyper_opt_bench.py trained the second holdout model");
    return { s: run.s, best: out.study.best_value_test_rmse, holdout: out.holdout.test.rmse, complete_pruned: [out.study.n_complete, out.study.n_pruned] };
  },
  ours() {
    const run = timed(process.execPath, [join(root, "bin", "mlflow-demo-ts.js"), "tune", "--csv", csv, "--trials", String(trials), "--base-score", baseScore, "--no-tracking", "--json"]);
    const out = JSON.parse(run.stdout.trim().split("\n").pop());
    return { s: run.s, best: out.best_value, holdout: out.holdout.rmse, complete_pruned: [out.n_complete, out.n_pruned] };
  },
};

const runs = { python: [], ours: [] };
const loads = [load1()];
try {
  for (let rep = 0; rep < repeats; rep++) {
    for (const side of sidesInOrder(rep, "python", "ours")) {
      const r = SIDES[side]();
      runs[side].push(r);
      loads.push(load1());
      console.log(`repeat ${rep + 1} ${side.padEnd(6)}: ${r.s.toFixed(1)} s, best CV test RMSE ${r.best.toFixed(0)}, ${r.complete_pruned.join(" complete / ")} pruned, holdout RMSE ${r.holdout.toFixed(0)} (load ${loads.at(-1)})`);
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
const ours = spread(runs.ours.map((r) => r.s), 1);
const python = spread(runs.python.map((r) => r.s), 1);
const [o, p] = [runs.ours[0], runs.python[0]];
console.log(JSON.stringify({
  regime: "cold",
  repeats,
  order: alternation(repeats, "python", "ours"),
  timer: "spawn to exit: data, study, one final model and its holdout RMSE (hyper_opt.py's second holdout model and train-split predictions left out)",
  time_ratio: +(ours.median / python.median).toFixed(3),
  ours_s: ours,
  python_s: python,
  best_value_ratio: +(o.best / p.best).toFixed(4),
  trials,
  base_score: baseScore,
  ours_best: o.best,
  python_best: p.best,
  ours_holdout_rmse: o.holdout,
  python_holdout_rmse: p.holdout,
  ours_complete_pruned: o.complete_pruned,
  python_complete_pruned: p.complete_pruned,
  load1: { min: Math.min(...loads), max: Math.max(...loads) },
}));
