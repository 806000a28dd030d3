/**
 * L-BFGS-B 3.0 as SciPy's `fmin_l_bfgs_b` runs it, on a dense BFGS matrix (our problems have a
 * few dozen variables at most): each iteration goes to the generalised Cauchy point and the
 * subspace minimiser (see ./boundedStep), then searches along the way there with the Moré-Thuente
 * line search (ftol 1e-3, gtol 0.9, xtol 0.1, 20 evaluations; the first step 1 / |d| on problems
 * not bounded on every side, else 1, at most up to the box), skips updates with s'y <= eps -g's,
 * restarts from steepest descent when a line search fails with pairs stored, and stops when the
 * largest projected-gradient component is at most `pgtol`, the relative decrease of f at most
 * `ftol`, or after `maxIter` iterations. Unconstrained problems skip the Cauchy point once pairs
 * are stored (the step is then -H g).
 */
import { cauchyPoint, denseBfgsMatrix, subspaceMinimum } from "./boundedStep";
import { moreThuente } from "./lineSearch";

/** f and its gradient at x. */
export type ValueAndGradient = (x: Float64Array) => { value: number; gradient: Float64Array };

/** Options of {@link minimizeLbfgs}. */
export interface LbfgsOptions {
  lower?: ArrayLike<number>;
  upper?: ArrayLike<number>;
  /** Default 1e-5 (SciPy's). */
  pgtol?: number;
  /** Default 2.220446049250313e-9 (SciPy's factr 1e7 times machine epsilon). */
  ftol?: number;
  /** Default 15000 (SciPy's). */
  maxIter?: number;
  /** History pairs kept (default 10, SciPy's). */
  memory?: number;
}

/** Result of {@link minimizeLbfgs}. */
export interface LbfgsResult {
  x: Float64Array;
  value: number;
  gradient: Float64Array;
  iterations: number;
  /** Stopped by `pgtol` or `ftol` (SciPy's `success`). */
  converged: boolean;
}

const EPSILON = 2.220446049250313e-16;
const BIG_STEP = 1e10;

/** Minimises f from x0 (clipped into the box). */
export function minimizeLbfgs(f: ValueAndGradient, x0: ArrayLike<number>, options: LbfgsOptions = {}): LbfgsResult {
  const n = x0.length;
  const lo = Float64Array.from({ length: n }, (_, i) => (options.lower ? (options.lower[i] as number) : -Infinity));
  const hi = Float64Array.from({ length: n }, (_, i) => (options.upper ? (options.upper[i] as number) : Infinity));
  const pgtol = options.pgtol ?? 1e-5;
  const ftol = options.ftol ?? 2.220446049250313e-9;
  const maxIter = options.maxIter ?? 15000;
  const memory = options.memory ?? 10;
  const constrained = lo.some(Number.isFinite) || hi.some(Number.isFinite);
  const boxed = lo.every(Number.isFinite) && hi.every(Number.isFinite);
  let x: Float64Array = Float64Array.from({ length: n }, (_, i) => clamp(x0[i] as number, lo[i] as number, hi[i] as number));
  let { value, gradient }: { value: number; gradient: Float64Array } = f(x);
  if (!Number.isFinite(value)) return { x, value, gradient, iterations: 0, converged: false };
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  let theta = 1;
  const forget = (): void => {
    S.length = 0;
    Y.length = 0;
    theta = 1;
  };
  if (projectedGradientNorm(x, gradient, lo, hi) <= pgtol) return { x, value, gradient, iterations: 0, converged: true };
  let iter = 0;
  while (iter < maxIter) {
    const B = denseBfgsMatrix(n, S, Y, theta);
    let target: Float64Array;
    try {
      if (!constrained && S.length > 0) target = subspaceMinimum(x, gradient, lo, hi, B, { xcp: x, free: new Array<boolean>(n).fill(true) });
      else {
        const cp = cauchyPoint(x, gradient, lo, hi, B);
        target = S.length > 0 ? subspaceMinimum(x, gradient, lo, hi, B, cp) : cp.xcp;
      }
    } catch {
      // The reduced matrix lost positive definiteness to rounding: L-BFGS-B refreshes its memory.
      if (S.length === 0) return { x, value, gradient, iterations: iter, converged: false };
      forget();
      continue;
    }
    const base = x;
    const direction = target.map((v, i) => v - (base[i] as number));
    const slope = dot(direction, gradient);
    const stpmax = constrained ? (iter === 0 ? 1 : maxFeasibleStep(base, direction, lo, hi)) : BIG_STEP;
    const stp0 = iter === 0 && !boxed ? Math.min(1 / Math.sqrt(dot(direction, direction)), stpmax) : 1;
    let trial: { x: Float64Array; value: number; gradient: Float64Array } | null = null;
    const search =
      slope < 0
        ? moreThuente(
            (stp) => {
              const p = stp === 1 ? target : base.map((v, i) => clamp(v + stp * (direction[i] as number), lo[i] as number, hi[i] as number));
              const e = f(p);
              trial = { x: p, value: e.value, gradient: e.gradient };
              return { value: e.value, derivative: dot(e.gradient, direction) };
            },
            value,
            slope,
            stp0,
            { stpmax },
          )
        : null;
    if (search === null || search.status === "failed" || trial === null) {
      // Not a descent direction, or no acceptable step: L-BFGS-B gives up without pairs, else forgets them.
      if (S.length === 0) return { x, value, gradient, iterations: iter, converged: false };
      forget();
      continue;
    }
    const accepted = trial as { x: Float64Array; value: number; gradient: Float64Array };
    iter++;
    const s = accepted.x.map((v, i) => v - (base[i] as number));
    const y = accepted.gradient.map((g, i) => g - (gradient[i] as number));
    const previous = value;
    x = accepted.x;
    value = accepted.value;
    gradient = accepted.gradient;
    if (projectedGradientNorm(x, gradient, lo, hi) <= pgtol) return { x, value, gradient, iterations: iter, converged: true };
    if (previous - value <= ftol * Math.max(Math.abs(previous), Math.abs(value), 1)) return { x, value, gradient, iterations: iter, converged: true };
    const sy = dot(s, y);
    if (sy > EPSILON * -slope * search.stp) {
      S.push(s);
      Y.push(y);
      if (S.length > memory) {
        S.shift();
        Y.shift();
      }
      theta = dot(y, y) / sy;
    }
  }
  return { x, value, gradient, iterations: maxIter, converged: false };
}

/** L-BFGS-B's `projgr`: the largest gradient component, each cut to the room left before its bound. */
function projectedGradientNorm(x: Float64Array, g: Float64Array, lo: Float64Array, hi: Float64Array): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) {
    let gi = g[i] as number;
    if (gi < 0) gi = Math.max((x[i] as number) - (hi[i] as number), gi);
    else gi = Math.min((x[i] as number) - (lo[i] as number), gi);
    m = Math.max(m, Math.abs(gi));
  }
  return m;
}

/** The largest step along d that stays in the box (L-BFGS-B's `stpmx`, from 1e10 down). */
function maxFeasibleStep(x: Float64Array, d: Float64Array, lo: Float64Array, hi: Float64Array): number {
  let step = BIG_STEP;
  for (let i = 0; i < x.length; i++) {
    const di = d[i] as number;
    if (di < 0 && Number.isFinite(lo[i] as number)) {
      const room = (lo[i] as number) - (x[i] as number);
      if (room >= 0) step = 0;
      else if (di * step < room) step = room / di;
    } else if (di > 0 && Number.isFinite(hi[i] as number)) {
      const room = (hi[i] as number) - (x[i] as number);
      if (room <= 0) step = 0;
      else if (di * step > room) step = room / di;
    }
  }
  return step;
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}
