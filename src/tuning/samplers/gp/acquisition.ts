/**
 * Log expected improvement (Ament et al., 2023), as Optuna 4.5's `_gp/acqf.py` computes it for
 * maximisation: log EI = log sigma + h(z), z = (mean - best) / sigma, h(z) = log(z Phi(z) +
 * phi(z)), with an asymptotic form below z = -25; plus its gradient, h'(z) = r / (z r + 1)
 * with r = Phi(z) / phi(z) = sqrt(pi / 2) erfcx(-z / sqrt 2).
 */
import { erfc } from "../tpe/erf";
import { GPRegressor } from "./regressor";

const SQRT_2PI = Math.sqrt(2 * Math.PI);

/** exp(x^2) erfc(x), accurate for large x. */
export function erfcx(x: number): number {
  if (x < 25) return Math.exp(x * x) * erfc(x);
  // Asymptotic series: 1 / (x sqrt(pi)) (1 - 1/(2x^2) + 3/(4x^4) - 15/(8x^6)).
  const inv2 = 1 / (x * x);
  return (1 / (x * Math.sqrt(Math.PI))) * (1 - 0.5 * inv2 + 0.75 * inv2 * inv2 - 1.875 * inv2 * inv2 * inv2);
}

/** h(z) = log(z Phi(z) + phi(z)) and h'(z). */
export function standardLogEI(z: number): { value: number; derivative: number } {
  const r = Math.sqrt(0.5 * Math.PI) * erfcx(-z * Math.SQRT1_2);
  if (z < -25) return { value: -0.5 * z * z + Math.log((z * r + 1) / SQRT_2PI), derivative: r / (z * r + 1) };
  const cdf = 0.5 * erfc(-z * Math.SQRT1_2);
  const pdf = Math.exp(-0.5 * z * z) / SQRT_2PI;
  return { value: Math.log(z * cdf + pdf), derivative: r / (z * r + 1) };
}

/** log EI of a GP at x over `threshold` (maximisation), with its gradient in x's continuous inputs. */
export class LogEI {
  constructor(
    readonly gpr: GPRegressor,
    readonly threshold: number,
    private readonly stabilizingNoise = 1e-12,
  ) {}

  value(x: ArrayLike<number>): number {
    const { mean, variance } = this.gpr.posterior(x);
    const sigma = Math.sqrt(variance + this.stabilizingNoise);
    return Math.log(sigma) + standardLogEI((mean - this.threshold) / sigma).value;
  }

  valueAndGradient(x: ArrayLike<number>): { value: number; gradient: Float64Array } {
    const p = this.gpr.posteriorWithGradient(x);
    const sigma = Math.sqrt(p.variance + this.stabilizingNoise);
    const z = (p.mean - this.threshold) / sigma;
    const h = standardLogEI(z);
    const gradient = new Float64Array(x.length);
    for (let c = 0; c < x.length; c++) {
      const dSigma = (p.dVariance[c] as number) / (2 * sigma);
      const dz = (p.dMean[c] as number) / sigma - (z / sigma) * dSigma;
      gradient[c] = dSigma / sigma + h.derivative * dz;
    }
    return { value: Math.log(sigma) + h.value, gradient };
  }
}
