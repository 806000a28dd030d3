// `npm run bench -- trainer [--repeats N] [--csv PATH]`: our simple trainer against the original Python project's
// simple_trainer.py (scikit-learn, n_jobs=-1) on the real data, run alternately in fresh
// processes on the same machine; medians over the repeats. Last line: one JSON object
// {"ratio": ours/sklearn (whole run), "per_model": {NAME: ratio of cross-validation wall}, ...}.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { loadavg } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseArgs({
  options: {
    repeats: { type: "string", default: "1" },
    csv: { type: "string", default: resolve(root, "..", "shared", "data", "olx_house_price_Q122.csv") },
    child: { type: "boolean", default: false },
  },
});

if (values.child) {
  // Child mode: one run of our trainer in this fresh process, figures as JSON on stdout.
  const lib = await import("../dist/index.js");
  const { result, comparison } = await lib.runSimpleTrainer({ csv: values.csv });
  const walls = Object.fromEntries(comparison.rows.map((r) => [r.name, r.wallTime]));
  process.stdout.write(JSON.stringify({ ...result, cv_wall_s: walls }) + "\n");
  process.exit(0);
}

if (!existsSync(values.csv)) {
  console.error(`bench trainer: the real data is missing: ${values.csv}`);
  process.exit(2);
}
const PEER = resolve(root, "..", "shared", "peers", "simple_trainer.py");
const NAMES = { Ridge: "Ridge", RandomForest: "RF", LinearSVR: "LinearSVR", KNN: "KNN" };

function runOurs() {
  const start = performance.now();
  const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), "--child", "--csv", values.csv], { cwd: root, encoding: "utf8", maxBuffer: 1 << 26 });
  const wall = (performance.now() - start) / 1000;
  if (child.status !== 0) throw new Error(`our trainer failed: ${child.stderr}`);
  const lines = child.stdout.trim().split("\n");
  return { wall, out: JSON.parse(lines[lines.length - 1]) };
}

function runPeer() {
  const start = performance.now();
  const child = spawnSync("/usr/bin/python3", [PEER, values.csv], { cwd: dirname(PEER), encoding: "utf8", maxBuffer: 1 << 26 });
  const wall = (performance.now() - start) / 1000;
  if (child.status !== 0) throw new Error(`simple_trainer.py failed: ${child.stderr}`);
  return { wall, out: JSON.parse(child.stdout) };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const repeats = Math.max(1, Number(values.repeats));
const ours = [];
const peer = [];
const loads = [loadavg()[0]];
for (let r = 0; r < repeats; r++) {
  // Alternate which side goes first, so that neither always meets the same background load.
  const order = r % 2 === 0 ? [runPeer, runOurs] : [runOurs, runPeer];
  for (const run of order) {
    const res = run();
    (run === runOurs ? ours : peer).push(res);
    console.log(`${run === runOurs ? "ours   " : "sklearn"} run ${r + 1}: ${res.wall.toFixed(1)} s (load ${loadavg()[0].toFixed(2)})`);
    loads.push(loadavg()[0]);
  }
}

const rows = [];
const perModel = {};
const accuracy = {};
for (const [name, peerName] of Object.entries(NAMES)) {
  const oursWall = median(ours.map((o) => o.out.cv_wall_s[name]));
  const peerWall = median(peer.map((p) => p.out.models[peerName].cross_validate_wall_s));
  perModel[name] = oursWall / peerWall;
  const o = ours[0].out.models[name];
  const p = peer[0].out.models[peerName];
  accuracy[name] = { test_rmse_rel: o.test_rmse / p.mean_test_rmse - 1, test_mape_rel: o.test_mape / p.mean_test_mape - 1 };
  rows.push([name, oursWall.toFixed(2), peerWall.toFixed(2), perModel[name].toFixed(2), o.test_rmse.toFixed(0), p.mean_test_rmse.toFixed(0), o.test_mape.toFixed(4), p.mean_test_mape.toFixed(4)]);
}
const oursTotal = median(ours.map((o) => o.wall));
const peerTotal = median(peer.map((p) => p.wall));
console.log("\nmodel         ours CV s  sklearn CV s  ratio  ours test RMSE  sklearn test RMSE  ours MAPE  sklearn MAPE");
for (const r of rows) console.log(`${r[0].padEnd(12)}  ${r[1].padStart(9)}  ${r[2].padStart(12)}  ${r[3].padStart(5)}  ${r[4].padStart(14)}  ${r[5].padStart(17)}  ${r[6].padStart(9)}  ${r[7].padStart(12)}`);
console.log(`whole run: ours ${oursTotal.toFixed(1)} s, sklearn ${peerTotal.toFixed(1)} s (medians of ${repeats})\n`);
console.log(
  JSON.stringify({
    ratio: oursTotal / peerTotal,
    per_model: perModel,
    ours_wall_s: oursTotal,
    sklearn_wall_s: peerTotal,
    repeats,
    accuracy,
    load_avg: { min: Math.min(...loads), max: Math.max(...loads) },
  }),
);
