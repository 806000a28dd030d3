// The sampler suite (issue 18): our TPE, CMA-ES, Gaussian-process and random samplers against
// their Optuna counterparts (TPE: Optuna 3.1 from Debian and 4.9; CMA-ES: 4.9; GP: 4.5; all from
// ../shared/peers/optuna4 except 3.1), side by side, on eight test functions; then sampler time
// per trial at 1,000 trials. Last line: one JSON object of figures.
//
// Protocol of the overhead part (time per trial): 3 floats and a 3-way categorical, a trivial
// objective, in-memory storage; --overhead-repeats runs per side (default 3), each in a fresh
// process on both sides (regime cold: ours `node bench/tpe.mjs --overhead-child`, Optuna's
// `sampler_suite.py --overhead`), timed inside the process around `optimize` only (after
// imports); the sides alternate, ours first in repeat 1; medians on both sides (ranges beside).
// Its JSON carries regime, repeats and order. The quality part measures no time.
//
//   node bench/tpe.mjs [--functions sphere,rosenbrock,...] [--samplers tpe,optuna49-tpe,...]
//        [--seeds 50] [--seed-start 0] [--gp-seeds N] [--trials 100] [--results DIR]
//        [--overhead-trials 1000] [--gp-overhead-trials 200] [--overhead-samplers tpe,cmaes,gp]
//        [--overhead-repeats 3] [--no-overhead] [--no-quality] [--no-python] [--report-only]
//
// --results DIR keeps every study's best value as a JSON line in DIR/<sampler>.jsonl and reuses
// the lines already there (same trials), so a long suite can be run in parts and resumed; each
// line records its date and load average. --report-only runs nothing: it reports what --results
// holds (seeds missing there are left out and counted in each sampler's n). Ours: tpe (default:
// Optuna 3.1.0's estimator), tpe49 (4.9's), tpe-mv and tpe49-mv (multivariate), cmaes,
// cmaes-ipop, gp, random. Optuna's: optuna31-tpe, optuna49-tpe, optuna49-tpe-decoupled,
// optuna49-tpe-mv, optuna49-cmaes, optuna49-random, optuna45-gp.
import { spawnSync } from "node:child_process";
import { appendFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { alternation, sidesInOrder, spread } from "./lib/protocol.mjs";
import { formulas, randomPoints, spaces } from "./samplers/functions.mjs";
import { median, medianDifferenceInterval, medianInterval, seededRandom } from "./samplers/stats.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const lib = createRequire(import.meta.url)("../dist/tuning/index.js");
const { values: args } = parseArgs({
  options: {
    functions: { type: "string", default: Object.keys(spaces).join(",") },
    samplers: { type: "string", default: "tpe,cmaes,gp,random,optuna31-tpe,optuna49-tpe,optuna49-cmaes,optuna45-gp" },
    seeds: { type: "string", default: "50" },
    "seed-start": { type: "string", default: "0" },
    "gp-seeds": { type: "string" },
    trials: { type: "string", default: "100" },
    results: { type: "string" },
    "overhead-trials": { type: "string", default: "1000" },
    "gp-overhead-trials": { type: "string", default: "200" },
    "overhead-samplers": { type: "string", default: "tpe,cmaes,gp" },
    "overhead-repeats": { type: "string", default: "3" },
    "overhead-child": { type: "string" },
    "no-overhead": { type: "boolean", default: false },
    "no-quality": { type: "boolean", default: false },
    "no-python": { type: "boolean", default: false },
    "report-only": { type: "boolean", default: false },
  },
});
const FUNCTIONS = args.functions.split(",");
for (const f of FUNCTIONS) if (!spaces[f]) throw new Error(`unknown function ${f}; have ${Object.keys(spaces).join(", ")}`);
const SAMPLERS = args.samplers.split(",");
const TRIALS = Number(args.trials);
const seedList = (n) => Array.from({ length: n }, (_, i) => Number(args["seed-start"]) + i);
const SEEDS = seedList(Number(args.seeds));
const GP_SEEDS = seedList(Number(args["gp-seeds"] ?? args.seeds));

const PEER = join(root, "..", "shared", "peers", "optuna4", "python.sh");
const SUITE_PY = join(root, "bench", "python", "sampler_suite.py");
const PYTHON = {
  "optuna31-tpe": { cmd: "/usr/bin/python3", sampler: "tpe", env: {} },
  "optuna49-tpe": { cmd: PEER, sampler: "tpe", env: {} },
  "optuna49-tpe-mv": { cmd: PEER, sampler: "tpe-mv", env: {} },
  "optuna49-tpe-decoupled": { cmd: PEER, sampler: "tpe-decoupled", env: {} },
  "optuna49-cmaes": { cmd: PEER, sampler: "cmaes", env: {} },
  "optuna49-random": { cmd: PEER, sampler: "random", env: {} },
  "optuna45-gp": { cmd: PEER, sampler: "gp", env: { OPTUNA_PEER_VERSION: "4.5.0" } },
};
const OURS = {
  tpe: (seed) => new lib.TPESampler({ seed }),
  tpe49: (seed) => new lib.TPESampler({ seed, kernels: "optuna4.9" }),
  "tpe-mv": (seed) => new lib.TPESampler({ seed, multivariate: true }),
  "tpe49-mv": (seed) => new lib.TPESampler({ seed, multivariate: true, kernels: "optuna4.9" }),
  cmaes: (seed) => new lib.CmaEsSampler({ seed }),
  "cmaes-ipop": (seed) => new lib.CmaEsSampler({ seed, restartStrategy: "ipop" }),
  gp: (seed) => new lib.GPSampler({ seed }),
  random: (seed) => new lib.RandomSampler({ seed }),
};
for (const s of SAMPLERS) if (!OURS[s] && !PYTHON[s]) throw new Error(`unknown sampler ${s}`);
if (args["overhead-child"]) {
  // One overhead run of ours in this fresh process, as sampler_suite.py --overhead runs Optuna's.
  console.log(JSON.stringify(await oursOverhead(args["overhead-child"], Number(args["overhead-trials"]))));
  process.exit(0);
}

function pythonRuns(cmd, argv, env, input) {
  const r = spawnSync(cmd === PEER ? "bash" : cmd, cmd === PEER ? [PEER, ...argv] : argv, { input, encoding: "utf8", maxBuffer: 1 << 28, env: { ...process.env, ...env } });
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(" ")}: ${r.stderr.slice(-3000)}`);
  return r.stdout;
}
const pythonReady = (name) => {
  if (args["no-python"]) return false;
  const p = PYTHON[name];
  return existsSync(p.cmd) && spawnSync(p.cmd === PEER ? "bash" : p.cmd, p.cmd === PEER ? [PEER, "-c", "import optuna"] : ["-c", "import optuna"], { env: { ...process.env, ...p.env } }).status === 0;
};

// The same functions on both sides: compare values at random points before anything runs.
if (!args["no-python"] && existsSync("/usr/bin/python3")) {
  const rng = seededRandom(7);
  const points = randomPoints(rng, 20);
  const theirs = JSON.parse(pythonRuns("/usr/bin/python3", [SUITE_PY, "--values"], {}, JSON.stringify(points)));
  for (const [name, pts] of Object.entries(points)) {
    pts.forEach((p, i) => {
      const ours = formulas[name](p);
      if (Math.abs(ours - theirs[name][i]) > 1e-9 * Math.max(1, Math.abs(ours))) throw new Error(`${name} differs at ${JSON.stringify(p)}: ${ours} vs ${theirs[name][i]}`);
    });
  }
  console.log("functions agree with bench/python/sampler_suite.py at 20 random points each");
}

const load = () => loadavg()[0];
const cache = new Map(); // sampler -> Map("fn/seed" -> record)
function loadCache(sampler) {
  const m = new Map();
  if (args.results) {
    const file = join(args.results, `${sampler}.jsonl`);
    if (existsSync(file)) {
      for (const line of readFileSync(file, "utf8").split("\n")) {
        if (!line.trim()) continue;
        const r = JSON.parse(line);
        if ((r.trials ?? TRIALS) === TRIALS) m.set(`${r.function}/${r.seed}`, r);
      }
    }
  }
  cache.set(sampler, m);
  return m;
}
function record(sampler, r) {
  const full = { ...r, trials: TRIALS, date: new Date().toISOString(), load1: load() };
  cache.get(sampler).set(`${r.function}/${r.seed}`, full);
  if (args.results) {
    mkdirSync(args.results, { recursive: true });
    appendFileSync(join(args.results, `${sampler}.jsonl`), JSON.stringify(full) + "\n");
  }
}

async function oursStudy(make, fn, seed) {
  const [suggest] = spaces[fn];
  const study = await lib.createStudy({ sampler: make(seed) });
  const t0 = performance.now();
  await study.optimize((t) => formulas[fn](suggest(t)), { nTrials: TRIALS });
  return { function: fn, seed, best: study.bestValue, seconds: (performance.now() - t0) / 1000 };
}

const figures = { trials: TRIALS, seeds: SEEDS.length, gp_seeds: GP_SEEDS.length, load1_start: load(), functions: {} };
const skipped = [];
if (!args["no-quality"]) {
  for (const sampler of SAMPLERS) {
    const have = loadCache(sampler);
    const seeds = sampler.endsWith("gp") ? GP_SEEDS : SEEDS;
    const t0 = performance.now();
    let ran = 0;
    if (args["report-only"]) continue;
    if (PYTHON[sampler]) {
      if (!pythonReady(sampler)) {
        skipped.push(sampler);
        console.log(`SKIPPED ${sampler}: its Python peer is not available`);
        continue;
      }
      const p = PYTHON[sampler];
      for (const fn of FUNCTIONS) {
        const missing = seeds.filter((s) => !have.has(`${fn}/${s}`));
        if (missing.length === 0) continue;
        const out = pythonRuns(p.cmd, [SUITE_PY, "--sampler", p.sampler, "--functions", fn, "--seeds", missing.join(","), "--trials", String(TRIALS)], p.env);
        // SciPy's L-BFGS-B (Optuna's GP) may print Fortran diagnostics to stdout: keep the JSON lines.
        for (const line of out.trim().split("\n")) if (line.startsWith("{")) record(sampler, JSON.parse(line));
        ran += missing.length;
      }
    } else {
      for (const fn of FUNCTIONS) {
        for (const seed of seeds) {
          if (have.has(`${fn}/${seed}`)) continue;
          record(sampler, await oursStudy(OURS[sampler], fn, seed));
          ran++;
        }
      }
    }
    console.log(`${sampler}: ${ran} studies run now in ${((performance.now() - t0) / 1000).toFixed(1)} s, load ${load().toFixed(2)}`);
  }

  const isOurs = (s) => Boolean(OURS[s]);
  let bestOursWins = 0;
  let bestOursNotWorse = 0;
  for (const fn of FUNCTIONS) {
    const optimum = spaces[fn][1];
    const f = { optimum, samplers: {} };
    const bests = {};
    for (const sampler of SAMPLERS) {
      if (skipped.includes(sampler)) continue;
      const seeds = sampler.endsWith("gp") ? GP_SEEDS : SEEDS;
      const v = seeds.map((s) => cache.get(sampler).get(`${fn}/${s}`)?.best).filter((x) => x !== undefined);
      if (v.length === 0) continue;
      bests[sampler] = v;
      const [lo, hi] = medianInterval(v);
      f.samplers[sampler] = { median: median(v), ci95: [lo, hi], median_excess: median(v) - optimum, n: v.length };
    }
    if (bests.tpe && bests["optuna49-tpe"]) {
      const [lo, hi] = medianDifferenceInterval(bests.tpe, bests["optuna49-tpe"]);
      f.tpe_minus_optuna49_tpe = { median_difference: median(bests.tpe) - median(bests["optuna49-tpe"]), ci95: [lo, hi], not_worse: lo <= 0 };
    }
    const oursBest = Object.entries(f.samplers).filter(([s]) => isOurs(s) && s !== "random");
    const theirsBest = Object.entries(f.samplers).filter(([s]) => !isOurs(s) && !s.endsWith("random"));
    if (oursBest.length && theirsBest.length) {
      const [os, o] = oursBest.reduce((a, b) => (b[1].median < a[1].median ? b : a));
      const [ts, t] = theirsBest.reduce((a, b) => (b[1].median < a[1].median ? b : a));
      f.best_ours = [os, o.median];
      f.best_optuna = [ts, t.median];
      f.best_ours_below_best_optuna = o.median < t.median;
      if (f.best_ours_below_best_optuna) bestOursWins++;
      // The same pair's medians may differ by seed noise alone: the interval of their difference
      // says whether ours is worse beyond it (as the TPE goal is judged).
      const [lo, hi] = medianDifferenceInterval(bests[os], bests[ts]);
      f.best_ours_minus_best_optuna = { median_difference: o.median - t.median, ci95: [lo, hi], not_worse: lo <= 0 };
      if (lo <= 0) bestOursNotWorse++;
    }
    figures.functions[fn] = f;
    console.log(fn, Object.entries(f.samplers).map(([s, r]) => `${s} ${r.median.toPrecision(4)} [${r.ci95.map((x) => x.toPrecision(3)).join(", ")}]`).join(" | "));
  }
  const withDiff = Object.values(figures.functions).filter((f) => f.tpe_minus_optuna49_tpe);
  if (withDiff.length) figures.tpe_not_worse_than_optuna49 = `${withDiff.filter((f) => f.tpe_minus_optuna49_tpe.not_worse).length}/${withDiff.length}`;
  const compared = Object.values(figures.functions).filter((f) => f.best_ours);
  if (compared.length) figures.best_ours_below_best_optuna = `${bestOursWins}/${compared.length}`;
  if (compared.length) figures.best_ours_not_worse_than_best_optuna = `${bestOursNotWorse}/${compared.length}`;
}

// Sampler time per trial: 3 floats and a categorical, trivial objective, in-memory storage.
async function oursOverhead(sampler, n) {
  const stamps = [];
  const study = await lib.createStudy({ sampler: OURS[sampler](0) });
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
function oursOverheadInChild(sampler, n) {
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), "--overhead-child", sampler, "--overhead-trials", String(n)], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`ours overhead ${sampler}: ${r.stderr.slice(-3000)}`);
  return JSON.parse(r.stdout.trim().split("\n").pop());
}
if (!args["no-overhead"] && !args["report-only"]) {
  const repeats = Number(args["overhead-repeats"]);
  figures.overhead = { regime: "cold", repeats, order: alternation(repeats, "ours", "optuna"), statistic: "median of the runs on both sides" };
  for (const sampler of args["overhead-samplers"].split(",")) {
    const n = Number(sampler === "gp" ? args["gp-overhead-trials"] : args["overhead-trials"]);
    const peer = sampler === "gp" ? "optuna45-gp" : `optuna49-${sampler}`;
    const row = { trials: n, load1: [load()] };
    const withPeer = pythonReady(peer);
    const runs = { ours: [], optuna: [] };
    const run = {
      ours: () => oursOverheadInChild(sampler, n),
      optuna: () => {
        const p = PYTHON[peer];
        return JSON.parse(pythonRuns(p.cmd, [SUITE_PY, "--sampler", p.sampler, "--overhead", String(n)], p.env).trim().split("\n").filter((l) => l.startsWith("{")).pop());
      },
    };
    for (let rep = 0; rep < repeats; rep++) {
      for (const side of sidesInOrder(rep, "ours", "optuna")) if (side === "ours" || withPeer) runs[side].push(run[side]());
    }
    const perTrial = (rs, key, count) => spread(rs.map((r) => (1000 * r[key]) / count));
    const ours = perTrial(runs.ours, "total_s", n);
    row.ours_ms_per_trial = ours.median;
    row.ours_ms_per_trial_range = ours;
    row.ours_ms_per_trial_last100 = perTrial(runs.ours, "last100_s", 100).median;
    if (withPeer) {
      const theirs = perTrial(runs.optuna, "total_s", n);
      row.optuna_ms_per_trial = theirs.median;
      row.optuna_ms_per_trial_range = theirs;
      row.optuna_ms_per_trial_last100 = perTrial(runs.optuna, "last100_s", 100).median;
      row.ratio = +(row.ours_ms_per_trial / row.optuna_ms_per_trial).toFixed(3);
    }
    row.load1.push(load());
    figures.overhead[sampler] = row;
    console.log(`overhead ${sampler} vs ${peer}:`, JSON.stringify(row));
  }
}
// The protocol fields every bench's last line carries: the overhead part's (the quality part times nothing).
const { regime, repeats, order } = figures.overhead ?? { regime: "none (quality only, no timing)", repeats: 0, order: "none" };
Object.assign(figures, { regime, repeats, order });
figures.load1_end = load();
if (skipped.length) figures.skipped = skipped;
console.log(JSON.stringify(figures));
