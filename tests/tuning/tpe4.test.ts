/**
 * TPE step by step against Optuna 4.9 (../shared/peers/optuna4) on fixed inputs: the Parzen
 * estimator's kernels (centres, bandwidths with and without the magic clip and endpoints, the
 * prior's weight), mixture weights and log-density; gamma and the weights ramp; and one full
 * TPE step (univariate, multivariate, group) drawing from the same distribution as Optuna's.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Random } from "../../src/util/random";
import { CategoricalDistribution, createStudy, createTrial, defaultGamma, defaultWeights, Distribution, distributionToJson, FloatDistribution, IntDistribution, ParamValue, TPESampler } from "../../src/tuning";
import { OPTUNA4_KERNELS, ParzenEstimator, ParzenEstimatorParameters } from "../../src/tuning/samplers/tpe/parzenEstimator";
import { CASES, casesToJson, ksStatistic } from "./parzenCases";
import { optuna4Available, runOptuna4 } from "./pythonOracle";

const available = optuna4Available("4.9.0");

interface Oracle {
  cases: { log_pdf: number[]; weights: number[]; kernels: ({ mu: number[]; sigma: number[] } | { weights: number[][] })[] }[];
  gamma: number[];
  weights: number[][];
}

const NS = [0, 1, 9, 10, 11, 24, 25, 26, 100, 260, 1000];

describe.skipIf(!available)("Parzen estimator equals Optuna 4.9's on fixed observations", () => {
  // A skipped describe still runs its body to collect the tests: ask the peer only when it is there.
  const oracle = JSON.parse(
    !available ? "{}" : runOptuna4(
      [join(__dirname, "python", "parzen4_oracle.py")],
      JSON.stringify({
        ns: NS,
        cases: casesToJson(),
      }),
    ),
  ) as Oracle;

  CASES.forEach((c, i) => {
    it(`case ${i} (${Object.entries(c.space).map(([k, d]) => `${k}:${d.kind}${d.kind !== "categorical" && d.log ? "/log" : ""}`).join(",")}): kernels, weights, log-density`, () => {
      const params: ParzenEstimatorParameters = { considerPrior: true, priorWeight: 1, considerMagicClip: true, considerEndpoints: false, weights: defaultWeights, multivariate: false, ...OPTUNA4_KERNELS, ...c.over };
      const pe = new ParzenEstimator(Object.fromEntries(Object.entries(c.observations).map(([k, v]) => [k, Float64Array.from(v)])), c.space, params);
      const theirs = oracle.cases[i] as Oracle["cases"][number];
      const ours = pe.describe();
      expect(ours.weights.length).toBe(theirs.weights.length);
      ours.weights.forEach((w, j) => expect(w).toBeCloseTo(theirs.weights[j] as number, 14));
      Object.keys(c.space).forEach((name, p) => {
        const k = ours.kernels[name];
        const t = theirs.kernels[p];
        if (k !== undefined && "mus" in k && t !== undefined && "mu" in t) {
          expect(k.mus.length).toBe(t.mu.length);
          k.mus.forEach((v, j) => expect(v).toBeCloseTo(t.mu[j] as number, 12));
          k.sigmas.forEach((v, j) => expect(v).toBeCloseTo(t.sigma[j] as number, 12));
        } else if (k !== undefined && "probs" in k && t !== undefined && "weights" in t) {
          expect(k.probs.length).toBe(t.weights.length);
          k.probs.forEach((row, r) => row.forEach((v, j) => expect(v).toBeCloseTo((t.weights[r] as number[])[j] as number, 14)));
        } else throw new Error(`kernel kinds differ for ${name}`);
      });
      const logPdf = pe.logPdf(Object.fromEntries(Object.entries(c.points).map(([k, v]) => [k, Float64Array.from(v)])));
      logPdf.forEach((v, j) => expect(v).toBeCloseTo(theirs.log_pdf[j] as number, 9));
    });
  });

  it("gamma and the weights ramp equal Optuna 4.9's", () => {
    expect(NS.map(defaultGamma)).toEqual(oracle.gamma);
    NS.forEach((n, i) => {
      const theirs = oracle.weights[i] as number[];
      const ours = defaultWeights(n);
      expect(ours.length).toBe(theirs.length);
      ours.forEach((w, j) => expect(w).toBeCloseTo(theirs[j] as number, 14));
    });
  });
});

interface HistoryTrial {
  params: Record<string, ParamValue>;
  distributions: Record<string, Distribution>;
  value: number;
}

/** Our next suggestion for each seed on the history, and Optuna 4.9's. */
async function oneStep(history: HistoryTrial[], ask: Record<string, Distribution>, options: { multivariate?: boolean; group?: boolean }, seeds: number): Promise<{ ours: Record<string, ParamValue>[]; theirs: Record<string, ParamValue>[] }> {
  const theirs = JSON.parse(
    runOptuna4(
      [join(__dirname, "python", "tpe4_step_oracle.py")],
      JSON.stringify({
        trials: history.map((t) => ({ params: t.params, value: t.value, distributions: Object.fromEntries(Object.entries(t.distributions).map(([k, d]) => [k, distributionToJson(d)])) })),
        seeds,
        options,
        ask: Object.fromEntries(Object.entries(ask).map(([k, d]) => [k, distributionToJson(d)])),
      }),
    ),
  ) as Record<string, ParamValue>[];
  const ours: Record<string, ParamValue>[] = [];
  for (let seed = 0; seed < seeds; seed++) {
    const study = await createStudy({ sampler: new TPESampler({ seed, kernels: "optuna4.9", ...options }) });
    for (const t of history) await study.addTrial(createTrial(t));
    const trial = await study.ask();
    const params: Record<string, ParamValue> = {};
    for (const [name, d] of Object.entries(ask)) {
      if (d.kind === "categorical") params[name] = trial.suggestCategorical(name, d.choices);
      else if (d.kind === "int") params[name] = trial.suggestInt(name, d.low, d.high, { log: d.log });
      else params[name] = trial.suggestFloat(name, d.low, d.high, { log: d.log });
    }
    ours.push(params);
  }
  return { ours, theirs };
}

const SEEDS = 150;
const CRITICAL = 1.95 * Math.sqrt(2 / SEEDS); // two-sample KS, alpha 0.001

function rosenbrockHistory(n: number): HistoryTrial[] {
  const rng = new Random(11);
  const dist = new FloatDistribution(-2, 2);
  return Array.from({ length: n }, () => {
    const x0 = rng.uniform(-2, 2);
    const x1 = rng.uniform(-2, 2);
    return { params: { x0, x1 }, distributions: { x0: dist, x1: dist }, value: 100 * (x1 - x0 * x0) ** 2 + (1 - x0) ** 2 };
  });
}

describe.skipIf(!available)("one TPE step draws from the same distribution as Optuna 4.9's (KS over 150 seeds, alpha 0.001)", () => {
  for (const options of [{}, { multivariate: true }]) {
    it(`on a fixed Rosenbrock history ${JSON.stringify(options)}`, async () => {
      const ask = { x0: new FloatDistribution(-2, 2), x1: new FloatDistribution(-2, 2) };
      const { ours, theirs } = await oneStep(rosenbrockHistory(40), ask, options, SEEDS);
      for (const name of ["x0", "x1"]) expect(ksStatistic(ours.map((p) => p[name] as number), theirs.map((p) => p[name] as number))).toBeLessThan(CRITICAL);
      // Not vacuous: the step concentrates far from uniform on [-2, 2].
      expect(ksStatistic(ours.map((p) => p["x0"] as number), Array.from({ length: SEEDS }, (_, i) => -2 + (4 * i) / SEEDS))).toBeGreaterThan(CRITICAL);
    });
  }

  it("with group on a conditional space (log int, categorical, two branches)", async () => {
    const rng = new Random(3);
    const kind = new CategoricalDistribution(["a", "b"]);
    const n = new IntDistribution(1, 256, { log: true });
    const u = new FloatDistribution(0, 1);
    const history = Array.from({ length: 40 }, (): HistoryTrial => {
      const k = rng.random() < 0.5 ? "a" : "b";
      const nv = Math.round(Math.exp(rng.uniform(0, Math.log(256))));
      const uv = rng.random();
      if (k === "a") return { params: { kind: k, n: nv }, distributions: { kind, n }, value: (Math.log2(nv) - 3) ** 2 };
      return { params: { kind: k, u: uv }, distributions: { kind, u }, value: 1 + (uv - 0.3) ** 2 };
    });
    const { ours, theirs } = await oneStep(history, { kind }, { multivariate: true, group: true }, SEEDS);
    const share = (s: Record<string, ParamValue>[]): number => s.filter((p) => p["kind"] === "a").length / s.length;
    // Two proportions, 150 each: |difference| under 3.3 standard errors (alpha ~ 0.001).
    const p = (share(ours) + share(theirs)) / 2;
    expect(Math.abs(share(ours) - share(theirs))).toBeLessThan(3.3 * Math.sqrt((2 * p * (1 - p)) / SEEDS) + 1e-9);
  });
});
