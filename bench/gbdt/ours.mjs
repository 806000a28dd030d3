// Our side of bench/gbdt.mjs, in a process of its own. Reads the matrices the driver wrote
// (float64, row-major, as the data comes from preprocessing), then
//   --mode once:  one timed training, one JSON line, exit (the cold regime: the timer includes
//                 compiling the WebAssembly kernels, starting the worker thread, cold JIT);
//   --mode serve: one untimed warm-up training ({"warmup_s"}), then one timed training per line
//                 read on stdin, one JSON line each (the warm regime);
//   --mode probe: where a fresh process's first training spends its extra time (not a ratio):
//                 compiling the WebAssembly kernels, booting the worker thread(s) until ready,
//                 then a first and a second training, each timed apart.
// Inside the timer, as on XGBoost's side: the DMatrix from the float64 rows (float32 conversion;
// cut points and bins are computed by the first round) and the training. Outside: reading the
// files, loading the library, the test predictions for the RMSE.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import * as boosting from "../../dist/models/boosting/index.js";
import { kernelModule } from "../../dist/models/boosting/wasmKernels.js";
import { workerPool } from "../../dist/models/boosting/workerPool.js";

const { values } = parseArgs({
  options: {
    dir: { type: "string" }, rows: { type: "string" }, cols: { type: "string" }, "rows-test": { type: "string" },
    nthread: { type: "string" }, rounds: { type: "string" }, mode: { type: "string", default: "once" },
  },
});
const cols = Number(values.cols);
const f64 = (name) => {
  const b = readFileSync(join(values.dir, name));
  return new Float64Array(b.buffer, b.byteOffset, b.byteLength / 8);
};
const X = { rows: Number(values.rows), cols, data: f64("X.f64") };
const y = f64("y.f64");
const XTest = { rows: Number(values["rows-test"]), cols, data: f64("Xte.f64") };
const yTest = f64("yte.f64");
const PARAMS = {
  objective: "reg:squarederror", eta: 0.1, max_depth: 6, max_bin: 256, subsample: 1, colsample_bytree: 1,
  min_child_weight: 1, lambda: 1, alpha: 0, base_score: 0.5, nthread: Number(values.nthread),
};

function timedTraining() {
  const t0 = performance.now();
  const d = new boosting.DMatrix(X, { label: y });
  const booster = boosting.train(PARAMS, d, { numBoostRound: Number(values.rounds) });
  const seconds = (performance.now() - t0) / 1000;
  const p = booster.predict(XTest);
  let s = 0;
  for (let i = 0; i < p.length; i++) s += (p[i] - yTest[i]) ** 2;
  return { seconds, rmse: Math.sqrt(s / p.length) };
}

const say = (o) => process.stdout.write(JSON.stringify(o) + "\n");
if (values.mode === "once") {
  say(timedTraining());
  process.exit(0);
}
if (values.mode === "probe") {
  const seconds = (t0) => (performance.now() - t0) / 1000;
  let t0 = performance.now();
  kernelModule();
  const compile_s = seconds(t0);
  t0 = performance.now();
  if (PARAMS.nthread > 1) workerPool(PARAMS.nthread - 1)?.waitReady();
  const workers_ready_s = seconds(t0);
  say({ compile_s, workers_ready_s, first_s: timedTraining().seconds, second_s: timedTraining().seconds });
  process.exit(0);
}
say({ warmup_s: timedTraining().seconds });
for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim() === "train") say(timedTraining());
}
process.exit(0);
