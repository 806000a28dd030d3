// `npm run bench -- data [--csv PATH] [--repeats N]`: load + clean + preprocess of the real OLX
// file (split 80/20, fit on train, transform test) by this library and by pandas + scikit-learn
// (../shared/peers/olx_preprocess.py, Debian's python3).
// Protocol: regime cold (every run a fresh process on both sides); inside the timer only the work
// (`prepareOlx` / `load_and_preprocess` from the CSV file), after the library or the imports are
// loaded on both sides; --repeats runs per side (default 5), alternating which side goes first
// (ours in repeat 1); medians, ranges beside.
// Last line: {"regime", "repeats", "order", "ours_s", "python_s", "ratio", "rows", ...}.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import lib from "../dist/index.js";
import { alternation, load1, sidesInOrder, spread } from "./lib/protocol.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseArgs({ options: { csv: { type: "string" }, repeats: { type: "string", default: "5" } } });
const csv = values.csv ?? lib.REAL_OLX_CSV;
const repeats = Number(values.repeats);
const peers = join(root, "..", "shared", "peers");
if (!existsSync(csv)) throw new Error(`bench data: ${csv} not found (pass --csv)`);

const PY = `
import sys, time, json
sys.path.insert(0, ${JSON.stringify(peers)})
from olx_preprocess import load_and_preprocess
t = time.perf_counter()
out = load_and_preprocess(${JSON.stringify(csv)}, 42)
print(json.dumps({"s": time.perf_counter() - t, "rows": out[0].shape[0] + out[1].shape[0]}))
`;

function python() {
  const r = spawnSync("/usr/bin/python3", ["-c", PY], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`python peer failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").pop()).s;
}

// Ours also runs in a fresh process each time, like the Python side (no warm JIT between runs).
const NODE = `
const lib = require(${JSON.stringify(join(root, "dist", "index.js"))});
const t = performance.now();
const p = lib.prepareOlx({ csv: ${JSON.stringify(csv)}, seed: 42 });
console.log(JSON.stringify({ s: (performance.now() - t) / 1000, rows: p.XTrain.rows + p.XTest.rows }));
`;
function ours() {
  const r = spawnSync(process.execPath, ["-e", NODE], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`node run failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").pop());
}

const runs = { ours: [], python: [] };
let rows = 0;
const run = {
  ours: () => {
    const r = ours();
    rows = r.rows;
    return r.s;
  },
  python,
};
const loads = [load1()];
for (let k = 0; k < repeats; k++) {
  for (const side of sidesInOrder(k, "ours", "python")) runs[side].push(run[side]());
  loads.push(load1());
  console.log(`run ${k + 1}: ours ${runs.ours[k].toFixed(3)} s, pandas+sklearn ${runs.python[k].toFixed(3)} s`);
}
const o = spread(runs.ours);
const p = spread(runs.python);
console.log(JSON.stringify({
  regime: "cold",
  repeats,
  order: alternation(repeats, "ours", "python"),
  timer: "prepareOlx / load_and_preprocess from the CSV, in a fresh process, after loading the library / imports",
  ours_s: o.median,
  python_s: p.median,
  ratio: +(o.median / p.median).toFixed(3),
  ours_range_s: o,
  python_range_s: p,
  rows,
  load1: { min: Math.min(...loads), max: Math.max(...loads) },
}));
