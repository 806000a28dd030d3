/**
 * Kernel parameters by maximum a-posteriori marginal likelihood, as Optuna 4.5's
 * `fit_kernel_params`: L-BFGS over the log of each inverse squared length scale, the log kernel
 * scale and the log of (noise variance - minimum noise), with Optuna's heuristic priors; started
 * from the previous trial's fit, then from all ones if that fails, falling back to all ones.
 */
import { minimizeLbfgs } from "./lbfgs";
import { GPRegressor, KernelParams } from "./regressor";

/** Optuna's `DEFAULT_MINIMUM_NOISE_VAR`. */
export const DEFAULT_MINIMUM_NOISE_VAR = 1e-6;

/**
 * Optuna's `default_log_prior` and its gradient in the log-parameters: -(0.1/lambda + 0.1 lambda)
 * per length scale, Gamma(2, 1) on the kernel scale and Gamma(1.1, 30) on the noise, without
 * constants. `noiseRaw` is exp(raw noise parameter) (the noise above the minimum).
 */
export function logPrior(p: KernelParams, noiseRaw: number): { value: number; gradient: Float64Array } {
  const d = p.inverseSquaredLengthscales.length;
  const gradient = new Float64Array(d + 2);
  let value = 0;
  p.inverseSquaredLengthscales.forEach((lam, k) => {
    value -= 0.1 / lam + 0.1 * lam;
    gradient[k] = 0.1 / lam - 0.1 * lam;
  });
  value += Math.log(p.kernelScale) - p.kernelScale;
  gradient[d] = 1 - p.kernelScale;
  value += 0.1 * Math.log(p.noiseVar) - 30 * p.noiseVar;
  gradient[d + 1] = (0.1 / p.noiseVar - 30) * noiseRaw;
  return { value, gradient };
}

/** Options of {@link fitKernelParams}. */
export interface FitOptions {
  minimumNoise?: number;
  /** Noise fixed at the minimum (the objective has no noise). */
  deterministic?: boolean;
  /** Start here (the previous fit) before trying all ones. */
  initial?: KernelParams;
  /** Projected-gradient tolerance (Optuna: 1e-2). */
  gtol?: number;
}

function paramsFromRaw(raw: Float64Array, d: number, minimumNoise: number, deterministic: boolean): { params: KernelParams; noiseRaw: number } {
  const noiseRaw = Math.exp(raw[d + 1] as number);
  return {
    params: {
      inverseSquaredLengthscales: raw.subarray(0, d).map(Math.exp),
      kernelScale: Math.exp(raw[d] as number),
      noiseVar: deterministic ? minimumNoise : noiseRaw + minimumNoise,
    },
    noiseRaw,
  };
}

function ones(d: number): KernelParams {
  return { inverseSquaredLengthscales: new Float64Array(d).fill(1), kernelScale: 1, noiseVar: 1 };
}

/** The fitted regressor for X (n x d), y (standardised), with categorical inputs marked. */
export function fitKernelParams(X: Float64Array, y: Float64Array, isCategorical: readonly boolean[], options: FitOptions = {}): GPRegressor {
  const d = isCategorical.length;
  const minimumNoise = options.minimumNoise ?? DEFAULT_MINIMUM_NOISE_VAR;
  const deterministic = options.deterministic ?? false;
  const loss = (raw: Float64Array): { value: number; gradient: Float64Array } => {
    const { params, noiseRaw } = paramsFromRaw(raw, d, minimumNoise, deterministic);
    // A kernel matrix that is not positive definite throws, failing this start (as torch's
    // Cholesky does in Optuna).
    const mll = new GPRegressor(X, y, isCategorical, params).marginalLogLikelihoodWithGradient();
    const prior = logPrior(params, noiseRaw);
    const gradient = new Float64Array(d + 2);
    for (let k = 0; k <= d; k++) gradient[k] = -((mll.gradient[k] as number) + (prior.gradient[k] as number));
    gradient[d + 1] = deterministic ? 0 : -((mll.gradient[d + 1] as number) * noiseRaw + (prior.gradient[d + 1] as number));
    return { value: -(mll.value + prior.value), gradient };
  };
  const starts = options.initial ? [options.initial, ones(d)] : [ones(d)];
  for (const start of starts) {
    const raw0 = new Float64Array(d + 2);
    start.inverseSquaredLengthscales.forEach((v, k) => (raw0[k] = Math.log(v)));
    raw0[d] = Math.log(start.kernelScale);
    raw0[d + 1] = Math.log(start.noiseVar - 0.99 * minimumNoise);
    try {
      const result = minimizeLbfgs(loss, raw0, { pgtol: options.gtol ?? 1e-2 });
      if (result.converged && Number.isFinite(result.value)) return new GPRegressor(X, y, isCategorical, paramsFromRaw(result.x, d, minimumNoise, deterministic).params);
    } catch {
      // Next start (Optuna catches the RuntimeError and refits from all ones).
    }
  }
  return new GPRegressor(X, y, isCategorical, ones(d));
}
