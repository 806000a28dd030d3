/**
 * Maximising the acquisition function over a mixed space, as Optuna 4.5's `_gp/optim_mixed.py`:
 * 2,048 scrambled Sobol' candidates, the best of them plus 9 more drawn with probability proportional to
 * exp(acquisition) (and the best observed point) start local searches that alternate L-BFGS-B
 * over the continuous coordinates (preconditioned by the length scales) with a search over each
 * discrete coordinate (all choices when 16 or fewer or categorical, else Brent's method on the
 * acquisition interpolated over its grid).
 */
import { Random } from "../../../util/random";
import { LogEI } from "./acquisition";
import { brentMinimize } from "./brent";
import { minimizeLbfgs } from "./lbfgs";
import { GPSearchSpace } from "./searchSpace";

const MAX_EXHAUSTIVE = 16;

interface Point {
  x: Float64Array;
  value: number;
}

function gradientAscent(acqf: LogEI, start: Point, continuous: number[], lengthScales: Float64Array, tol: number): { point: Point; improved: boolean } {
  if (continuous.length === 0) return { point: start, improved: false };
  const x = Float64Array.from(start.x);
  const scales = Float64Array.from(continuous, (i) => lengthScales[i] as number);
  const negative = (z: Float64Array): { value: number; gradient: Float64Array } => {
    continuous.forEach((i, j) => (x[i] = (z[j] as number) * (scales[j] as number)));
    const { value, gradient } = acqf.valueAndGradient(x);
    return { value: -value, gradient: Float64Array.from(continuous, (i, j) => -(gradient[i] as number) * (scales[j] as number)) };
  };
  const result = minimizeLbfgs(negative, Float64Array.from(continuous, (i, j) => (start.x[i] as number) / (scales[j] as number)), {
    lower: new Float64Array(continuous.length),
    upper: scales.map((s) => 1 / s),
    pgtol: Math.sqrt(tol),
    maxIter: 200,
  });
  if (-result.value > start.value && result.iterations > 0) {
    const best = Float64Array.from(start.x);
    continuous.forEach((i, j) => (best[i] = (result.x[j] as number) * (scales[j] as number)));
    return { point: { x: best, value: -result.value }, improved: true };
  }
  return { point: start, improved: false };
}

function discreteSearch(acqf: LogEI, start: Point, index: number, choices: Float64Array, categorical: boolean): { point: Point; improved: boolean } {
  const at = (c: number): Point => {
    const x = Float64Array.from(start.x);
    x[index] = c;
    return { x, value: acqf.value(x) };
  };
  if (categorical || choices.length <= MAX_EXHAUSTIVE) {
    let best = start;
    for (const c of choices) {
      if (c === start.x[index]) continue;
      const p = at(c);
      if (p.value > best.value) best = p;
    }
    return { point: best, improved: best !== start };
  }
  return discreteLineSearch(start, index, choices, at);
}

/**
 * Optuna's `_discrete_line_search`: Brent's method on the acquisition interpolated linearly
 * between neighbouring grid points (infinite outside the grid), bracketed by the grid's ends and
 * started at the current point, to a quarter of the smallest grid spacing; then the grid point
 * nearest to its result.
 */
function discreteLineSearch(start: Point, index: number, grid: Float64Array, at: (c: number) => Point): { point: Point; improved: boolean } {
  const nearest = (x: number): number => {
    const i = Math.min(Math.max(searchSorted(grid, x), 1), grid.length - 1);
    return Math.abs(x - (grid[i - 1] as number)) < Math.abs(x - (grid[i] as number)) ? i - 1 : i;
  };
  const current = nearest(start.x[index] as number);
  const cache = new Map<number, Point>([[current, start]]);
  const pointAt = (i: number): Point => {
    let p = cache.get(i);
    if (!p) {
      p = at(grid[i] as number);
      cache.set(i, p);
    }
    return p;
  };
  const interpolated = (x: number): number => {
    if (x < (grid[0] as number) || x > (grid[grid.length - 1] as number)) return Infinity;
    const right = Math.min(Math.max(searchSorted(grid, x), 1), grid.length - 1);
    const left = right - 1;
    const wLeft = ((grid[right] as number) - x) / ((grid[right] as number) - (grid[left] as number));
    return -wLeft * pointAt(left).value - (1 - wLeft) * pointAt(right).value;
  };
  let xtol = Infinity;
  for (let i = 1; i < grid.length; i++) xtol = Math.min(xtol, (grid[i] as number) - (grid[i - 1] as number));
  const EPS = 1e-12;
  const result = brentMinimize(interpolated, [(grid[0] as number) - EPS, grid[current] as number, (grid[grid.length - 1] as number) + EPS], { tol: xtol / 4 });
  const best = nearest(result.x);
  const p = pointAt(best);
  return best !== current && p.value > start.value ? { point: p, improved: true } : { point: start, improved: false };
}

/** The first index i with grid[i] >= x (NumPy's `searchsorted`, side "left"). */
function searchSorted(grid: Float64Array, x: number): number {
  let lo = 0;
  let hi = grid.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((grid[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function localSearch(acqf: LogEI, space: GPSearchSpace, x0: Float64Array, tol: number, maxIter = 100): Point {
  const lengthScales = acqf.gpr.lengthScales;
  const choices = space.discreteChoices();
  let best: Point = { x: Float64Array.from(x0), value: acqf.value(x0) };
  const CONTINUOUS = -1;
  let lastChanged: number | null = null;
  for (let iter = 0; iter < maxIter; iter++) {
    if (lastChanged === CONTINUOUS) return best;
    const g = gradientAscent(acqf, best, space.continuousIndices, lengthScales, tol);
    best = g.point;
    if (g.improved) lastChanged = CONTINUOUS;
    for (let j = 0; j < space.discreteIndices.length; j++) {
      const i = space.discreteIndices[j] as number;
      if (lastChanged === i) return best;
      const r = discreteSearch(acqf, best, i, choices[j] as Float64Array, space.isCategorical[i] as boolean);
      best = r.point;
      if (r.improved) lastChanged = i;
    }
    if (lastChanged === null) return best;
  }
  return best;
}

/** Options of {@link optimizeAcqfMixed}. */
export interface OptimizeAcqfOptions {
  /** Extra local-search starts (the best observed point). */
  warmStarts?: Float64Array[];
  nPreliminarySamples?: number;
  nLocalSearch?: number;
  tol?: number;
}

/** The best coordinates found and their acquisition value. */
export function optimizeAcqfMixed(acqf: LogEI, space: GPSearchSpace, rng: Random, options: OptimizeAcqfOptions = {}): Point {
  const nSamples = options.nPreliminarySamples ?? 2048;
  const nLocal = options.nLocalSearch ?? 10;
  const warm = options.warmStarts ?? [];
  const dim = space.dim;
  const samples = space.sample(nSamples, rng);
  const values = new Float64Array(nSamples);
  let maxI = 0;
  for (let s = 0; s < nSamples; s++) {
    values[s] = acqf.value(samples.subarray(s * dim, (s + 1) * dim));
    if ((values[s] as number) > (values[maxI] as number)) maxI = s;
  }
  const probs = values.map((v) => Math.exp(v - (values[maxI] as number)));
  probs[maxI] = 0;
  const starts = [maxI];
  const nonZero = probs.filter((p) => p > 0).length;
  const extra = Math.min(nLocal - warm.length - 1, nonZero);
  // Weighted draws without replacement.
  for (let k = 0; k < extra; k++) {
    let total = 0;
    for (const p of probs) total += p;
    if (!(total > 0)) break;
    let u = rng.random() * total;
    let pick = 0;
    while (pick < nSamples - 1 && u >= (probs[pick] as number)) u -= probs[pick++] as number;
    starts.push(pick);
    probs[pick] = 0;
  }
  let best: Point = { x: samples.slice(maxI * dim, (maxI + 1) * dim), value: values[maxI] as number };
  const initial = [...starts.map((s) => samples.slice(s * dim, (s + 1) * dim)), ...warm];
  for (const x0 of initial) {
    const p = localSearch(acqf, space, x0, options.tol ?? 1e-4);
    if (p.value > best.value) best = p;
  }
  return best;
}
