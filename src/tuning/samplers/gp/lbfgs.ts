/**
 * Limited-memory BFGS with optional box bounds (a projected variant: coordinates held at a bound
 * by their gradient are frozen, the two-loop direction is taken in the free ones, and a
 * backtracking Armijo search runs along the projected path). Stops like SciPy's L-BFGS-B: when
 * the largest projected-gradient component is at most `pgtol`, or the relative decrease of f
 * falls under `ftol`.
 */

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
  converged: boolean;
}

/** Minimises f from x0 (clipped into the box). */
export function minimizeLbfgs(f: ValueAndGradient, x0: ArrayLike<number>, options: LbfgsOptions = {}): LbfgsResult {
  const n = x0.length;
  const lo = options.lower ?? new Float64Array(n).fill(-Infinity);
  const hi = options.upper ?? new Float64Array(n).fill(Infinity);
  const pgtol = options.pgtol ?? 1e-5;
  const ftol = options.ftol ?? 2.220446049250313e-9;
  const maxIter = options.maxIter ?? 15000;
  const memory = options.memory ?? 10;
  const project = (v: Float64Array): Float64Array => v.map((x, i) => Math.min(hi[i] as number, Math.max(lo[i] as number, x)));
  let x = project(Float64Array.from(x0));
  let { value, gradient } = f(x);
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const frozen = (i: number, g: Float64Array): boolean => (x[i] as number) <= (lo[i] as number) && (g[i] as number) > 0 || (x[i] as number) >= (hi[i] as number) && (g[i] as number) < 0;
  const projectedGradientNorm = (g: Float64Array): number => {
    let m = 0;
    for (let i = 0; i < n; i++) if (!frozen(i, g)) m = Math.max(m, Math.abs(g[i] as number));
    return m;
  };
  if (!Number.isFinite(value)) return { x, value, gradient, iterations: 0, converged: false };
  for (let iter = 0; iter < maxIter; iter++) {
    if (projectedGradientNorm(gradient) <= pgtol) return { x, value, gradient, iterations: iter, converged: true };
    const q = gradient.map((g, i) => (frozen(i, gradient) ? 0 : g));
    const alphas: number[] = [];
    for (let k = S.length - 1; k >= 0; k--) {
      const a = dot(S[k] as Float64Array, q) / dot(Y[k] as Float64Array, S[k] as Float64Array);
      alphas.push(a);
      axpy(-a, Y[k] as Float64Array, q);
    }
    const last = S.length - 1;
    const gamma = last >= 0 ? dot(S[last] as Float64Array, Y[last] as Float64Array) / dot(Y[last] as Float64Array, Y[last] as Float64Array) : 1 / Math.max(1, Math.sqrt(dot(q, q)));
    for (let i = 0; i < n; i++) q[i] = (q[i] as number) * gamma;
    for (let k = 0; k < S.length; k++) {
      const b = dot(Y[k] as Float64Array, q) / dot(Y[k] as Float64Array, S[k] as Float64Array);
      axpy((alphas[S.length - 1 - k] as number) - b, S[k] as Float64Array, q);
    }
    let direction = q.map((v, i) => (frozen(i, gradient) ? 0 : -v));
    if (dot(direction, gradient) >= 0) {
      direction = gradient.map((g, i) => (frozen(i, gradient) ? 0 : -g));
      S.length = 0;
      Y.length = 0;
    }
    let t = 1;
    let next: Float64Array | null = null;
    let nextEval: { value: number; gradient: Float64Array } | null = null;
    for (let back = 0; back < 40; back++) {
      const candidate = project(x.map((v, i) => v + t * (direction[i] as number)));
      const step = candidate.map((v, i) => v - (x[i] as number));
      const decrease = dot(gradient, step);
      if (decrease >= 0 && back > 0 && Math.max(...step.map(Math.abs)) === 0) break;
      const e = f(candidate);
      if (Number.isFinite(e.value) && e.value <= value + 1e-4 * decrease) {
        next = candidate;
        nextEval = e;
        break;
      }
      t *= 0.5;
    }
    if (next === null || nextEval === null) return { x, value, gradient, iterations: iter, converged: false };
    const s = next.map((v, i) => v - (x[i] as number));
    const y = nextEval.gradient.map((g, i) => g - (gradient[i] as number));
    const previous = value;
    x = next;
    value = nextEval.value;
    gradient = nextEval.gradient;
    if (dot(s, y) > 1e-10 * dot(y, y)) {
      S.push(s);
      Y.push(y);
      if (S.length > memory) {
        S.shift();
        Y.shift();
      }
    }
    if ((previous - value) / Math.max(Math.abs(previous), Math.abs(value), 1) <= ftol) return { x, value, gradient, iterations: iter + 1, converged: true };
  }
  return { x, value, gradient, iterations: maxIter, converged: false };
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

function axpy(a: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < y.length; i++) y[i] = (y[i] as number) + a * (x[i] as number);
}
