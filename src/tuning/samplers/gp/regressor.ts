/**
 * Gaussian-process regression as Optuna 4.5's `_gp/gp.py` sets it up: a Matern 5/2 kernel with
 * automatic relevance determination (one inverse squared length scale per input), a kernel
 * scale and a noise variance; categorical inputs contribute 1 to the squared distance when
 * they differ. Gives the marginal log-likelihood with its gradient in the log-parameters, and
 * the posterior mean and variance with their gradients in the inputs.
 */
import { cholesky, inverseFromCholesky, solveLower, solveUpperTransposed } from "./linalg";

/** Kernel parameters. */
export interface KernelParams {
  /** One per input dimension. */
  inverseSquaredLengthscales: Float64Array;
  kernelScale: number;
  noiseVar: number;
}

/** Matern 5/2 of a squared distance d2 (unit scale): (1 + sqrt(5 d2) + 5/3 d2) exp(-sqrt(5 d2)). */
export function matern52(d2: number): number {
  const s = Math.sqrt(5 * d2);
  return Math.exp(-s) * ((5 / 3) * d2 + s + 1);
}

/** d matern52 / d d2 = -5/6 (1 + sqrt(5 d2)) exp(-sqrt(5 d2)). */
export function matern52Derivative(d2: number): number {
  const s = Math.sqrt(5 * d2);
  return (-5 / 6) * (s + 1) * Math.exp(-s);
}

/** A GP over fixed training inputs X (n x d, row-major) and targets y. */
export class GPRegressor {
  readonly n: number;
  readonly d: number;
  private cache: { inv: Float64Array; alpha: Float64Array } | null = null;

  constructor(
    readonly X: Float64Array,
    readonly y: Float64Array,
    readonly isCategorical: readonly boolean[],
    readonly params: KernelParams,
  ) {
    this.n = y.length;
    this.d = isCategorical.length;
    if (X.length !== this.n * this.d) throw new Error(`GPRegressor: X has ${X.length} values, expected ${this.n} x ${this.d}`);
  }

  /** The length scales 1 / sqrt(inverse squared length scale). */
  get lengthScales(): Float64Array {
    return this.params.inverseSquaredLengthscales.map((v) => 1 / Math.sqrt(v));
  }

  /** Weighted squared distance between row i of A and row j of B. */
  private squaredDistance(a: ArrayLike<number>, ai: number, b: ArrayLike<number>, bj: number): number {
    const lam = this.params.inverseSquaredLengthscales;
    let s = 0;
    for (let k = 0; k < this.d; k++) {
      const diff = (a[ai + k] as number) - (b[bj + k] as number);
      s += (lam[k] as number) * (this.isCategorical[k] ? (diff !== 0 ? 1 : 0) : diff * diff);
    }
    return s;
  }

  /** K(X, X) + noise I. */
  covariance(): Float64Array {
    const { n, d } = this;
    const K = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      K[i * n + i] = this.params.kernelScale + this.params.noiseVar;
      for (let j = 0; j < i; j++) {
        const v = this.params.kernelScale * matern52(this.squaredDistance(this.X, i * d, this.X, j * d));
        K[i * n + j] = v;
        K[j * n + i] = v;
      }
    }
    return K;
  }

  /** (K + noise I)^-1 and (K + noise I)^-1 y, computed once. */
  private cached(): { inv: Float64Array; alpha: Float64Array } {
    if (this.cache) return this.cache;
    const L = cholesky(this.covariance(), this.n);
    const alpha = solveUpperTransposed(L, this.n, solveLower(L, this.n, this.y));
    this.cache = { inv: inverseFromCholesky(L, this.n), alpha };
    return this.cache;
  }

  /** log p(y | X, params) = -1/2 y^T K^-1 y - 1/2 log|K| - n/2 log(2 pi). */
  marginalLogLikelihood(): number {
    return this.marginalLogLikelihoodWithGradient(false).value;
  }

  /**
   * The marginal log-likelihood and, when asked, its gradient in (log lambda_1..d, log scale,
   * log noise): d/d theta = 1/2 tr((alpha alpha^T - K^-1) dK/d theta).
   */
  marginalLogLikelihoodWithGradient(withGradient = true): { value: number; gradient: Float64Array } {
    const { n, d } = this;
    const L = cholesky(this.covariance(), n);
    const z = solveLower(L, n, this.y);
    let logDet = 0;
    let quad = 0;
    for (let i = 0; i < n; i++) {
      logDet += Math.log(L[i * n + i] as number);
      quad += (z[i] as number) ** 2;
    }
    const value = -logDet - 0.5 * quad - 0.5 * n * Math.log(2 * Math.PI);
    const gradient = new Float64Array(d + 2);
    if (!withGradient) return { value, gradient };
    const alpha = solveUpperTransposed(L, n, z);
    const inv = inverseFromCholesky(L, n);
    const lam = this.params.inverseSquaredLengthscales;
    const s = this.params.kernelScale;
    let gScale = 0;
    let gNoise = 0;
    for (let i = 0; i < n; i++) {
      const wii = (alpha[i] as number) ** 2 - (inv[i * n + i] as number);
      gScale += 0.5 * wii * s; // diagonal: dK/dlog s = s matern(0) = s
      gNoise += 0.5 * wii;
      for (let j = 0; j < i; j++) {
        const w = (alpha[i] as number) * (alpha[j] as number) - (inv[i * n + j] as number);
        const d2 = this.squaredDistance(this.X, i * d, this.X, j * d);
        gScale += w * s * matern52(d2); // two symmetric entries, halved
        const common = w * s * matern52Derivative(d2);
        for (let k = 0; k < d; k++) {
          const diff = (this.X[i * d + k] as number) - (this.X[j * d + k] as number);
          const dd = this.isCategorical[k] ? (diff !== 0 ? 1 : 0) : diff * diff;
          gradient[k] = (gradient[k] as number) + common * (lam[k] as number) * dd;
        }
      }
    }
    gradient[d] = gScale;
    gradient[d + 1] = gNoise; // in the noise variance itself; callers apply the chain rule
    return { value, gradient };
  }

  /** Posterior mean and variance (clamped at 0) at one point x (length d). */
  posterior(x: ArrayLike<number>): { mean: number; variance: number } {
    const { inv, alpha } = this.cached();
    const { n, d } = this;
    const k = new Float64Array(n);
    let mean = 0;
    for (let i = 0; i < n; i++) {
      k[i] = this.params.kernelScale * matern52(this.squaredDistance(x, 0, this.X, i * d));
      mean += (k[i] as number) * (alpha[i] as number);
    }
    let quad = 0;
    for (let i = 0; i < n; i++) {
      let row = 0;
      for (let j = 0; j < n; j++) row += (inv[i * n + j] as number) * (k[j] as number);
      quad += (k[i] as number) * row;
    }
    return { mean, variance: Math.max(this.params.kernelScale - quad, 0) };
  }

  /** Posterior mean and variance with their gradients in the continuous inputs of x. */
  posteriorWithGradient(x: ArrayLike<number>): { mean: number; variance: number; dMean: Float64Array; dVariance: Float64Array } {
    const { inv, alpha } = this.cached();
    const { n, d } = this;
    const lam = this.params.inverseSquaredLengthscales;
    const s = this.params.kernelScale;
    const k = new Float64Array(n);
    const kPrime = new Float64Array(n);
    let mean = 0;
    for (let i = 0; i < n; i++) {
      const d2 = this.squaredDistance(x, 0, this.X, i * d);
      k[i] = s * matern52(d2);
      kPrime[i] = s * matern52Derivative(d2);
      mean += (k[i] as number) * (alpha[i] as number);
    }
    const invK = new Float64Array(n);
    let quad = 0;
    for (let i = 0; i < n; i++) {
      let row = 0;
      for (let j = 0; j < n; j++) row += (inv[i * n + j] as number) * (k[j] as number);
      invK[i] = row;
      quad += (k[i] as number) * row;
    }
    const dMean = new Float64Array(d);
    const dVariance = new Float64Array(d);
    for (let i = 0; i < n; i++) {
      const a = (kPrime[i] as number) * (alpha[i] as number);
      const b = -2 * (kPrime[i] as number) * (invK[i] as number);
      for (let c = 0; c < d; c++) {
        if (this.isCategorical[c]) continue;
        const dd2 = 2 * (lam[c] as number) * ((x[c] as number) - (this.X[i * d + c] as number));
        dMean[c] = (dMean[c] as number) + a * dd2;
        dVariance[c] = (dVariance[c] as number) + b * dd2;
      }
    }
    const variance = s - quad;
    if (variance <= 0) dVariance.fill(0);
    return { mean, variance: Math.max(variance, 0), dMean, dVariance };
  }
}
