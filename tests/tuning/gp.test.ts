/**
 * The Gaussian-process sampler against closed forms: the posterior of one observation by hand,
 * the posterior and marginal likelihood of many (categorical dimensions included) against an
 * independent NumPy/SciPy implementation, analytic gradients against finite differences, the
 * MAP fit against SciPy's L-BFGS-B on the same loss, log EI against scipy.special far into its
 * tail; then the acquisition optimiser and the sampler's behaviour (quality, mixed spaces,
 * reproducibility).
 */
import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { Random } from "../../src/util/random";
import { createStudy, GPSampler, RandomSampler } from "../../src/tuning";
import { LogEI, standardLogEI } from "../../src/tuning/samplers/gp/acquisition";
import { fitKernelParams, logPrior } from "../../src/tuning/samplers/gp/fit";
import { cholesky, inverseFromCholesky } from "../../src/tuning/samplers/gp/linalg";
import { minimizeLbfgs } from "../../src/tuning/samplers/gp/lbfgs";
import { optimizeAcqfMixed } from "../../src/tuning/samplers/gp/optimizeAcqf";
import { GPRegressor, matern52 } from "../../src/tuning/samplers/gp/regressor";
import { GPSearchSpace } from "../../src/tuning/samplers/gp/searchSpace";
import { CategoricalDistribution, FloatDistribution, IntDistribution } from "../../src/tuning";
import { pythonOptunaAvailable, runPython } from "./pythonOracle";

const python = pythonOptunaAvailable();

describe("GP regression, closed forms", () => {
  it("one observation: mean k(x,x0) y0 / (s + noise), variance s - k^2 / (s + noise)", () => {
    const params = { inverseSquaredLengthscales: Float64Array.from([4, 0.25]), kernelScale: 1.7, noiseVar: 0.01 };
    const gp = new GPRegressor(Float64Array.from([0.2, 0.6]), Float64Array.from([1.3]), [false, false], params);
    for (const x of [[0.2, 0.6], [0.5, 0.1], [1, 1]]) {
      const r2 = 4 * (x[0]! - 0.2) ** 2 + 0.25 * (x[1]! - 0.6) ** 2;
      const k = 1.7 * (1 + Math.sqrt(5 * r2) + (5 / 3) * r2) * Math.exp(-Math.sqrt(5 * r2));
      const p = gp.posterior(x);
      expect(p.mean).toBeCloseTo((k * 1.3) / 1.71, 13);
      expect(p.variance).toBeCloseTo(1.7 - (k * k) / 1.71, 13);
    }
    expect(matern52(0)).toBe(1);
  });

  it("marginal likelihood of one and two observations: the bivariate normal density written out", () => {
    const s = 1.4;
    const v = 0.05;
    const one = new GPRegressor(Float64Array.from([0.2]), Float64Array.from([0.9]), [false], { inverseSquaredLengthscales: Float64Array.from([3]), kernelScale: s, noiseVar: v });
    const m1 = one.marginalLogLikelihoodWithGradient();
    expect(m1.value).toBeCloseTo(-0.5 * Math.log(2 * Math.PI * (s + v)) - 0.81 / (2 * (s + v)), 13);
    expect(m1.gradient[1]).toBeCloseTo(s * (-0.5 / (s + v) + 0.81 / (2 * (s + v) ** 2)), 13); // d / d log s
    expect(m1.gradient[2]).toBeCloseTo(-0.5 / (s + v) + 0.81 / (2 * (s + v) ** 2), 13); // d / d noise
    const X = Float64Array.from([0.1, 0.7, 0.5, 0.2]);
    const y = [1.1, -0.4];
    const two = new GPRegressor(X, Float64Array.from(y), [false, false], { inverseSquaredLengthscales: Float64Array.from([2, 5]), kernelScale: s, noiseVar: v });
    const r2 = 2 * 0.4 ** 2 + 5 * 0.5 ** 2;
    const k12 = s * (1 + Math.sqrt(5 * r2) + (5 / 3) * r2) * Math.exp(-Math.sqrt(5 * r2));
    const det = (s + v) ** 2 - k12 ** 2;
    const quad = ((s + v) * (y[0]! ** 2 + y[1]! ** 2) - 2 * k12 * y[0]! * y[1]!) / det;
    expect(two.marginalLogLikelihood()).toBeCloseTo(-0.5 * Math.log(det) - 0.5 * quad - Math.log(2 * Math.PI), 12);
  });

  it("Cholesky and the inverse from it reproduce A and A^-1 A = I", () => {
    const rng = new Random(3);
    const n = 7;
    const B = Float64Array.from({ length: n * n }, () => rng.normal());
    const A = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) A[i * n + j] += B[i * n + k]! * B[j * n + k]! + (i === j && k === 0 ? 0.5 : 0);
    const L = cholesky(A, n);
    const inv = inverseFromCholesky(L, n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let llt = 0;
        let prod = 0;
        for (let k = 0; k < n; k++) {
          llt += L[i * n + k]! * L[j * n + k]!;
          prod += inv[i * n + k]! * A[k * n + j]!;
        }
        expect(llt).toBeCloseTo(A[i * n + j]!, 10);
        expect(prod).toBeCloseTo(i === j ? 1 : 0, 9);
      }
    }
    expect(() => cholesky(Float64Array.from([1, 2, 2, 1]), 2)).toThrow(/positive definite/);
  });

  it("marginal likelihood and posterior gradients equal central finite differences", () => {
    const rng = new Random(8);
    const n = 12;
    const d = 3;
    const X = Float64Array.from({ length: n * d }, (_, i) => (i % d === 2 ? rng.int(3) : rng.random()));
    const y = Float64Array.from({ length: n }, () => rng.normal());
    const cat = [false, false, true];
    const raw = [0.3, -0.5, 0.1, 0.2, -2];
    const at = (r: number[]): GPRegressor => new GPRegressor(X, y, cat, { inverseSquaredLengthscales: Float64Array.from(r.slice(0, d), Math.exp), kernelScale: Math.exp(r[d]!), noiseVar: Math.exp(r[d + 1]!) });
    const g = at(raw).marginalLogLikelihoodWithGradient().gradient;
    const h = 1e-6;
    for (let k = 0; k < d + 2; k++) {
      const up = [...raw];
      const down = [...raw];
      up[k]! += h;
      down[k]! -= h;
      const fd = (at(up).marginalLogLikelihood() - at(down).marginalLogLikelihood()) / (2 * h);
      const analytic = k === d + 1 ? g[k]! * Math.exp(raw[k]!) : g[k]!; // noise gradient is in the variance itself
      expect(analytic).toBeCloseTo(fd, 5);
    }
    const gp = at(raw);
    const acqf = new LogEI(gp, 0.4);
    const x = [0.3, 0.8, 1];
    const { gradient } = acqf.valueAndGradient(x);
    for (const c of [0, 1]) {
      const up = [...x];
      const down = [...x];
      up[c]! += h;
      down[c]! -= h;
      expect(gradient[c]).toBeCloseTo((acqf.value(up) - acqf.value(down)) / (2 * h), 5);
    }
    expect(gradient[2]).toBe(0);
  });

  it("log-prior gradient equals finite differences", () => {
    const f = (r: number[]): number => logPrior({ inverseSquaredLengthscales: Float64Array.from([Math.exp(r[0]!)]), kernelScale: Math.exp(r[1]!), noiseVar: Math.exp(r[2]!) + 1e-6 }, Math.exp(r[2]!)).value;
    const r = [0.4, -0.2, -3];
    const g = logPrior({ inverseSquaredLengthscales: Float64Array.from([Math.exp(0.4)]), kernelScale: Math.exp(-0.2), noiseVar: Math.exp(-3) + 1e-6 }, Math.exp(-3)).gradient;
    for (let k = 0; k < 3; k++) {
      const up = [...r];
      const down = [...r];
      up[k]! += 1e-6;
      down[k]! -= 1e-6;
      expect(g[k]).toBeCloseTo((f(up) - f(down)) / 2e-6, 6);
    }
  });

  it("L-BFGS finds the minimum of Rosenbrock, and respects bounds", () => {
    const rosen = (x: Float64Array): { value: number; gradient: Float64Array } => ({
      value: 100 * (x[1]! - x[0]! ** 2) ** 2 + (1 - x[0]!) ** 2,
      gradient: Float64Array.from([-400 * x[0]! * (x[1]! - x[0]! ** 2) - 2 * (1 - x[0]!), 200 * (x[1]! - x[0]! ** 2)]),
    });
    const free = minimizeLbfgs(rosen, [-1.2, 1]);
    expect(free.converged).toBe(true);
    expect(free.x[0]).toBeCloseTo(1, 4);
    const boxed = minimizeLbfgs(rosen, [-1.2, 1], { lower: [-2, -2], upper: [0.5, 2] });
    expect(boxed.x[0]).toBe(0.5); // constrained optimum on the face x0 = 0.5, x1 = 0.25
    expect(boxed.x[1]).toBeCloseTo(0.25, 4);
  });
});

describe.skipIf(!python)("GP regression against NumPy/SciPy written from the formulas", () => {
  const rng = new Random(21);
  const n = 25;
  const d = 3;
  const X = Array.from({ length: n }, () => [rng.random(), rng.random(), rng.int(4)]);
  const y = X.map(([a, b, c]) => Math.sin(6 * a!) + (b! - 0.5) ** 2 + 0.3 * c! + 0.05 * rng.normal());
  const mean = y.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(y.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
  const ys = y.map((v) => (v - mean) / sd);
  const params = { lam: [3, 0.7, 1.5], scale: 1.3, noise: 0.02 };
  const points = Array.from({ length: 10 }, () => [rng.random(), rng.random(), rng.int(4)]);
  const z = [-60, -30, -25.5, -24.5, -10, -3, -0.5, 0, 0.7, 4, 12];
  const oracle = JSON.parse(runPython([join(__dirname, "python", "gp_oracle.py")], JSON.stringify({ X, y: ys, categorical: [false, false, true], params, points, z, fit: true }))) as { mean: number[]; var: number[]; mll: number; fit_loss: number; logei: number[] };
  const cat = [false, false, true];
  const gp = new GPRegressor(Float64Array.from(X.flat()), Float64Array.from(ys), cat, { inverseSquaredLengthscales: Float64Array.from(params.lam), kernelScale: params.scale, noiseVar: params.noise });

  it("posterior mean and variance at 10 points, marginal log-likelihood", () => {
    points.forEach((p, i) => {
      const post = gp.posterior(p);
      expect(post.mean).toBeCloseTo(oracle.mean[i]!, 10);
      expect(post.variance).toBeCloseTo(oracle.var[i]!, 10);
    });
    expect(gp.marginalLogLikelihood()).toBeCloseTo(oracle.mll, 9);
  });

  it("the MAP fit reaches SciPy L-BFGS-B's optimum of the same loss (or better)", () => {
    const fitted = fitKernelParams(Float64Array.from(X.flat()), Float64Array.from(ys), cat);
    const p = fitted.params;
    const noiseRaw = p.noiseVar - 1e-6;
    const ours = -(fitted.marginalLogLikelihood() + logPrior(p, noiseRaw).value);
    expect(ours).toBeLessThan(oracle.fit_loss + 0.02);
  });

  it("log EI's standard part equals scipy.special's form from z = -60 to 12", () => {
    z.forEach((v, i) => expect(standardLogEI(v).value).toBeCloseTo(oracle.logei[i]!, 8));
  });
});

describe("GP sampler", () => {
  it("the acquisition optimiser does at least as well as its best random candidate and stays in bounds", () => {
    const space = new GPSearchSpace({ x: new FloatDistribution(0, 1), n: new IntDistribution(1, 40), c: new CategoricalDistribution(["a", "b", "c"]) });
    const rng = new Random(4);
    const X = space.sample(15, rng);
    const y = Float64Array.from({ length: 15 }, (_, i) => -((X[i * 3]! - 0.3) ** 2) - (X[i * 3 + 1]! - 0.5) ** 2 - (X[i * 3 + 2] === 1 ? 0 : 0.2));
    const gpr = fitKernelParams(X, y, space.isCategorical);
    const acqf = new LogEI(gpr, Math.max(...y));
    const best = optimizeAcqfMixed(acqf, space, new Random(1));
    const candidates = space.sample(2048, new Random(1));
    let bestRandom = -Infinity;
    for (let s = 0; s < 2048; s++) bestRandom = Math.max(bestRandom, acqf.value(candidates.subarray(s * 3, s * 3 + 3)));
    expect(best.value).toBeGreaterThanOrEqual(bestRandom - 1e-9);
    const params = space.unnormalize(best.x);
    expect(Number.isInteger(params["n"])).toBe(true);
    expect(["a", "b", "c"]).toContain(params["c"]);
  });

  it("beats random search on Branin (median of 4 seeds, 30 trials) and is reproducible", async () => {
    const branin = (t: { suggestFloat: (n: string, l: number, h: number) => number }): number => {
      const x0 = t.suggestFloat("x0", -5, 10);
      const x1 = t.suggestFloat("x1", 0, 15);
      return (x1 - (5.1 / (4 * Math.PI ** 2)) * x0 ** 2 + (5 / Math.PI) * x0 - 6) ** 2 + 10 * (1 - 1 / (8 * Math.PI)) * Math.cos(x0) + 10;
    };
    const gp: number[] = [];
    const rnd: number[] = [];
    for (let seed = 0; seed < 4; seed++) {
      const a = await createStudy({ sampler: new GPSampler({ seed, nPreliminarySamples: 512 }) });
      await a.optimize(branin, { nTrials: 30 });
      gp.push(a.bestValue);
      const b = await createStudy({ sampler: new RandomSampler({ seed }) });
      await b.optimize(branin, { nTrials: 30 });
      rnd.push(b.bestValue);
    }
    const median = (v: number[]): number => [...v].sort((p, q) => p - q)[2]!;
    expect(median(gp)).toBeLessThan(0.45); // optimum 0.3979
    expect(median(gp)).toBeLessThan(median(rnd));
    const again = await createStudy({ sampler: new GPSampler({ seed: 0, nPreliminarySamples: 512 }) });
    await again.optimize(branin, { nTrials: 30 });
    expect(again.bestValue).toBe(gp[0]);
  });

  it("handles log floats, log integers and categoricals jointly (mixed space, 35 trials)", async () => {
    const study = await createStudy({ sampler: new GPSampler({ seed: 2, nPreliminarySamples: 512 }) });
    await study.optimize((t) => {
      const lr = t.suggestFloat("lr", 1e-5, 1, { log: true });
      const depth = t.suggestInt("depth", 1, 1024, { log: true });
      const kind = t.suggestCategorical("kind", ["a", "b", "c"]);
      expect(Number.isInteger(depth) && depth >= 1 && depth <= 1024).toBe(true);
      return (Math.log10(lr) + 3) ** 2 + (Math.log2(depth) - 5) ** 2 / 4 + (kind === "b" ? 0 : 1);
    }, { nTrials: 35 });
    expect(study.bestValue).toBeLessThan(0.3);
    expect(study.bestTrial.params["kind"]).toBe("b");
  });
});
