// TPE sampler bench: quality (TPE vs random search, and vs Python Optuna 3.1's TPE with the same
// budget) on standard test functions over 20 seeds, and sampler overhead per trial at 1,000
// trials against Python Optuna's, run side by side. Last line: one JSON object of figures.
//
//   node bench/tpe.mjs [--seeds 20] [--trials 100] [--overhead-trials 1000] [--no-python]
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const lib = require("../dist/tuning/index.js");
const { values: args } = parseArgs({
  options: {
    seeds: { type: "string", default: "20" },
    trials: { type: "string", default: "100" },
    "overhead-trials": { type: "string", default: "1000" },
    "no-python": { type: "boolean", default: false },
  },
});
const SEEDS = Number(args.seeds);
const TRIALS = Number(args.trials);
const OVERHEAD_TRIALS = Number(args["overhead-trials"]);
const PYTHON = "/usr/bin/python3";
const havePython = !args["no-python"] && existsSync(PYTHON) && spawnSync(PYTHON, ["-c", "import optuna"]).status === 0;

// name -> [dimension, low, high, JS function, Python expression over list x]
const FUNCTIONS = {
  sphere: [4, -5, 5, (x) => x.reduce((a, v) => a + v * v, 0), "sum(v * v for v in x)"],
  rosenbrock: [2, -2, 2, (x) => 100 * (x[1] - x[0] ** 2) ** 2 + (1 - x[0]) ** 2, "100 * (x[1] - x[0] ** 2) ** 2 + (1 - x[0]) ** 2"],
  rastrigin: [3, -5.12, 5.12, (x) => 10 * x.length + x.reduce((a, v) => a + v * v - 10 * Math.cos(2 * Math.PI * v), 0), "10 * len(x) + sum(v * v - 10 * math.cos(2 * math.pi * v) for v in x)"],
  styblinski_tang: [3, -5, 5, (x) => x.reduce((a, v) => a + (v ** 4 - 16 * v * v + 5 * v) / 2, 0), "sum((v ** 4 - 16 * v * v + 5 * v) / 2 for v in x)"],
};

const median = (v) => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function bestOf(sampler, [dim, lo, hi, f], nTrials) {
  const study = await lib.createStudy({ sampler });
  await study.optimize((t) => f(Array.from({ length: dim }, (_, i) => t.suggestFloat(`x${i}`, lo, hi))), { nTrials });
  return study.bestValue;
}

const PY_QUALITY = `
import json, math, sys, warnings, optuna
warnings.filterwarnings("ignore")
optuna.logging.set_verbosity(optuna.logging.ERROR)
spec = json.loads(sys.argv[1])
out = {}
for name, (dim, lo, hi, expr) in spec["functions"].items():
    f = eval("lambda x: " + expr)
    for variant in ("coupled", "decoupled"):
        bests = []
        for seed in range(spec["seeds"]):
            sampler = optuna.samplers.TPESampler(seed=seed)
            if variant == "decoupled":
                # Optuna 3.1 seeds its startup RandomSampler and TPE's own RandomState with the same
                # seed, so TPE's first draws replay the startup draws; decoupled gives it another stream.
                sampler._random_sampler = optuna.samplers.RandomSampler(seed=seed + 1000)
            s = optuna.create_study(sampler=sampler)
            s.optimize(lambda t: f([t.suggest_float(f"x{i}", lo, hi) for i in range(dim)]), n_trials=spec["trials"])
            bests.append(s.best_value)
        out[name + "/" + variant] = bests
print(json.dumps(out))
`;

const PY_OVERHEAD = `
import json, sys, time, warnings, optuna
warnings.filterwarnings("ignore")
optuna.logging.set_verbosity(optuna.logging.ERROR)
n = int(sys.argv[1])
stamps = []
def objective(t):
    v = sum(t.suggest_float(f"x{i}", -5, 5) ** 2 for i in range(3)) + (t.suggest_categorical("c", ["a", "b", "c"]) == "a")
    stamps.append(time.perf_counter())
    return v
s = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=0))
t0 = time.perf_counter()
s.optimize(objective, n_trials=n)
total = time.perf_counter() - t0
last = stamps[-1] - stamps[-101] if n > 100 else total
print(json.dumps({"total_s": total, "last100_s": last}))
`;

async function oursOverhead(n) {
  const stamps = [];
  const study = await lib.createStudy({ sampler: new lib.TPESampler({ seed: 0 }) });
  const t0 = performance.now();
  await study.optimize((t) => {
    let v = 0;
    for (let i = 0; i < 3; i++) v += t.suggestFloat(`x${i}`, -5, 5) ** 2;
    v += t.suggestCategorical("c", ["a", "b", "c"]) === "a" ? 1 : 0;
    stamps.push(performance.now());
    return v;
  }, { nTrials: n });
  const total = (performance.now() - t0) / 1000;
  return { total_s: total, last100_s: n > 100 ? (stamps[n - 1] - stamps[n - 101]) / 1000 : total };
}

function python(script, ...argv) {
  const r = spawnSync(PYTHON, ["-c", script, ...argv], { encoding: "utf8", maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout.trim().split("\n").pop());
}

const figures = { seeds: SEEDS, trials: TRIALS, functions: {} };
const pyFunctions = Object.fromEntries(Object.entries(FUNCTIONS).map(([k, [d, lo, hi, , expr]]) => [k, [d, lo, hi, expr]]));

let pyBests = null;
if (havePython) {
  const t0 = performance.now();
  pyBests = python(PY_QUALITY, JSON.stringify({ functions: pyFunctions, seeds: SEEDS, trials: TRIALS }));
  console.log(`python optuna TPE quality runs: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
} else {
  console.log("SKIPPED: /usr/bin/python3 with optuna not available; no comparison with Python's TPE");
}

const t0 = performance.now();
for (const [name, spec] of Object.entries(FUNCTIONS)) {
  const tpe = [];
  const rnd = [];
  for (let seed = 0; seed < SEEDS; seed++) {
    tpe.push(await bestOf(new lib.TPESampler({ seed }), spec, TRIALS));
    rnd.push(await bestOf(new lib.RandomSampler({ seed }), spec, TRIALS));
  }
  const f = {
    tpe_median_best: median(tpe),
    random_median_best: median(rnd),
    tpe_wins_vs_random: tpe.filter((v, i) => v < rnd[i]).length / SEEDS,
  };
  if (pyBests) {
    const coupled = pyBests[`${name}/coupled`];
    const decoupled = pyBests[`${name}/decoupled`];
    f.python_tpe_median_best = median(coupled);
    f.python_tpe_decoupled_median_best = median(decoupled);
    // Excess over the known optimum, so that ratios are meaningful for functions whose optimum is not 0.
    const floor = name === "styblinski_tang" ? -39.16616570377142 * spec[0] : 0;
    f.excess_ratio_ours_vs_python = (f.tpe_median_best - floor) / (f.python_tpe_median_best - floor);
    f.excess_ratio_ours_vs_python_decoupled = (f.tpe_median_best - floor) / (f.python_tpe_decoupled_median_best - floor);
    f.ours_better_rate_vs_python = tpe.filter((v, i) => v <= coupled[i]).length / SEEDS;
  }
  figures.functions[name] = f;
  console.log(name, JSON.stringify(f));
}
console.log(`our TPE + random quality runs: ${((performance.now() - t0) / 1000).toFixed(1)} s`);

// Overhead: alternate sides, ours first.
const ours = await oursOverhead(OVERHEAD_TRIALS);
console.log(`ours ${OVERHEAD_TRIALS} trials:`, JSON.stringify(ours));
let theirs = null;
if (havePython) {
  theirs = python(PY_OVERHEAD, String(OVERHEAD_TRIALS));
  console.log(`python ${OVERHEAD_TRIALS} trials:`, JSON.stringify(theirs));
}
const ours2 = await oursOverhead(OVERHEAD_TRIALS);
console.log(`ours again:`, JSON.stringify(ours2));
const oursTotal = Math.min(ours.total_s, ours2.total_s);
const oursLast = Math.min(ours.last100_s, ours2.last100_s);
figures.overhead_trials = OVERHEAD_TRIALS;
figures.ours_ms_per_trial = (1000 * oursTotal) / OVERHEAD_TRIALS;
figures.ours_ms_per_trial_last100 = (1000 * oursLast) / 100;
if (theirs) {
  figures.python_ms_per_trial = (1000 * theirs.total_s) / OVERHEAD_TRIALS;
  figures.python_ms_per_trial_last100 = (1000 * theirs.last100_s) / 100;
  figures.overhead_ratio = oursTotal / theirs.total_s;
}
const excess = Object.values(figures.functions).map((f) => f.excess_ratio_ours_vs_python).filter((v) => v !== undefined);
if (excess.length) figures.median_excess_ratio_vs_python = median(excess);
const excessDecoupled = Object.values(figures.functions).map((f) => f.excess_ratio_ours_vs_python_decoupled).filter((v) => v !== undefined);
if (excessDecoupled.length) figures.median_excess_ratio_vs_python_decoupled = median(excessDecoupled);
figures.median_tpe_wins_vs_random = median(Object.values(figures.functions).map((f) => f.tpe_wins_vs_random));
console.log(JSON.stringify(figures));
