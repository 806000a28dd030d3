/**
 * Port of liblinear's `solve_l2r_l1l2_svr` (linear.cpp, Algorithm 4 of Ho and Lin 2012) for the
 * L1-loss (epsilon-insensitive) case, as scikit-learn's `LinearSVR` runs it: dual coordinate
 * descent with random permutations and shrinking, on dense rows.
 *
 *   min_beta 0.5 beta' Q beta - y' beta + p sum |beta_i|,  -C <= beta_i <= C,  Q_ij = x_i' x_j
 */
import { Random } from "../util/random";

/** Inputs of {@link solveL1SvrDual}. */
export interface SvrDualProblem {
  /** Rows x features, row-major. */
  readonly data: Float64Array;
  readonly rows: number;
  readonly cols: number;
  /**
   * Value of a constant column appended to every row (liblinear's bias, scikit-learn's
   * intercept_scaling), or 0 for none. Handled implicitly, without copying the rows.
   */
  readonly bias: number;
  readonly y: ArrayLike<number>;
  /** Penalty C (upper bound of |beta_i|). */
  readonly C: number;
  /** Insensitivity epsilon (liblinear's p). */
  readonly p: number;
  /** Stopping tolerance (liblinear's eps). */
  readonly tol: number;
  readonly maxIter: number;
  readonly seed: number;
}

/** Result of {@link solveL1SvrDual}. */
export interface SvrDualSolution {
  /** Primal weights `sum_i beta_i x_i`, the bias column's weight last when `bias` is not 0. */
  w: Float64Array;
  /** Dual variables. */
  beta: Float64Array;
  /** Outer iterations run. */
  nIter: number;
  /** Dual objective at the solution, as liblinear reports it. */
  dualObjective: number;
}

/** Runs the dual coordinate descent; see the module comment. */
export function solveL1SvrDual(problem: SvrDualProblem): SvrDualSolution {
  const solver = new SvrDualSolver(problem);
  const nIter = solver.run();
  return { w: solver.w, beta: solver.beta, nIter, dualObjective: svrDualObjective(solver.w, solver.beta, problem.y, problem.p) };
}

/**
 * The solver's state, with one coordinate update per `visit` call: V8 optimises a small method
 * called often far sooner than one long loop, and scikit-learn's defaults on this data stop
 * after two passes, so compilation time would otherwise dominate.
 */
class SvrDualSolver {
  readonly beta: Float64Array;
  readonly w: Float64Array;
  private readonly QD: Float64Array;
  private readonly index: Int32Array;
  private readonly data: Float64Array;
  private readonly y: ArrayLike<number>;
  private readonly n: number;
  private readonly l: number;
  private readonly bias: number;
  private readonly p: number;
  private readonly upper: number;
  private readonly eps: number;
  private readonly maxIter: number;
  private readonly random: Random;
  private activeSize: number;
  private GmaxOld = Infinity;
  private GmaxNew = 0;
  private Gnorm1New = 0;

  constructor(problem: SvrDualProblem) {
    const { data, rows: l, cols: n, bias } = problem;
    this.data = data;
    this.y = problem.y;
    this.n = n;
    this.l = l;
    this.bias = bias;
    this.p = problem.p;
    this.upper = problem.C;
    this.eps = problem.tol;
    this.maxIter = problem.maxIter;
    this.random = new Random(problem.seed);
    this.beta = new Float64Array(l);
    this.QD = new Float64Array(l);
    this.index = new Int32Array(l);
    this.w = new Float64Array(n + (bias !== 0 ? 1 : 0));
    for (let i = 0; i < l; i++) {
      this.QD[i] = bias * bias + rowDot(data, i * n, data, i * n, n);
      this.index[i] = i;
    }
    this.activeSize = l;
  }

  /** Outer iterations until the projected-gradient norm falls below tol times its first value. */
  run(): number {
    let Gnorm1Init = -1;
    let iter = 0;
    while (iter < this.maxIter) {
      this.GmaxNew = 0;
      this.Gnorm1New = 0;
      this.shuffleActive();
      for (let s = 0; s < this.activeSize; s++) s = this.visit(s);
      if (iter === 0) Gnorm1Init = this.Gnorm1New;
      iter++;
      if (this.Gnorm1New <= this.eps * Gnorm1Init) {
        if (this.activeSize === this.l) break;
        this.activeSize = this.l;
        this.GmaxOld = Infinity;
        continue;
      }
      this.GmaxOld = this.GmaxNew;
    }
    return iter;
  }

  private shuffleActive(): void {
    const index = this.index;
    const active = this.activeSize;
    for (let i = 0; i < active; i++) {
      const j = i + Math.floor((this.random.nextUint32() / 4294967296) * (active - i));
      const t = index[i] as number;
      index[i] = index[j] as number;
      index[j] = t;
    }
  }

  /** Updates the coordinate at position `s` of the active set; returns the position to continue from. */
  private visit(s: number): number {
    const { index, beta, w, n, bias, p, upper } = this;
    const i = index[s] as number;
    const off = i * n;
    const G = -(this.y[i] as number) + rowDot(this.data, off, w, 0, n) + (bias !== 0 ? bias * (w[n] as number) : 0);
    const H = this.QD[i] as number;
    const Gp = G + p;
    const Gn = G - p;
    const b = beta[i] as number;
    const GmaxOld = this.GmaxOld;
    let violation = 0;
    let shrink = false;
    if (b === 0) {
      if (Gp < 0) violation = -Gp;
      else if (Gn > 0) violation = Gn;
      else if (Gp > GmaxOld && Gn < -GmaxOld) shrink = true;
    } else if (b >= upper) {
      if (Gp > 0) violation = Gp;
      else if (Gp < -GmaxOld) shrink = true;
    } else if (b <= -upper) {
      if (Gn < 0) violation = -Gn;
      else if (Gn > GmaxOld) shrink = true;
    } else if (b > 0) violation = Math.abs(Gp);
    else violation = Math.abs(Gn);
    if (shrink) {
      this.activeSize--;
      index[s] = index[this.activeSize] as number;
      index[this.activeSize] = i;
      return s - 1;
    }
    if (violation > this.GmaxNew) this.GmaxNew = violation;
    this.Gnorm1New += violation;

    let d: number;
    if (Gp < H * b) d = -Gp / H;
    else if (Gn > H * b) d = -Gn / H;
    else d = -b;
    if (Math.abs(d) < 1.0e-12) return s;
    const next = Math.min(Math.max(b + d, -upper), upper);
    beta[i] = next;
    d = next - b;
    if (d !== 0) {
      rowAxpy(d, this.data, off, w, n);
      if (bias !== 0) w[n] = (w[n] as number) + d * bias;
    }
    return s;
  }
}

/** liblinear's reported objective `0.5 |w|^2 + sum (p |beta_i| - y_i beta_i)` for the L1-loss dual. */
export function svrDualObjective(w: ArrayLike<number>, beta: ArrayLike<number>, y: ArrayLike<number>, p: number): number {
  let v = 0;
  for (let j = 0; j < w.length; j++) v += (w[j] as number) * (w[j] as number);
  v *= 0.5;
  for (let i = 0; i < beta.length; i++) {
    const b = beta[i] as number;
    v += p * Math.abs(b) - (y[i] as number) * b;
  }
  return v;
}


/** Dot product of `n` values of `a` from `aOff` and `b` from `bOff`. */
function rowDot(a: Float64Array, aOff: number, b: Float64Array, bOff: number, n: number): number {
  let s = 0;
  for (let j = 0; j < n; j++) s += (a[aOff + j] as number) * (b[bOff + j] as number);
  return s;
}

/** `w[0..n) += d * data[off..off + n)`. */
function rowAxpy(d: number, data: Float64Array, off: number, w: Float64Array, n: number): void {
  for (let j = 0; j < n; j++) w[j] = (w[j] as number) + d * (data[off + j] as number);
}
