/**
 * CMA-ES with an ask-and-tell interface, after the `cmaes` package 0.13's `CMA` (Hansen's
 * tutorial, arXiv:1604.00772, with negative weights and bounds by resampling): the same
 * learning rates, weights, step-size and covariance updates and stopping rules, so that
 * `tell` maps the same state and solutions to the same new state. The random draws are ours.
 * Learning-rate adaptation (`lr_adapt`) is not implemented.
 */
import { Random } from "../../../util/random";
import { symmetricEigen } from "../../../util/symmetricEigen";

const EPS = 1e-8;
const MEAN_MAX = 1e32;
const SIGMA_MAX = 1e32;

/** Options of {@link CMA}. */
export interface CMAOptions {
  mean: ArrayLike<number>;
  sigma: number;
  /** Lower and upper bound of each coordinate (optional). */
  low?: ArrayLike<number>;
  high?: ArrayLike<number>;
  /** Resampling attempts before an out-of-bounds draw is clipped (default 100). */
  nMaxResampling?: number;
  seed?: number;
  /** Default 4 + floor(3 ln n). */
  populationSize?: number;
  /** Initial covariance, row-major n x n (default identity). */
  cov?: ArrayLike<number>;
}

/** The full state that `tell` reads and writes (plain numbers, so it can be stored as JSON). */
export interface CMAState {
  mean: number[];
  sigma: number;
  C: number[];
  pSigma: number[];
  pc: number[];
  generation: number;
  populationSize: number;
  low: number[] | null;
  high: number[] | null;
  nMaxResampling: number;
  tolx: number;
  funhist: number[];
}

/** The strategy's constants, all derived from the dimension and population size. */
export interface CMAConstants {
  mu: number;
  muEff: number;
  weights: Float64Array;
  cc: number;
  c1: number;
  cmu: number;
  cSigma: number;
  dSigma: number;
  chiN: number;
}

/** cmaes 0.13's constants for dimension `n` and population size `lambda`. */
export function cmaConstants(n: number, lambda: number): CMAConstants {
  const mu = Math.floor(lambda / 2);
  const wPrime = Float64Array.from({ length: lambda }, (_, i) => Math.log((lambda + 1) / 2) - Math.log(i + 1));
  const effective = (w: Float64Array): number => {
    let s = 0;
    let s2 = 0;
    for (const v of w) {
      s += v;
      s2 += v * v;
    }
    return (s * s) / s2;
  };
  const muEff = effective(wPrime.subarray(0, mu));
  const muEffMinus = effective(wPrime.subarray(mu));
  const alphaCov = 2;
  const c1 = alphaCov / ((n + 1.3) ** 2 + muEff);
  const cmu = Math.min(1 - c1 - 1e-8, (alphaCov * (muEff - 2 + 1 / muEff)) / ((n + 2) ** 2 + (alphaCov * muEff) / 2));
  if (!(c1 <= 1 - cmu) || !(cmu <= 1 - c1)) throw new Error("CMA: invalid learning rates");
  const minAlpha = Math.min(1 + c1 / cmu, 1 + (2 * muEffMinus) / (muEff + 2), (1 - c1 - cmu) / (n * cmu));
  let positive = 0;
  let negative = 0;
  for (const w of wPrime) {
    if (w > 0) positive += w;
    else if (w < 0) negative -= w;
  }
  const weights = wPrime.map((w) => (w >= 0 ? w / positive : (minAlpha / negative) * w));
  const cSigma = (muEff + 2) / (n + muEff + 5);
  const dSigma = 1 + 2 * Math.max(0, Math.sqrt((muEff - 1) / (n + 1)) - 1) + cSigma;
  const cc = (4 + muEff / n) / (n + 4 + (2 * muEff) / n);
  const chiN = Math.sqrt(n) * (1 - 1 / (4 * n) + 1 / (21 * n * n));
  return { mu, muEff, weights, cc, c1, cmu, cSigma, dSigma, chiN };
}

/** One CMA-ES optimiser. */
export class CMA {
  readonly dim: number;
  readonly populationSize: number;
  readonly constants: CMAConstants;
  private mean: Float64Array;
  private sigma: number;
  private C: Float64Array;
  private pSigma: Float64Array;
  private pc: Float64Array;
  private g: number;
  private readonly low: Float64Array | null;
  private readonly high: Float64Array | null;
  private readonly nMaxResampling: number;
  private readonly tolx: number;
  private readonly funhistTerm: number;
  private readonly funhist: Float64Array;
  private rng: Random;
  private B: Float64Array | null = null;
  private D: Float64Array | null = null;

  constructor(options: CMAOptions | { state: CMAState; seed?: number }) {
    const state = "state" in options ? options.state : null;
    const o = "state" in options ? null : options;
    const n = state ? state.mean.length : (o as CMAOptions).mean.length;
    if (n <= 0) throw new Error("CMA: the dimension of mean must be positive");
    this.dim = n;
    this.populationSize = state ? state.populationSize : ((o as CMAOptions).populationSize ?? 4 + Math.floor(3 * Math.log(n)));
    if (!(this.populationSize > 0)) throw new Error("CMA: popsize must be a positive number");
    this.constants = cmaConstants(n, this.populationSize);
    this.funhistTerm = 10 + Math.ceil((30 * n) / this.populationSize);
    this.rng = new Random(options.seed ?? Math.floor(Math.random() * 2 ** 31));
    if (state) {
      this.mean = Float64Array.from(state.mean);
      this.sigma = state.sigma;
      this.C = Float64Array.from(state.C);
      this.pSigma = Float64Array.from(state.pSigma);
      this.pc = Float64Array.from(state.pc);
      this.g = state.generation;
      this.low = state.low ? Float64Array.from(state.low) : null;
      this.high = state.high ? Float64Array.from(state.high) : null;
      this.nMaxResampling = state.nMaxResampling;
      this.tolx = state.tolx;
      this.funhist = Float64Array.from(state.funhist);
      return;
    }
    const opts = o as CMAOptions;
    if (!(opts.sigma > 0)) throw new Error("CMA: sigma must be a positive number");
    if (!Array.from(opts.mean).every((v) => Math.abs(v) < MEAN_MAX)) throw new Error(`CMA: abs of all elements of mean must be less than ${MEAN_MAX}`);
    this.mean = Float64Array.from(opts.mean);
    this.sigma = opts.sigma;
    this.C = opts.cov ? Float64Array.from(opts.cov) : identity(n);
    if (this.C.length !== n * n) throw new Error("CMA: invalid shape of covariance matrix");
    this.pSigma = new Float64Array(n);
    this.pc = new Float64Array(n);
    this.g = 0;
    this.low = opts.low ? Float64Array.from(opts.low) : null;
    this.high = opts.high ? Float64Array.from(opts.high) : null;
    if (this.low && this.high) {
      for (let i = 0; i < n; i++) {
        if (!((this.low[i] as number) <= (this.mean[i] as number) && (this.mean[i] as number) <= (this.high[i] as number))) throw new Error("CMA: invalid bounds (mean outside)");
      }
    }
    this.nMaxResampling = opts.nMaxResampling ?? 100;
    this.tolx = 1e-12 * opts.sigma;
    this.funhist = new Float64Array(this.funhistTerm * 2);
  }

  /** Generations completed (incremented by every `tell`). */
  get generation(): number {
    return this.g;
  }

  /** The current state (a copy). */
  state(): CMAState {
    return {
      mean: [...this.mean],
      sigma: this.sigma,
      C: [...this.C],
      pSigma: [...this.pSigma],
      pc: [...this.pc],
      generation: this.g,
      populationSize: this.populationSize,
      low: this.low ? [...this.low] : null,
      high: this.high ? [...this.high] : null,
      nMaxResampling: this.nMaxResampling,
      tolx: this.tolx,
      funhist: [...this.funhist],
    };
  }

  /** Restarts the random stream. */
  reseed(seed: number): void {
    this.rng = new Random(seed);
  }

  /** One candidate: resampled until inside the bounds, clipped after `nMaxResampling` tries. */
  ask(): Float64Array {
    for (let i = 0; i < this.nMaxResampling; i++) {
      const x = this.sampleSolution();
      if (this.isFeasible(x)) return x;
    }
    const x = this.sampleSolution();
    if (this.low && this.high) for (let i = 0; i < this.dim; i++) x[i] = Math.min(this.high[i] as number, Math.max(this.low[i] as number, x[i] as number));
    return x;
  }

  private eigen(): { B: Float64Array; D: Float64Array } {
    if (this.B && this.D) return { B: this.B, D: this.D };
    const n = this.dim;
    const C = this.C;
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const v = ((C[i * n + j] as number) + (C[j * n + i] as number)) / 2;
        C[i * n + j] = v;
        C[j * n + i] = v;
      }
    }
    const eig = symmetricEigen(C, n);
    // Ascending eigenvalues, as numpy's eigh returns them (the stopping rules index them).
    const order = Array.from(eig.values.keys()).sort((a, b) => (eig.values[a] as number) - (eig.values[b] as number));
    const vectors = new Float64Array(n * n);
    for (let i = 0; i < n; i++) order.forEach((from, to) => (vectors[i * n + to] = eig.vectors[i * n + from] as number));
    const D = Float64Array.from(order, (k) => Math.sqrt((eig.values[k] as number) < 0 ? EPS : (eig.values[k] as number)));
    // C = B diag(D^2) B^T, as cmaes rebuilds it.
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += (vectors[i * n + k] as number) * (D[k] as number) ** 2 * (vectors[j * n + k] as number);
        C[i * n + j] = s;
      }
    }
    this.B = vectors;
    this.D = D;
    return { B: vectors, D };
  }

  private sampleSolution(): Float64Array {
    const { B, D } = this.eigen();
    const n = this.dim;
    const z = Float64Array.from({ length: n }, () => this.rng.normal());
    const x = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let y = 0;
      for (let k = 0; k < n; k++) y += (B[i * n + k] as number) * (D[k] as number) * (z[k] as number);
      x[i] = (this.mean[i] as number) + this.sigma * y;
    }
    return x;
  }

  private isFeasible(x: Float64Array): boolean {
    if (!this.low || !this.high) return true;
    for (let i = 0; i < this.dim; i++) if ((x[i] as number) < (this.low[i] as number) || (x[i] as number) > (this.high[i] as number)) return false;
    return true;
  }

  /** Updates the distribution from `populationSize` evaluated solutions (minimisation). */
  tell(solutions: { x: ArrayLike<number>; value: number }[]): void {
    if (solutions.length !== this.populationSize) throw new Error(`CMA: tell needs ${this.populationSize} solutions, got ${solutions.length}`);
    for (const s of solutions) if (!Array.from(s.x).every((v) => Math.abs(v) < MEAN_MAX)) throw new Error(`CMA: abs of all param values must be less than ${MEAN_MAX}`);
    const n = this.dim;
    const { mu, muEff, weights, cc, c1, cmu, cSigma, dSigma, chiN } = this.constants;
    this.g++;
    const sorted = [...solutions].sort((a, b) => a.value - b.value);
    const idx = 2 * (this.g % this.funhistTerm);
    this.funhist[idx] = (sorted[0] as { value: number }).value;
    this.funhist[idx + 1] = (sorted[sorted.length - 1] as { value: number }).value;

    const { B, D } = this.eigen();
    this.B = null;
    this.D = null;
    const lambda = this.populationSize;
    const y = sorted.map((s) => Float64Array.from({ length: n }, (_, i) => ((s.x[i] as number) - (this.mean[i] as number)) / this.sigma));
    const yw = new Float64Array(n);
    for (let k = 0; k < mu; k++) for (let i = 0; i < n; i++) yw[i] = (yw[i] as number) + (weights[k] as number) * ((y[k] as Float64Array)[i] as number);
    for (let i = 0; i < n; i++) this.mean[i] = (this.mean[i] as number) + this.sigma * (yw[i] as number);

    // C^(-1/2) = B diag(1/D) B^T
    const invSqrtC = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += ((B[i * n + k] as number) * (B[j * n + k] as number)) / (D[k] as number);
        invSqrtC[i * n + j] = s;
      }
    }
    const times = (m: Float64Array, v: Float64Array): Float64Array =>
      Float64Array.from({ length: n }, (_, i) => {
        let s = 0;
        for (let k = 0; k < n; k++) s += (m[i * n + k] as number) * (v[k] as number);
        return s;
      });
    const cYw = times(invSqrtC, yw);
    const ps = Math.sqrt(cSigma * (2 - cSigma) * muEff);
    for (let i = 0; i < n; i++) this.pSigma[i] = (1 - cSigma) * (this.pSigma[i] as number) + ps * (cYw[i] as number);
    const normPs = Math.hypot(...this.pSigma);
    this.sigma = Math.min(this.sigma * Math.exp((cSigma / dSigma) * (normPs / chiN - 1)), SIGMA_MAX);

    const hLeft = normPs / Math.sqrt(1 - (1 - cSigma) ** (2 * (this.g + 1)));
    const hSigma = hLeft < (1.4 + 2 / (n + 1)) * chiN ? 1 : 0;
    const pcs = hSigma * Math.sqrt(cc * (2 - cc) * muEff);
    for (let i = 0; i < n; i++) this.pc[i] = (1 - cc) * (this.pc[i] as number) + pcs * (yw[i] as number);

    const wIo = Float64Array.from(weights, (w, k) => {
      if (w >= 0) return w;
      const cy = times(invSqrtC, y[k] as Float64Array);
      let sq = 0;
      for (const v of cy) sq += v * v;
      return (w * n) / (sq + EPS);
    });
    const deltaH = (1 - hSigma) * cc * (2 - cc);
    let sumW = 0;
    for (const w of weights) sumW += w;
    const keep = 1 + c1 * deltaH - c1 - cmu * sumW;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let rankMu = 0;
        for (let k = 0; k < lambda; k++) rankMu += (wIo[k] as number) * ((y[k] as Float64Array)[i] as number) * ((y[k] as Float64Array)[j] as number);
        this.C[i * n + j] = keep * (this.C[i * n + j] as number) + c1 * (this.pc[i] as number) * (this.pc[j] as number) + cmu * rankMu;
      }
    }
  }

  /** cmaes 0.13's stopping rules (flat fitness history, tiny or huge steps, no effect, ill-conditioning). */
  shouldStop(): boolean {
    const { B, D } = this.eigen();
    const n = this.dim;
    const dC = Float64Array.from({ length: n }, (_, i) => this.C[i * n + i] as number);
    if (this.g > this.funhistTerm) {
      let lo = Infinity;
      let hi = -Infinity;
      for (const v of this.funhist) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
      if (hi - lo < 1e-12) return true;
    }
    if (dC.every((c) => this.sigma * c < this.tolx) && this.pc.every((p) => this.sigma * p < this.tolx)) return true;
    let maxD = -Infinity;
    let minD = Infinity;
    for (const d of D) {
      maxD = Math.max(maxD, d);
      minD = Math.min(minD, d);
    }
    if (this.sigma * maxD > 1e4) return true;
    for (let i = 0; i < n; i++) {
      const m = this.mean[i] as number;
      if (m === m + 0.2 * this.sigma * Math.sqrt(dC[i] as number)) return true;
    }
    const col = this.g % n;
    let allSame = true;
    for (let i = 0; i < n; i++) {
      const m = this.mean[i] as number;
      if (m !== m + 0.1 * this.sigma * (D[col] as number) * (B[i * n + col] as number)) allSame = false;
    }
    if (allSame) return true;
    return maxD / minD > 1e14;
  }
}

function identity(n: number): Float64Array {
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++) m[i * n + i] = 1;
  return m;
}
