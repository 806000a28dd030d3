/**
 * Brent's minimiser of a function of one variable, step for step as SciPy's
 * `minimize_scalar(f, bracket=(a, b, c), method="brent", tol=xtol)` runs it (its `Brent` class:
 * golden-section steps where parabolic interpolation through the last three points is not
 * trustworthy, at least `tol |x| + 1e-11` per step, at most 500 iterations).
 */

/** Options of {@link brentMinimize}. */
export interface BrentOptions {
  /** Relative tolerance in x (SciPy's default 1.48e-8). */
  tol?: number;
  maxIter?: number;
}

/** The minimiser found, its value and the number of function calls. */
export interface BrentResult {
  x: number;
  value: number;
  calls: number;
}

const GOLDEN = 0.381966;
const MIN_TOL = 1e-11;

/** Minimises f inside the bracket (xa, xb, xc): xa < xb < xc (or reversed) and f(xb) below f(xa), f(xc). */
export function brentMinimize(f: (x: number) => number, bracket: [number, number, number], options: BrentOptions = {}): BrentResult {
  const tol = options.tol ?? 1.48e-8;
  const maxIter = options.maxIter ?? 500;
  let [xa, xb, xc] = bracket;
  if (xa > xc) [xa, xc] = [xc, xa];
  if (!(xa < xb && xb < xc)) throw new Error(`brentMinimize: the bracket needs xa < xb < xc, got ${bracket.join(", ")}`);
  const fa = f(xa);
  const fb = f(xb);
  const fc = f(xc);
  if (!(fb < fa && fb < fc)) throw new Error(`brentMinimize: the bracket needs f(xb) < f(xa) and f(xb) < f(xc), got ${fa}, ${fb}, ${fc}`);
  let calls = 3;
  let x = xb;
  let w = xb;
  let v = xb;
  let fx = fb;
  let fw = fb;
  let fv = fb;
  let a = xa;
  let b = xc;
  let deltax = 0;
  let rat = 0;
  for (let iter = 0; iter < maxIter; iter++) {
    const tol1 = tol * Math.abs(x) + MIN_TOL;
    const tol2 = 2 * tol1;
    const xmid = 0.5 * (a + b);
    if (Math.abs(x - xmid) < tol2 - 0.5 * (b - a)) break;
    if (Math.abs(deltax) <= tol1) {
      deltax = x >= xmid ? a - x : b - x;
      rat = GOLDEN * deltax;
    } else {
      const tmp1 = (x - w) * (fx - fv);
      let tmp2 = (x - v) * (fx - fw);
      let p = (x - v) * tmp2 - (x - w) * tmp1;
      tmp2 = 2 * (tmp2 - tmp1);
      if (tmp2 > 0) p = -p;
      tmp2 = Math.abs(tmp2);
      const previousDelta = deltax;
      deltax = rat;
      if (p > tmp2 * (a - x) && p < tmp2 * (b - x) && Math.abs(p) < Math.abs(0.5 * tmp2 * previousDelta)) {
        rat = p / tmp2;
        const u = x + rat;
        if (u - a < tol2 || b - u < tol2) rat = xmid - x >= 0 ? tol1 : -tol1;
      } else {
        deltax = x >= xmid ? a - x : b - x;
        rat = GOLDEN * deltax;
      }
    }
    const u = Math.abs(rat) < tol1 ? (rat >= 0 ? x + tol1 : x - tol1) : x + rat;
    const fu = f(u);
    calls++;
    if (fu > fx) {
      if (u < x) a = u;
      else b = u;
      if (fu <= fw || w === x) {
        v = w;
        w = u;
        fv = fw;
        fw = fu;
      } else if (fu <= fv || v === x || v === w) {
        v = u;
        fv = fu;
      }
    } else {
      if (u >= x) a = x;
      else b = x;
      v = w;
      w = x;
      x = u;
      fv = fw;
      fw = fx;
      fx = fu;
    }
  }
  return { x, value: fx, calls };
}
