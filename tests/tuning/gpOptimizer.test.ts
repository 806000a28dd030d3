/**
 * The GP's acquisition optimiser, piece by piece against independent truth: Sobol' points against
 * their closed form and SciPy's `qmc.Sobol(scramble=False)` (scrambled ones against the
 * invariants a scramble keeps: stratification, the (0, m, 2)-net of the first two dimensions,
 * uniformity), the line search against MINPACK-2's `dcsrch` step for step, L-BFGS against
 * SciPy's `fmin_l_bfgs_b` and box-constrained quadratics solved by enumerating active sets,
 * Brent's method against SciPy's `minimize_scalar`, and the whole maximiser against brute force
 * on fixed posteriors.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CategoricalDistribution, FloatDistribution, IntDistribution } from "../../src/tuning";
import { Random } from "../../src/util/random";
import { LogEI } from "../../src/tuning/samplers/gp/acquisition";
import { brentMinimize } from "../../src/tuning/samplers/gp/brent";
import { minimizeLbfgs, ValueAndGradient } from "../../src/tuning/samplers/gp/lbfgs";
import { LineFunction, moreThuente } from "../../src/tuning/samplers/gp/lineSearch";
import { optimizeAcqfMixed } from "../../src/tuning/samplers/gp/optimizeAcqf";
import { GPRegressor } from "../../src/tuning/samplers/gp/regressor";
import { GPSearchSpace } from "../../src/tuning/samplers/gp/searchSpace";
import { Sobol } from "../../src/tuning/samplers/gp/sobol";
import { pythonModulesAvailable, runPython } from "./pythonOracle";

const scipy = pythonModulesAvailable(["scipy.stats.qmc", "scipy.optimize.minpack2"], "SciPy cross-checks of the GP optimiser");

/** Moré and Thuente's (1994) line-search test functions (the oracle defines the same). */
const lineFunctions: Record<string, LineFunction> = {
  mt1: (a) => ({ value: -a / (a * a + 2), derivative: (a * a - 2) / (a * a + 2) ** 2 }),
  mt2: (a) => ({ value: (a + 0.004) ** 5 - 2 * (a + 0.004) ** 4, derivative: 5 * (a + 0.004) ** 4 - 8 * (a + 0.004) ** 3 }),
  mt4: (a) => {
    const b = 0.001;
    const g = Math.sqrt(1 + b * b) - b;
    const r1 = Math.sqrt((1 - a) ** 2 + b * b);
    const r2 = Math.sqrt(a * a + b * b);
    return { value: g * r1 + g * r2, derivative: (-g * (1 - a)) / r1 + (g * a) / r2 };
  },
};

const rosen: ValueAndGradient = (x) => {
  let value = 0;
  const gradient = new Float64Array(x.length);
  for (let i = 0; i + 1 < x.length; i++) {
    const a = x[i]!;
    const b = x[i + 1]!;
    value += 100 * (b - a * a) ** 2 + (1 - a) ** 2;
    gradient[i]! += -400 * a * (b - a * a) - 2 * (1 - a);
    gradient[i + 1]! += 200 * (b - a * a);
  }
  return { value, gradient };
};

/** 1/2 (x - c)' A (x - c) with A = tridiag(-1, 4 + i, -1), c = 1..5 (the oracle's quad5). */
const quad5: ValueAndGradient = (x) => {
  const r = x.map((v, i) => v - (i + 1));
  const Ar = r.map((v, i) => (4 + i) * v - (i > 0 ? r[i - 1]! : 0) - (i < 4 ? r[i + 1]! : 0));
  return { value: 0.5 * r.reduce((s, v, i) => s + v * Ar[i]!, 0), gradient: Ar };
};

const scalarFunctions: Record<string, (x: number) => number> = {
  quartic: (x) => (x - 0.3) ** 4 + 0.1 * (x - 0.3) ** 2,
  cosine: (x) => -Math.cos(3 * x) + 0.2 * x,
  kinked: (x) => {
    if (x < 0 || x > 1) return Infinity;
    const v = (t: number): number => Math.sin(7 * t) + (t - 0.6) ** 2 * 3;
    const i = Math.min(Math.floor(x * 20), 19);
    const w = x * 20 - i;
    return (1 - w) * v(i / 20) + w * v((i + 1) / 20);
  },
};

const dcsrchCases = [
  { fn: "mt1", stp0: 1e-3, ftol: 1e-3, gtol: 0.1, xtol: 0.1, stpmax: 1e10 },
  { fn: "mt1", stp0: 10, ftol: 1e-3, gtol: 0.1, xtol: 0.1, stpmax: 1e10 },
  { fn: "mt2", stp0: 1e-3, ftol: 0.1, gtol: 0.1, xtol: 0.1, stpmax: 1e10 },
  { fn: "mt2", stp0: 10, ftol: 0.1, gtol: 0.1, xtol: 0.1, stpmax: 1e10 },
  { fn: "mt4", stp0: 1e-3, ftol: 1e-3, gtol: 1e-3, xtol: 0.1, stpmax: 1e10 },
  { fn: "mt4", stp0: 1e3, ftol: 1e-3, gtol: 1e-3, xtol: 0.1, stpmax: 1e10 },
  { fn: "mt1", stp0: 0.4, ftol: 1e-3, gtol: 0.9, xtol: 0.1, stpmax: 0.5 },
];
const lbfgsCases = [
  { fn: "rosen2", x0: [-1.2, 1], bounds: null, pgtol: 1e-5 },
  { fn: "rosen5", x0: [-1, 0.5, -0.3, 1.2, 0.8], bounds: null, pgtol: 1e-5 },
  { fn: "quad5", x0: [0, 0, 0, 0, 0], bounds: null, pgtol: 1e-8 },
  { fn: "quad5", x0: [0, 0, 0, 0, 0], bounds: [[0, 2], [0, 1.5], [-1, 10], [0, 3], [4.5, 9]], pgtol: 1e-8 },
  { fn: "rosen2", x0: [-1.2, 1], bounds: [[-2, 0.5], [-2, 2]], pgtol: 1e-8 },
  { fn: "rosen5", x0: [-1, 0.5, -0.3, 1.2, 0.8], bounds: [[-2, 0.5], [-2, 0.5], [-2, 0.5], [-2, 2], [-2, 2]], pgtol: 1e-6 },
  { fn: "quad5", x0: [3, 1, 2, 6, 4], bounds: [[2, 3], [-1, 1], [0, 2], [5, 6], [0, 4]], pgtol: 1e-8 },
  { fn: "quad5", x0: [0, 0, 0, 0, 0], bounds: [[-1, 0.5], [-1, 0.5], [-1, 0.5], [-1, 0.5], [-1, 0.5]], pgtol: 1e-8 },
];
const brentCases = [
  { fn: "quartic", bracket: [-1, 0.9, 2], tol: 1e-8 },
  { fn: "cosine", bracket: [-1, 0.2, 1], tol: 1e-6 },
  { fn: "kinked", bracket: [-1e-12, 0.5, 1 + 1e-12], tol: 0.0125 },
  { fn: "kinked", bracket: [-1e-12, 0.05, 1 + 1e-12], tol: 0.0125 },
];
const FUNCTIONS: Record<string, ValueAndGradient> = { rosen2: rosen, rosen5: rosen, quad5 };

interface Oracle {
  sobol: number[][][];
  dcsrch: { steps: number[]; stp: number; task: string }[];
  lbfgsb: { x: number[]; f: number; nit: number; nfev: number; warnflag: number }[];
  brent: { x: number; fun: number; nfev: number }[];
}
const sobolCases = [
  { d: 1, n: 64 },
  { d: 5, n: 1024 },
  { d: 40, n: 256 },
  { d: 256, n: 64 },
];
const oracle: Oracle | null = scipy
  ? (JSON.parse(runPython([join(__dirname, "python", "gp_optim_oracle.py")], JSON.stringify({ sobol: sobolCases, dcsrch: dcsrchCases, lbfgsb: lbfgsCases, brent: brentCases }))) as Oracle)
  : null;

function boxesHoldOnePoint(points: Float64Array, dim: number, i: number, j: number, m: number): boolean {
  const n = 2 ** m;
  for (let a = 0; a <= m; a++) {
    const seen = new Uint8Array(n);
    for (let k = 0; k < n; k++) {
      const box = Math.floor(points[k * dim + i]! * 2 ** a) * 2 ** (m - a) + Math.floor(points[k * dim + j]! * 2 ** (m - a));
      if (seen[box]) return false;
      seen[box] = 1;
    }
  }
  return true;
}

describe("Sobol' points", () => {
  it("the first 8 points of the first two dimensions are the known sequence", () => {
    const p = new Sobol(2, null).random(8);
    expect(Array.from(p)).toEqual([0, 0, 0.5, 0.5, 0.75, 0.25, 0.25, 0.75, 0.375, 0.375, 0.875, 0.875, 0.625, 0.125, 0.125, 0.625]);
  });

  it.skipIf(!scipy)("unscrambled points equal SciPy's qmc.Sobol(scramble=False) exactly (d = 1, 5, 40, 256)", () => {
    sobolCases.forEach(({ d, n }, c) => {
      const ours = new Sobol(d, null).random(n);
      expect(Array.from(ours)).toEqual(oracle!.sobol[c]!.flat());
    });
  });

  it("scrambled: every coordinate stratifies, dimensions 0-1 stay a (0, m, 2)-net, and scrambles differ", () => {
    const dim = 6;
    const m = 8;
    const a = new Sobol(dim, new Random(1)).random(2 ** m);
    const b = new Sobol(dim, new Random(2)).random(2 ** m);
    for (let d = 0; d < dim; d++) {
      const cells = new Set<number>();
      for (let k = 0; k < 2 ** m; k++) cells.add(Math.floor(a[k * dim + d]! * 2 ** m));
      expect(cells.size).toBe(2 ** m);
    }
    expect(boxesHoldOnePoint(a, dim, 0, 1, m)).toBe(true);
    expect(boxesHoldOnePoint(new Sobol(dim, null).random(2 ** m), dim, 0, 1, m)).toBe(true);
    expect(a[0]).not.toBe(0); // the digital shift moved the origin
    expect(Array.from(a)).not.toEqual(Array.from(b));
    expect(Array.from(new Sobol(dim, new Random(1)).random(2 ** m))).toEqual(Array.from(a));
  });

  it("scrambled points are uniform: a fixed point index over 2,000 scrambles passes Kolmogorov-Smirnov", () => {
    for (const index of [0, 5, 100]) {
      const u = Array.from({ length: 2000 }, (_, s) => new Sobol(3, new Random(1000 + s)).random(index + 1)[index * 3 + 2]!).sort((p, q) => p - q);
      let D = 0;
      u.forEach((v, k) => (D = Math.max(D, Math.abs(v - k / u.length), Math.abs(v - (k + 1) / u.length))));
      expect(D).toBeLessThan(1.63 / Math.sqrt(u.length)); // 1 % level
    }
  });
});

describe("line search and L-BFGS", () => {
  it.skipIf(!scipy)("the line search tries the same steps as MINPACK-2's dcsrch and stops the same way", () => {
    dcsrchCases.forEach((c, k) => {
      const phi = lineFunctions[c.fn]!;
      const steps: number[] = [];
      const start = phi(0);
      const r = moreThuente((s) => (steps.push(s), phi(s)), start.value, start.derivative, c.stp0, { ...c, maxEvaluations: 100 });
      const truth = oracle!.dcsrch[k]!;
      expect(steps.length).toBe(truth.steps.length);
      steps.forEach((s, i) => expect(s).toBeCloseTo(truth.steps[i]!, 12));
      expect(r.stp).toBeCloseTo(truth.stp, 12);
      expect(r.status).toBe(truth.task.startsWith("CONV") ? "convergence" : "warning");
    });
  });

  it("the returned step satisfies the strong Wolfe conditions (or sits at stpmax with a decrease)", () => {
    for (const [name, phi] of Object.entries(lineFunctions)) {
      for (const stp0 of [1e-3, 1e-1, 10, 1e3]) {
        const s = phi(0);
        const r = moreThuente(phi, s.value, s.derivative, stp0, { ftol: 1e-3, gtol: 0.1, maxEvaluations: 100 });
        expect(r.value, `${name} from ${stp0}`).toBeLessThanOrEqual(s.value + 1e-3 * r.stp * s.derivative);
        if (r.status === "convergence") expect(Math.abs(r.derivative)).toBeLessThanOrEqual(0.1 * Math.abs(s.derivative));
      }
    }
  });

  it.skipIf(!scipy)("takes as many iterations and evaluations as SciPy's fmin_l_bfgs_b to the same optimum, in boxes too", () => {
    lbfgsCases.forEach((c, k) => {
      const truth = oracle!.lbfgsb[k]!;
      let calls = 0;
      const counted: ValueAndGradient = (x) => (calls++, FUNCTIONS[c.fn]!(x));
      const r = minimizeLbfgs(counted, c.x0, { pgtol: c.pgtol, ...(c.bounds ? { lower: c.bounds.map((b) => b[0]!), upper: c.bounds.map((b) => b[1]!) } : {}) });
      expect(r.converged).toBe(truth.warnflag === 0);
      r.x.forEach((v, i) => expect(v).toBeCloseTo(truth.x[i]!, 5));
      expect(r.value).toBeLessThanOrEqual(truth.f + 1e-9);
      expect(r.iterations, `${c.fn} case ${k}`).toBe(truth.nit);
      expect(calls, `${c.fn} case ${k}`).toBe(truth.nfev);
    });
  });

  it("box-constrained quadratics: the minimum equals the KKT point found by enumerating active sets", () => {
    const rng = new Random(11);
    for (let trial = 0; trial < 20; trial++) {
      const n = 3;
      const B = Array.from({ length: n * n }, () => rng.normal());
      const A = Array.from({ length: n * n }, (_, ij) => {
        const i = Math.floor(ij / n);
        const j = ij % n;
        let s = i === j ? 0.3 : 0;
        for (let k = 0; k < n; k++) s += B[i * n + k]! * B[j * n + k]!;
        return s;
      });
      const c = Array.from({ length: n }, () => rng.uniform(-3, 3));
      const lo = [-1, -1, -1];
      const hi = [1, 1, 1];
      const f: ValueAndGradient = (x) => {
        const g = Float64Array.from({ length: n }, (_, i) => A.slice(i * n, i * n + n).reduce((s, a, j) => s + a * (x[j]! - c[j]!), 0));
        return { value: 0.5 * g.reduce((s, gi, i) => s + gi * (x[i]! - c[i]!), 0), gradient: g };
      };
      const truth = kktByEnumeration(A, c, lo, hi);
      const r = minimizeLbfgs(f, [0, 0, 0], { lower: lo, upper: hi, pgtol: 1e-10, ftol: 0 });
      r.x.forEach((v, i) => expect(v, `trial ${trial}`).toBeCloseTo(truth[i]!, 6));
    }
  });
});

/** The box-constrained minimiser of 1/2 (x-c)'A(x-c): the active set whose solution is feasible and whose multipliers have the right signs. */
function kktByEnumeration(A: number[], c: number[], lo: number[], hi: number[]): number[] {
  const n = c.length;
  for (let code = 0; code < 3 ** n; code++) {
    const state = Array.from({ length: n }, (_, i) => Math.floor(code / 3 ** i) % 3); // 0 free, 1 at lower, 2 at upper
    const x = state.map((s, i) => (s === 1 ? lo[i]! : s === 2 ? hi[i]! : 0));
    const free = state.flatMap((s, i) => (s === 0 ? [i] : []));
    // Solve A_FF x_F = A_F. c - A_FB x_B by Gaussian elimination.
    const M = free.map((i) => [...free.map((j) => A[i * n + j]!), A.slice(i * n, i * n + n).reduce((s, a, j) => s + a * c[j]!, 0) - state.reduce((s, st, j) => (st === 0 ? s : s + A[i * n + j]! * x[j]!), 0)]);
    for (let p = 0; p < free.length; p++) {
      for (let r = p + 1; r < free.length; r++) {
        const f = M[r]![p]! / M[p]![p]!;
        for (let q = p; q <= free.length; q++) M[r]![q]! -= f * M[p]![q]!;
      }
    }
    for (let p = free.length - 1; p >= 0; p--) {
      let s = M[p]![free.length]!;
      for (let q = p + 1; q < free.length; q++) s -= M[p]![q]! * x[free[q]!]!;
      x[free[p]!] = s / M[p]![p]!;
    }
    const g = Array.from({ length: n }, (_, i) => A.slice(i * n, i * n + n).reduce((s, a, j) => s + a * (x[j]! - c[j]!), 0));
    const ok = state.every((s, i) => (s === 0 ? x[i]! >= lo[i]! - 1e-12 && x[i]! <= hi[i]! + 1e-12 : s === 1 ? g[i]! >= -1e-12 : g[i]! <= 1e-12));
    if (ok) return x;
  }
  throw new Error("no KKT point");
}

describe("Brent's method", () => {
  it("finds the quartic's minimiser 0.3", () => {
    expect(brentMinimize(scalarFunctions["quartic"]!, [-1, 0.9, 2]).x).toBeCloseTo(0.3, 3);
    expect(() => brentMinimize(scalarFunctions["quartic"]!, [-1, 2, 3])).toThrow(/f\(xb\) < f\(xa\)/);
  });

  it.skipIf(!scipy)("equals SciPy's minimize_scalar(method='brent', bracket=...) step for step", () => {
    brentCases.forEach((c, k) => {
      const r = brentMinimize(scalarFunctions[c.fn]!, c.bracket as [number, number, number], { tol: c.tol });
      const truth = oracle!.brent[k]!;
      expect(r.x, c.fn).toBeCloseTo(truth.x, 12);
      expect(r.value).toBeCloseTo(truth.fun, 12);
      expect(r.calls).toBe(truth.nfev);
    });
  });
});

describe("the acquisition maximiser on fixed posteriors", () => {
  const params = (lam: number[]): { inverseSquaredLengthscales: Float64Array; kernelScale: number; noiseVar: number } => ({ inverseSquaredLengthscales: Float64Array.from(lam), kernelScale: 1, noiseVar: 1e-6 });

  it("one observation at (0.3, 0.4) with y = 0 = the threshold: log EI grows with the distance, so the far corner (1, 1) wins", () => {
    const space = new GPSearchSpace({ a: new FloatDistribution(0, 1), b: new FloatDistribution(0, 1) });
    const gpr = new GPRegressor(Float64Array.from([0.3, 0.4]), Float64Array.from([0]), [false, false], params([2, 3]));
    const best = optimizeAcqfMixed(new LogEI(gpr, 0), space, new Random(5), { nPreliminarySamples: 64 });
    expect(Array.from(best.x)).toEqual([1, 1]);
  });

  it("two continuous inputs: at least the brute-force maximum on a 401 x 401 grid, at its place", () => {
    const space = new GPSearchSpace({ a: new FloatDistribution(0, 1), b: new FloatDistribution(0, 1) });
    const rng = new Random(3);
    const X = space.sample(14, rng);
    const y = Float64Array.from({ length: 14 }, (_, i) => -((X[2 * i]! - 0.62) ** 2) - 2 * (X[2 * i + 1]! - 0.35) ** 2);
    const gpr = new GPRegressor(X, y, [false, false], params([6, 9]));
    const acqf = new LogEI(gpr, Math.max(...y));
    let grid = { value: -Infinity, a: 0, b: 0 };
    for (let i = 0; i <= 400; i++) for (let j = 0; j <= 400; j++) {
      const v = acqf.value([i / 400, j / 400]);
      if (v > grid.value) grid = { value: v, a: i / 400, b: j / 400 };
    }
    const best = optimizeAcqfMixed(acqf, space, new Random(9));
    expect(best.value).toBeGreaterThanOrEqual(grid.value - 1e-12);
    expect(Math.hypot(best.x[0]! - grid.a, best.x[1]! - grid.b)).toBeLessThan(0.005);
  });

  it("a float, an integer with 30 values (Brent's line search) and a categorical: at least the brute-force maximum", () => {
    const space = new GPSearchSpace({ x: new FloatDistribution(0, 1), n: new IntDistribution(1, 30), c: new CategoricalDistribution(["a", "b", "c"]) });
    const rng = new Random(7);
    const X = space.sample(20, rng);
    const y = Float64Array.from({ length: 20 }, (_, i) => -((X[3 * i]! - 0.3) ** 2) - (X[3 * i + 1]! - 0.55) ** 2 - (X[3 * i + 2] === 2 ? 0 : 0.1));
    const gpr = new GPRegressor(X, y, [false, false, true], params([5, 8, 1]));
    const acqf = new LogEI(gpr, Math.max(...y));
    const nGrid = space.discreteChoices()[0]!;
    let brute = -Infinity;
    for (const n of nGrid) for (let c = 0; c < 3; c++) for (let i = 0; i <= 2000; i++) brute = Math.max(brute, acqf.value([i / 2000, n, c]));
    const best = optimizeAcqfMixed(acqf, space, new Random(2));
    expect(best.value).toBeGreaterThanOrEqual(brute - 1e-9);
    expect(Array.from(nGrid)).toContain(best.x[1]);
  });
});
