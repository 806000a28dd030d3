/**
 * TPE: the Parzen estimator against Python Optuna's, its density normalisation (closed-form
 * truth: it integrates to one), erf against Python's math.erf, reproducibility, and search
 * quality against random search on standard functions.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Random } from "../../src/util/random";
import {
  CategoricalDistribution,
  createStudy,
  distributionToJson,
  FloatDistribution,
  IntDistribution,
  RandomSampler,
  TPESampler,
  defaultWeights,
  Distribution,
  createTrial,
} from "../../src/tuning";
import { ParzenEstimator, ParzenEstimatorParameters } from "../../src/tuning/samplers/tpe/parzenEstimator";
import { erf, erfc } from "../../src/tuning/samplers/tpe/erf";
import { pythonOptunaAvailable, runPython } from "./pythonOracle";
import { CASES, casesToJson, ksStatistic } from "./parzenCases";

const python = pythonOptunaAvailable();

const params = (over: Partial<ParzenEstimatorParameters> = {}): ParzenEstimatorParameters => ({
  considerPrior: true,
  priorWeight: 1,
  considerMagicClip: true,
  considerEndpoints: false,
  weights: defaultWeights,
  multivariate: false,
  ...over,
});

for (const scaled of [false, true]) describe.skipIf(!python)(`Parzen estimator equals Python Optuna 3.1's${scaled ? " with the -log(scale) term restored" : ""}`, () => {
  const input = JSON.stringify(
    casesToJson(),
  );
  const expected = JSON.parse(runPython([join(__dirname, "python", "parzen_oracle.py"), ...(scaled ? ["--fix-scale"] : [])], input)) as number[][];
  CASES.forEach((c, i) => {
    it(`case ${i}: ${Object.entries(c.space).map(([k, d]) => `${k}:${d.kind}`).join(",")}`, () => {
      const pe = new ParzenEstimator(
        Object.fromEntries(Object.entries(c.observations).map(([k, v]) => [k, Float64Array.from(v)])),
        c.space,
        params({ ...c.over, scaledKernelDensity: scaled }),
      );
      const ours = pe.logPdf(Object.fromEntries(Object.entries(c.points).map(([k, v]) => [k, Float64Array.from(v)])));
      const theirs = expected[i] as number[];
      expect(ours.length).toBe(theirs.length);
      ours.forEach((v, j) => expect(v).toBeCloseTo(theirs[j] as number, 9));
    });
  });
});

describe("Parzen estimator is a density", () => {
  it("integrates to 1 over a float range with scaled kernels (trapezoid rule)", () => {
    const space = { x: new FloatDistribution(-2, 3) };
    const pe = new ParzenEstimator({ x: Float64Array.from([-1.9, 0.2, 0.3, 2.5]) }, space, params({ scaledKernelDensity: true }));
    const n = 20001;
    const xs = Float64Array.from({ length: n }, (_, i) => -2 + (5 * i) / (n - 1));
    const p = pe.logPdf({ x: xs }).map(Math.exp);
    let integral = 0;
    for (let i = 1; i < n; i++) integral += ((p[i] as number) + (p[i - 1] as number)) / 2 * (5 / (n - 1));
    expect(integral).toBeCloseTo(1, 4);
  });
  it("sums to 1 over an integer grid and a categorical", () => {
    const ints = new IntDistribution(0, 12, { step: 3 });
    const pe = new ParzenEstimator({ n: Float64Array.from([0, 3, 3, 12]) }, { n: ints }, params());
    const total = pe.logPdf({ n: Float64Array.from([0, 3, 6, 9, 12]) }).reduce((a, v) => a + Math.exp(v), 0);
    expect(total).toBeCloseTo(1, 10);
    const cat = new ParzenEstimator({ c: Float64Array.from([0, 2, 2]) }, { c: new CategoricalDistribution(["a", "b", "c"]) }, params());
    expect(cat.logPdf({ c: Float64Array.from([0, 1, 2]) }).reduce((a, v) => a + Math.exp(v), 0)).toBeCloseTo(1, 12);
  });
  it("samples stay inside the distribution", () => {
    const space = { x: new FloatDistribution(1e-3, 1, { log: true }), n: new IntDistribution(2, 9, { step: 7 }), q: new FloatDistribution(0, 1, { step: 0.5 }) };
    const pe = new ParzenEstimator({ x: Float64Array.from([0.01, 0.5]), n: Float64Array.from([2, 9]), q: Float64Array.from([0, 1]) }, space, params());
    const s = pe.sample(new Random(1), 500);
    expect([...(s["x"] as Float64Array)].every((v) => v >= 1e-3 && v <= 1)).toBe(true);
    expect(new Set(s["n"])).toEqual(new Set([2, 9]));
    expect([...(s["q"] as Float64Array)].every((v) => [0, 0.5, 1].includes(v))).toBe(true);
  });
});

describe.skipIf(!python)("erf", () => {
  it("matches Python's math.erf / math.erfc", () => {
    const xs = [-7, -3.2, -1.1, -0.9, -0.5, -1e-10, 0, 0.3, 0.84, 1, 1.3, 2.5, 3, 5.9, 6.5, 27];
    const theirs = JSON.parse(runPython(["-c", `import json, math; xs=${JSON.stringify(xs)}; print(json.dumps([[math.erf(x), math.erfc(x)] for x in xs]))`])) as [number, number][];
    xs.forEach((x, i) => {
      const [e, c] = theirs[i] as [number, number];
      expect(Math.abs(erf(x) - e)).toBeLessThan(1e-15);
      expect(Math.abs(erfc(x) - c)).toBeLessThanOrEqual(1e-14 * Math.max(c, 1e-300));
    });
  });
});

describe.skipIf(!python)("one TPE step draws from the same distribution as Python Optuna's", () => {
  it("on a fixed Rosenbrock history (KS test over 200 sampler seeds, alpha 0.001)", async () => {
    const rng = new Random(5);
    const history = Array.from({ length: 30 }, () => {
      const x0 = rng.uniform(-2, 2);
      const x1 = rng.uniform(-2, 2);
      return [x0, x1, 100 * (x1 - x0 * x0) ** 2 + (1 - x0) ** 2];
    });
    const seeds = 200;
    const theirs = JSON.parse(runPython([join(__dirname, "python", "tpe_step_oracle.py")], JSON.stringify({ history, seeds, low: -2, high: 2 }))) as [number, number][];
    const dist = new FloatDistribution(-2, 2);
    const ours: [number, number][] = [];
    for (let seed = 0; seed < seeds; seed++) {
      const study = await createStudy({ sampler: new TPESampler({ seed }) });
      for (const [x0, x1, value] of history) await study.addTrial(createTrial({ params: { x0, x1 }, distributions: { x0: dist, x1: dist }, value }));
      const trial = await study.ask();
      ours.push([trial.suggestFloat("x0", -2, 2), trial.suggestFloat("x1", -2, 2)]);
    }
    const critical = 1.95 * Math.sqrt(2 / seeds);
    for (const j of [0, 1]) expect(ksStatistic(ours.map((o) => o[j] as number), theirs.map((o) => o[j] as number))).toBeLessThan(critical);
    // Not vacuous: the step concentrates far from uniform on [-2, 2].
    expect(ksStatistic(ours.map((o) => o[0]), Array.from({ length: seeds }, (_, i) => -2 + (4 * i) / seeds))).toBeGreaterThan(critical);
  });
});

type Fn = (x: number[]) => number;
const FUNCTIONS: Record<string, [Fn, number, number, number]> = {
  sphere: [(x) => x.reduce((a, v) => a + v * v, 0), -5, 5, 3],
  rosenbrock: [(x) => 100 * ((x[1] as number) - (x[0] as number) ** 2) ** 2 + (1 - (x[0] as number)) ** 2, -2, 2, 2],
  rastrigin: [(x) => 10 * x.length + x.reduce((a, v) => a + v * v - 10 * Math.cos(2 * Math.PI * v), 0), -5.12, 5.12, 2],
};

async function run(sampler: TPESampler | RandomSampler, [f, lo, hi, dim]: [Fn, number, number, number], nTrials: number): Promise<number> {
  const study = await createStudy({ sampler });
  await study.optimize((t) => f(Array.from({ length: dim }, (_, i) => t.suggestFloat(`x${i}`, lo, hi))), { nTrials });
  return study.bestValue;
}

describe("TPE search quality", () => {
  it("is reproducible for a seed", async () => {
    const a = await createStudy({ sampler: new TPESampler({ seed: 7 }) });
    const b = await createStudy({ sampler: new TPESampler({ seed: 7 }) });
    const f = (t: { suggestFloat: (n: string, l: number, h: number) => number; suggestCategorical: (n: string, c: readonly string[]) => string }): number => t.suggestFloat("x", -3, 3) ** 2 + (t.suggestCategorical("c", ["u", "v"]) === "u" ? 1 : 0);
    await a.optimize(f, { nTrials: 25 });
    await b.optimize(f, { nTrials: 25 });
    expect(a.trials.map((t) => t.params)).toEqual(b.trials.map((t) => t.params));
  });

  for (const [name, spec] of Object.entries(FUNCTIONS)) {
    it(`beats random search on ${name} (median best over 8 seeds, 60 trials)`, async () => {
      const tpe: number[] = [];
      const rnd: number[] = [];
      for (let seed = 0; seed < 8; seed++) {
        tpe.push(await run(new TPESampler({ seed }), spec, 60));
        rnd.push(await run(new RandomSampler({ seed }), spec, 60));
      }
      const median = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)] as number;
      expect(median(tpe)).toBeLessThan(median(rnd));
    });
  }

  it("multivariate TPE and constant liar also beat random search on sphere", async () => {
    const spec = FUNCTIONS["sphere"] as [Fn, number, number, number];
    let wins = 0;
    for (let seed = 0; seed < 6; seed++) {
      const mv = await run(new TPESampler({ seed, multivariate: true }), spec, 50);
      const r = await run(new RandomSampler({ seed }), spec, 50);
      if (mv < r) wins++;
    }
    expect(wins).toBeGreaterThanOrEqual(5);
    const study = await createStudy({ sampler: new TPESampler({ seed: 1, constantLiar: true }) });
    await study.optimize(async (t) => {
      const v = t.suggestFloat("x", -5, 5) ** 2;
      await new Promise((r) => setTimeout(r, 1));
      return v;
    }, { nTrials: 40, nJobs: 4 });
    expect(study.bestValue).toBeLessThan(0.5);
  });
});
