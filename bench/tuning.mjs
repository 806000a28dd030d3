// `npm run bench -- tuning [--csv PATH] [--trials 20] [--base-score mean]`: our `tune` and the
// original Python project's ../shared/peers/hyper_opt.py (Optuna 3.1 + XGBoost 1.7.4 from Debian) on the real data
// with the same budget and the same base_score, one after the other, each in its own process,
// timed from spawn to exit. Neither side logs to MLflow. Last line:
// {"time_ratio": ours/python, "best_value_ratio": ours/python, "trials": N, ...}.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseArgs({
  options: { csv: { type: "string" }, trials: { type: "string", default: "20" }, "base-score": { type: "string", default: "mean" } },
});
const csv = values.csv ?? join(root, "..", "shared", "data", "olx_house_price_Q122.csv");
if (!existsSync(csv)) throw new Error(`bench tuning: ${csv} not found (pass --csv)`);
const trials = Number(values.trials);
const baseScore = values["base-score"];
const work = mkdtempSync(join(tmpdir(), "bench-tuning-"));

function timed(cmd, args) {
  const t = performance.now();
  const r = spawnSync(cmd, args, { cwd: work, encoding: "utf8", maxBuffer: 1 << 26, env: { ...process.env, MLFLOW_TRACKING_URI: join(work, "mlruns") } });
  const s = (performance.now() - t) / 1000;
  if (r.status !== 0) throw new Error(`${cmd} failed (${r.status}): ${r.stderr.slice(-2000)}`);
  return { s, stdout: r.stdout };
}

const load = [loadavg()[0]];
const python = timed("/usr/bin/python3", [join(root, "..", "shared", "peers", "hyper_opt.py"), csv, "--trials", String(trials), "--no-tree-method-compare", "--base-score", baseScore]);
const py = JSON.parse(python.stdout);
console.log(`python: ${python.s.toFixed(1)} s, best CV test RMSE ${py.study.best_value_test_rmse.toFixed(0)}, ${py.study.n_complete} complete / ${py.study.n_pruned} pruned, holdout RMSE ${py.holdout.test.rmse.toFixed(0)}`);
const ours = timed(process.execPath, [join(root, "bin", "mlflow-demo-ts.js"), "tune", "--csv", csv, "--trials", String(trials), "--base-score", baseScore, "--no-tracking", "--json"]);
const our = JSON.parse(ours.stdout.trim().split("\n").pop());
console.log(`ours:   ${ours.s.toFixed(1)} s, best CV test RMSE ${our.best_value.toFixed(0)}, ${our.n_complete} complete / ${our.n_pruned} pruned, holdout RMSE ${our.holdout.rmse.toFixed(0)}`);
load.push(loadavg()[0]);
rmSync(work, { recursive: true, force: true });
console.log(JSON.stringify({
  time_ratio: ours.s / python.s,
  best_value_ratio: our.best_value / py.study.best_value_test_rmse,
  trials,
  base_score: baseScore,
  ours_s: ours.s,
  python_s: python.s,
  ours_best: our.best_value,
  python_best: py.study.best_value_test_rmse,
  ours_holdout_rmse: our.holdout.rmse,
  python_holdout_rmse: py.holdout.test.rmse,
  ours_complete_pruned: [our.n_complete, our.n_pruned],
  python_complete_pruned: [py.study.n_complete, py.study.n_pruned],
  load1: load,
}));
