// `npm run bench -- data [--csv PATH] [--repeats N]`: load + clean + preprocess of the real OLX
// file (split 80/20, fit on train, transform test) by this library and by pandas + scikit-learn
// (../shared/peers/olx_preprocess.py, Debian's python3), alternating sides; medians of N runs.
// Last line: {"ours_s", "python_s", "ratio", "repeats", "rows"}.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import lib from "../dist/index.js";

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

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const oursS = [];
const pyS = [];
let rows = 0;
for (let k = 0; k < repeats; k++) {
  const o = ours();
  rows = o.rows;
  oursS.push(o.s);
  pyS.push(python());
  console.log(`run ${k + 1}: ours ${o.s.toFixed(3)} s, pandas+sklearn ${pyS[k].toFixed(3)} s`);
}
const result = { ours_s: median(oursS), python_s: median(pyS), ratio: median(oursS) / median(pyS), repeats, rows };
console.log(JSON.stringify(result));
