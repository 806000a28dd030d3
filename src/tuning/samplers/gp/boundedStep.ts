/**
 * The search point of one L-BFGS-B 3.0 iteration (Byrd, Lu, Nocedal and Zhu 1995; Morales and
 * Nocedal 2011), on a dense BFGS matrix B instead of the compact representation (the same matrix;
 * our problems have a few dozen variables at most): the generalised Cauchy point (the first local
 * minimiser of the quadratic model along the projected steepest-descent path, `cauchy`), then the
 * model's minimiser over the variables still free there, projected into the box or, when the
 * projection turns it uphill, truncated at the first bound (`subsm`).
 */
import { cholesky, solveLower, solveUpperTransposed } from "./linalg";

const EPSILON = 2.220446049250313e-16;

/** theta I updated by each stored pair (s, y), oldest first: the L-BFGS matrix, row-major n x n. */
export function denseBfgsMatrix(n: number, S: readonly Float64Array[], Y: readonly Float64Array[], theta: number): Float64Array {
  const B = new Float64Array(n * n);
  for (let i = 0; i < n; i++) B[i * n + i] = theta;
  S.forEach((s, k) => {
    const y = Y[k] as Float64Array;
    const Bs = matVec(B, s, n);
    const sBs = dot(s, Bs);
    const ys = dot(y, s);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) B[i * n + j] = (B[i * n + j] as number) + ((y[i] as number) * (y[j] as number)) / ys - ((Bs[i] as number) * (Bs[j] as number)) / sBs;
  });
  return B;
}

/** The Cauchy point and which variables are free there (not held at a bound). */
export interface CauchyPoint {
  xcp: Float64Array;
  free: boolean[];
}

/** `cauchy`: the generalised Cauchy point from x with gradient g and model matrix B. */
export function cauchyPoint(x: Float64Array, g: Float64Array, lo: Float64Array, hi: Float64Array, B: Float64Array): CauchyPoint {
  const n = x.length;
  const xcp = Float64Array.from(x);
  const free = new Array<boolean>(n).fill(true);
  const d = new Float64Array(n);
  const breakpoints: { t: number; i: number }[] = [];
  let bounded = true;
  for (let i = 0; i < n; i++) {
    const neg = -(g[i] as number);
    const hasLo = Number.isFinite(lo[i] as number);
    const hasHi = Number.isFinite(hi[i] as number);
    const atLo = hasLo && (x[i] as number) - (lo[i] as number) <= 0;
    const atHi = hasHi && (hi[i] as number) - (x[i] as number) <= 0;
    if ((atLo && neg <= 0) || (!atLo && atHi && neg >= 0)) {
      free[i] = false;
      continue;
    }
    if ((hasLo || hasHi) && !atLo && !atHi && neg === 0) continue; // free, but not moving
    d[i] = neg;
    if (hasLo && neg < 0) breakpoints.push({ t: ((x[i] as number) - (lo[i] as number)) / -neg, i });
    else if (hasHi && neg > 0) breakpoints.push({ t: ((hi[i] as number) - (x[i] as number)) / neg, i });
    else if (neg !== 0) bounded = false;
  }
  if (d.every((v) => v === 0)) return { xcp, free };
  breakpoints.sort((a, b) => a.t - b.t);
  const z = new Float64Array(n); // xcp - x for the variables already fixed, t d for the others
  const slope = (): { f1: number; f2: number } => {
    const Bd = matVec(B, d, n);
    return { f1: dot(g, d) + dot(z, Bd), f2: dot(d, Bd) };
  };
  let { f1, f2 } = slope();
  const f2Original = f2;
  let dtm = -f1 / f2;
  let tsum = 0;
  let previous = 0;
  for (let k = 0; k < breakpoints.length; k++) {
    const { t, i } = breakpoints[k] as { t: number; i: number };
    const dt = t - previous;
    previous = t;
    if (dtm < dt) break;
    tsum += dt;
    for (let j = 0; j < n; j++) z[j] = (z[j] as number) + dt * (d[j] as number);
    const bound = (d[i] as number) > 0 ? (hi[i] as number) : (lo[i] as number);
    xcp[i] = bound;
    z[i] = bound - (x[i] as number);
    d[i] = 0;
    free[i] = false;
    if (k === breakpoints.length - 1 && breakpoints.length === n) return { xcp, free };
    ({ f1, f2 } = slope());
    f2 = Math.max(EPSILON * f2Original, f2);
    dtm = k < breakpoints.length - 1 || !bounded ? -f1 / f2 : 0;
  }
  tsum += Math.max(0, dtm);
  for (let j = 0; j < n; j++) if ((d[j] as number) !== 0) xcp[j] = (x[j] as number) + tsum * (d[j] as number);
  return { xcp, free };
}

/**
 * `subsm`: from the Cauchy point, the model's minimiser over the free variables, projected into
 * the box; if the projected point is uphill from x, the unprojected step truncated at its first
 * bound instead.
 */
export function subspaceMinimum(x: Float64Array, g: Float64Array, lo: Float64Array, hi: Float64Array, B: Float64Array, cp: CauchyPoint): Float64Array {
  const n = x.length;
  const freeIdx = cp.free.flatMap((f, i) => (f ? [i] : []));
  if (freeIdx.length === 0) return cp.xcp;
  const r = matVec(B, cp.xcp.map((v, i) => v - (x[i] as number)), n).map((v, i) => v + (g[i] as number));
  const m = freeIdx.length;
  const Bff = new Float64Array(m * m);
  freeIdx.forEach((i, a) => freeIdx.forEach((j, b) => (Bff[a * m + b] = B[i * n + j] as number)));
  const L = cholesky(Bff, m);
  const du = solveUpperTransposed(L, m, solveLower(L, m, Float64Array.from(freeIdx, (i) => -(r[i] as number))));
  const projected = Float64Array.from(cp.xcp);
  let clipped = false;
  freeIdx.forEach((i, a) => {
    const v = (cp.xcp[i] as number) + (du[a] as number);
    const c = Math.min(hi[i] as number, Math.max(lo[i] as number, v));
    if (c === lo[i] || c === hi[i]) clipped = true;
    projected[i] = c;
  });
  if (!clipped) return projected;
  let uphill = 0;
  for (let i = 0; i < n; i++) uphill += ((projected[i] as number) - (x[i] as number)) * (g[i] as number);
  if (uphill <= 0) return projected;
  let alpha = 1;
  let blocking = -1;
  freeIdx.forEach((i, a) => {
    const dk = du[a] as number;
    let step = alpha;
    if (dk < 0 && Number.isFinite(lo[i] as number)) {
      const room = (lo[i] as number) - (cp.xcp[i] as number);
      if (room >= 0) step = 0;
      else if (dk * alpha < room) step = room / dk;
    } else if (dk > 0 && Number.isFinite(hi[i] as number)) {
      const room = (hi[i] as number) - (cp.xcp[i] as number);
      if (room <= 0) step = 0;
      else if (dk * alpha > room) step = room / dk;
    }
    if (step < alpha) {
      alpha = step;
      blocking = a;
    }
  });
  const truncated = Float64Array.from(cp.xcp);
  if (alpha < 1 && blocking >= 0) {
    const i = freeIdx[blocking] as number;
    truncated[i] = (du[blocking] as number) > 0 ? (hi[i] as number) : (lo[i] as number);
    du[blocking] = 0;
  }
  freeIdx.forEach((i, a) => (truncated[i] = (truncated[i] as number) + alpha * (du[a] as number)));
  return truncated;
}

function matVec(A: Float64Array, v: ArrayLike<number>, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += (A[i * n + j] as number) * (v[j] as number);
    out[i] = s;
  }
  return out;
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}
