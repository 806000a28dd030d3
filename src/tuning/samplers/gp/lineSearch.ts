/**
 * The Moré-Thuente line search (MINPACK-2's `dcsrch` and `dcstep`, the one L-BFGS-B and so
 * SciPy's `fmin_l_bfgs_b` use): finds a step satisfying the strong Wolfe conditions
 * f(stp) <= f(0) + ftol stp f'(0) and |f'(stp)| <= gtol |f'(0)| by safeguarded cubic and quadratic
 * interpolation inside [stpmin, stpmax], extrapolating while the function still decreases.
 */

/** phi(stp) = f(x + stp d) and its derivative in stp. */
export type LineFunction = (stp: number) => { value: number; derivative: number };

/** Options of {@link moreThuente}, with L-BFGS-B's values as defaults. */
export interface LineSearchOptions {
  ftol?: number;
  gtol?: number;
  xtol?: number;
  stpmin?: number;
  stpmax?: number;
  /** Function evaluations allowed (SciPy's `maxls`, 20). */
  maxEvaluations?: number;
}

/** Outcome of {@link moreThuente}: `ok` when it converged or stopped on a warning at a decrease. */
export interface LineSearchResult {
  stp: number;
  value: number;
  derivative: number;
  evaluations: number;
  status: "convergence" | "warning" | "failed";
}

interface Interval {
  stx: number;
  fx: number;
  dx: number;
  sty: number;
  fy: number;
  dy: number;
  brackt: boolean;
}

/**
 * theta and gamma of the cubic through (a, fa) and (b, fb) with slopes da and db, scaled against
 * overflow as `dcstep` does; the square root's argument is clipped at 0 (`dcstep` clips it only
 * where rounding can make it negative, the other cases have it non-negative by construction).
 */
function cubic(a: number, fa: number, da: number, b: number, fb: number, db: number): { theta: number; gamma: number } {
  const theta = (3 * (fa - fb)) / (b - a) + da + db;
  const s = Math.max(Math.abs(theta), Math.abs(da), Math.abs(db));
  return { theta, gamma: s * Math.sqrt(Math.max(0, (theta / s) ** 2 - (da / s) * (db / s))) };
}

/**
 * One `dcstep`: updates the interval of uncertainty with the trial step (stp, fp, dp) and returns
 * the next trial step, kept in [stpmin, stpmax].
 */
export function dcstep(iv: Interval, stp: number, fp: number, dp: number, stpmin: number, stpmax: number): number {
  const { stx, fx, dx, sty, fy, dy } = iv;
  const sgnd = dp * (dx / Math.abs(dx));
  let stpf: number;
  if (fp > fx) {
    // A higher value: the minimum is bracketed.
    const { theta, gamma: g } = cubic(stx, fx, dx, stp, fp, dp);
    const gamma = stp < stx ? -g : g;
    const p = gamma - dx + theta;
    const q = gamma - dx + gamma + dp;
    const stpc = stx + (p / q) * (stp - stx);
    const stpq = stx + (dx / ((fx - fp) / (stp - stx) + dx) / 2) * (stp - stx);
    stpf = Math.abs(stpc - stx) < Math.abs(stpq - stx) ? stpc : stpc + (stpq - stpc) / 2;
    iv.brackt = true;
  } else if (sgnd < 0) {
    // Derivatives of opposite sign: bracketed.
    const { theta, gamma: g } = cubic(stx, fx, dx, stp, fp, dp);
    const gamma = stp > stx ? -g : g;
    const p = gamma - dp + theta;
    const q = gamma - dp + gamma + dx;
    const stpc = stp + (p / q) * (stx - stp);
    const stpq = stp + (dp / (dp - dx)) * (stx - stp);
    stpf = Math.abs(stpc - stp) > Math.abs(stpq - stp) ? stpc : stpq;
    iv.brackt = true;
  } else if (Math.abs(dp) < Math.abs(dx)) {
    // Same sign, the derivative's magnitude decreases.
    const { theta, gamma: g } = cubic(stx, fx, dx, stp, fp, dp);
    const gamma = stp > stx ? -g : g;
    const p = gamma - dp + theta;
    const q = gamma + (dx - dp) + gamma;
    const r = p / q;
    const stpc = r < 0 && gamma !== 0 ? stp + r * (stx - stp) : stp > stx ? stpmax : stpmin;
    const stpq = stp + (dp / (dp - dx)) * (stx - stp);
    if (iv.brackt) {
      stpf = Math.abs(stpc - stp) < Math.abs(stpq - stp) ? stpc : stpq;
      stpf = stp > stx ? Math.min(stp + 0.66 * (sty - stp), stpf) : Math.max(stp + 0.66 * (sty - stp), stpf);
    } else {
      stpf = Math.abs(stpc - stp) > Math.abs(stpq - stp) ? stpc : stpq;
      stpf = Math.max(stpmin, Math.min(stpmax, stpf));
    }
  } else if (iv.brackt) {
    // Same sign, the derivative's magnitude does not decrease: cubic step towards sty.
    const { theta, gamma: g } = cubic(sty, fy, dy, stp, fp, dp);
    const gamma = stp > sty ? -g : g;
    const p = gamma - dp + theta;
    const q = gamma - dp + gamma + dy;
    stpf = stp + (p / q) * (sty - stp);
  } else stpf = stp > stx ? stpmax : stpmin;
  if (fp > fx) {
    iv.sty = stp;
    iv.fy = fp;
    iv.dy = dp;
  } else {
    if (sgnd < 0) {
      iv.sty = stx;
      iv.fy = fx;
      iv.dy = dx;
    }
    iv.stx = stp;
    iv.fx = fp;
    iv.dx = dp;
  }
  return stpf;
}

/**
 * Searches along phi from stp0, given phi(0) = f0 and phi'(0) = g0 < 0; `dcsrch`'s logic with its
 * reverse communication unrolled into a loop.
 */
export function moreThuente(phi: LineFunction, f0: number, g0: number, stp0: number, options: LineSearchOptions = {}): LineSearchResult {
  const ftol = options.ftol ?? 1e-3;
  const gtol = options.gtol ?? 0.9;
  const xtol = options.xtol ?? 0.1;
  const stpmin = options.stpmin ?? 0;
  const stpmax = options.stpmax ?? 1e10;
  const maxEvaluations = options.maxEvaluations ?? 20;
  if (!(g0 < 0)) throw new Error(`moreThuente: the initial derivative must be negative, got ${g0}`);
  let stp = Math.max(stpmin, Math.min(stpmax, stp0));
  const gtest = ftol * g0;
  let width = stpmax - stpmin;
  let width1 = width / 0.5;
  const iv: Interval = { stx: 0, fx: f0, dx: g0, sty: 0, fy: f0, dy: g0, brackt: false };
  let stage = 1;
  let stmin = 0;
  let stmax = stp + 4 * stp;
  let last = { value: f0, derivative: g0 };
  for (let evaluations = 1; evaluations <= maxEvaluations; evaluations++) {
    const e = phi(stp);
    last = e;
    const f = e.value;
    const g = e.derivative;
    if (!Number.isFinite(f) || !Number.isFinite(g)) {
      // Not in dcsrch: a non-finite value is treated as a much higher one, so the step shrinks.
      iv.brackt = true;
      iv.sty = stp;
      iv.fy = Infinity;
      stmax = stp;
      const next = iv.stx + 0.5 * (stp - iv.stx);
      if (next === stp || next === iv.stx) return { stp: iv.stx, value: iv.fx, derivative: iv.dx, evaluations, status: "failed" };
      stp = next;
      continue;
    }
    const ftest = f0 + stp * gtest;
    if (stage === 1 && f <= ftest && g >= 0) stage = 2;
    let warning = false;
    if (iv.brackt && (stp <= stmin || stp >= stmax)) warning = true;
    if (iv.brackt && stmax - stmin <= xtol * stmax) warning = true;
    if (stp === stpmax && f <= ftest && g <= gtest) warning = true;
    if (stp === stpmin && (f > ftest || g >= gtest)) warning = true;
    if (f <= ftest && Math.abs(g) <= gtol * -g0) return { stp, value: f, derivative: g, evaluations, status: "convergence" };
    if (warning) return { stp, value: f, derivative: g, evaluations, status: "warning" };
    if (stage === 1 && f <= iv.fx && f > ftest) {
      // Modified function psi(stp) = f(stp) - f0 - ftol stp g0 while no sufficient decrease yet.
      const m: Interval = { stx: iv.stx, fx: iv.fx - iv.stx * gtest, dx: iv.dx - gtest, sty: iv.sty, fy: iv.fy - iv.sty * gtest, dy: iv.dy - gtest, brackt: iv.brackt };
      stp = dcstep(m, stp, f - stp * gtest, g - gtest, stmin, stmax);
      Object.assign(iv, { stx: m.stx, sty: m.sty, brackt: m.brackt, fx: m.fx + m.stx * gtest, fy: m.fy + m.sty * gtest, dx: m.dx + gtest, dy: m.dy + gtest });
    } else stp = dcstep(iv, stp, f, g, stmin, stmax);
    if (iv.brackt) {
      if (Math.abs(iv.sty - iv.stx) >= 0.66 * width1) stp = iv.stx + 0.5 * (iv.sty - iv.stx);
      width1 = width;
      width = Math.abs(iv.sty - iv.stx);
      stmin = Math.min(iv.stx, iv.sty);
      stmax = Math.max(iv.stx, iv.sty);
    } else {
      stmin = stp + 1.1 * (stp - iv.stx);
      stmax = stp + 4 * (stp - iv.stx);
    }
    stp = Math.max(stpmin, Math.min(stpmax, stp));
    if ((iv.brackt && (stp <= stmin || stp >= stmax)) || (iv.brackt && stmax - stmin <= xtol * stmax)) stp = iv.stx;
  }
  return { stp, value: last.value, derivative: last.derivative, evaluations: maxEvaluations, status: "failed" };
}
