/**
 * Limited-memory BFGS with optional box bounds, following L-BFGS-B 3.0 (SciPy's
 * `fmin_l_bfgs_b`) in everything but how it treats active bounds: the same quasi-Newton direction
 * in the interior (the two-loop recursion with H0 = s'y / y'y), the same Moré-Thuente line search
 * (ftol 1e-3, gtol 0.9, xtol 0.1, 20 evaluations, a first step of 1 / |d| on unbounded problems
 * and 1 otherwise), the same update skipping (s'y <= eps * -g's), restart from steepest descent
 * when a line search fails with pairs stored, and the same stops (largest projected-gradient
 * component <= `pgtol`, relative decrease of f <= `ftol`, `maxIter` iterations). At the bounds,
 * where L-BFGS-B finds a generalised Cauchy point and minimises over the free variables, this
 * one freezes each coordinate held at a bound by its gradient and searches along the straight
 * segment up to the first bound it meets.
 */
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
  const frozen = (i: number): boolean => ((x[i] as number) <= (lo[i] as number) && (gradient[i] as number) > 0) || ((x[i] as number) >= (hi[i] as number) && (gradient[i] as number) < 0);
  const projectedGradientNorm = (): number => {
    let m = 0;
    for (let i = 0; i < n; i++) if (!frozen(i)) m = Math.max(m, Math.abs(gradient[i] as number));
    return m;
  };
  if (projectedGradientNorm() <= pgtol) return { x, value, gradient, iterations: 0, converged: true };
  let iter = 0;
  while (iter < maxIter) {
    let direction = quasiNewtonDirection(gradient, S, Y, frozen);
    // The recursion couples coordinates: drop components that would leave the box at once.
    direction.forEach((di, i) => {
      if ((di < 0 && (x[i] as number) <= (lo[i] as number)) || (di > 0 && (x[i] as number) >= (hi[i] as number))) direction[i] = 0;
    });
    let slope = dot(direction, gradient);
    if (!(slope < 0)) {
      direction = gradient.map((g, i) => (frozen(i) ? 0 : -g));
      slope = dot(direction, gradient);
      S.length = 0;
      Y.length = 0;
    }
    const limit = maxFeasibleStep(x, direction, lo, hi);
    const stpmax = Math.min(limit.step, constrained && iter === 0 ? 1 : BIG_STEP);
    const stp0 = iter === 0 && !boxed ? Math.min(1 / Math.sqrt(dot(direction, direction)), stpmax) : Math.min(1, stpmax);
    const base = x;
    let trial: { x: Float64Array; value: number; gradient: Float64Array } | null = null;
    const pointAt = (stp: number): Float64Array => {
      const p = base.map((v, i) => clamp(v + stp * (direction[i] as number), lo[i] as number, hi[i] as number));
      if (stp === limit.step) for (const i of limit.blocking) p[i] = (direction[i] as number) < 0 ? (lo[i] as number) : (hi[i] as number);
      return p;
    };
    const search = moreThuente(
      (stp) => {
        const p = pointAt(stp);
        const e = f(p);
        trial = { x: p, value: e.value, gradient: e.gradient };
        return { value: e.value, derivative: dot(e.gradient, direction) };
      },
      value,
      slope,
      stp0,
      { stpmax },
    );
    if (search.status === "failed" || trial === null) {
      if (S.length === 0) return { x, value, gradient, iterations: iter, converged: false };
      S.length = 0;
      Y.length = 0;
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
    if (projectedGradientNorm() <= pgtol) return { x, value, gradient, iterations: iter, converged: true };
    if (previous - value <= ftol * Math.max(Math.abs(previous), Math.abs(value), 1)) return { x, value, gradient, iterations: iter, converged: true };
    if (dot(s, y) > EPSILON * -slope * search.stp) {
      S.push(s);
      Y.push(y);
      if (S.length > memory) {
        S.shift();
        Y.shift();
      }
    }
  }
  return { x, value, gradient, iterations: maxIter, converged: false };
}

/** -H g by the two-loop recursion over the free coordinates (frozen ones get 0). */
function quasiNewtonDirection(gradient: Float64Array, S: Float64Array[], Y: Float64Array[], frozen: (i: number) => boolean): Float64Array {
  const q = gradient.map((g, i) => (frozen(i) ? 0 : g));
  const alphas: number[] = [];
  for (let k = S.length - 1; k >= 0; k--) {
    const a = dot(S[k] as Float64Array, q) / dot(Y[k] as Float64Array, S[k] as Float64Array);
    alphas.push(a);
    axpy(-a, Y[k] as Float64Array, q);
  }
  const last = S.length - 1;
  const gamma = last >= 0 ? dot(S[last] as Float64Array, Y[last] as Float64Array) / dot(Y[last] as Float64Array, Y[last] as Float64Array) : 1;
  for (let i = 0; i < q.length; i++) q[i] = (q[i] as number) * gamma;
  for (let k = 0; k < S.length; k++) {
    const b = dot(Y[k] as Float64Array, q) / dot(Y[k] as Float64Array, S[k] as Float64Array);
    axpy((alphas[S.length - 1 - k] as number) - b, S[k] as Float64Array, q);
  }
  return q.map((v, i) => (frozen(i) ? 0 : -v));
}

/** The largest step along d that stays in the box, and the coordinates that reach a bound there. */
function maxFeasibleStep(x: Float64Array, d: Float64Array, lo: Float64Array, hi: Float64Array): { step: number; blocking: number[] } {
  let step = Infinity;
  let blocking: number[] = [];
  for (let i = 0; i < x.length; i++) {
    const di = d[i] as number;
    if (di === 0) continue;
    const room = di < 0 ? ((lo[i] as number) - (x[i] as number)) / di : ((hi[i] as number) - (x[i] as number)) / di;
    if (room < step) {
      step = room;
      blocking = [i];
    } else if (room === step) blocking.push(i);
  }
  return { step, blocking };
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

function axpy(a: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < y.length; i++) y[i] = (y[i] as number) + a * (x[i] as number);
}
