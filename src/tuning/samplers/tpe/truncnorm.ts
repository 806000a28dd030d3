/**
 * The truncated normal pieces TPE needs, after Optuna 3.1's `samplers/_tpe/_truncnorm.py`
 * (itself after SciPy): log of Gaussian mass on an interval, log-pdf and inverse-CDF sampling.
 */
import { erf, erfc } from "./erf";

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** Standard normal CDF. */
export function ndtr(a: number): number {
  const x = a / Math.SQRT2;
  if (x < -Math.SQRT1_2) return 0.5 * erfc(-x);
  if (x < Math.SQRT1_2) return 0.5 + 0.5 * erf(x);
  return 1 - 0.5 * erfc(x);
}

/** log of the standard normal CDF, with the asymptotic series below -20. */
export function logNdtr(a: number): number {
  if (a > 6) return -ndtr(-a);
  if (a > -20) return Math.log(ndtr(a));
  const logLhs = -0.5 * a * a - Math.log(-a) - LOG_SQRT_2PI;
  let lastTotal = 0;
  let rhs = 1;
  let numerator = 1;
  let denomFactor = 1;
  const denomCons = 1 / (a * a);
  let sign = 1;
  let i = 0;
  while (Math.abs(lastTotal - rhs) > Number.EPSILON) {
    i++;
    lastTotal = rhs;
    sign = -sign;
    denomFactor *= denomCons;
    numerator *= 2 * i - 1;
    rhs += sign * numerator * denomFactor;
  }
  return logLhs + Math.log(rhs);
}

function logDiff(logP: number, logQ: number): number {
  return logP + Math.log1p(-Math.exp(logQ - logP));
}

function logSum(logP: number, logQ: number): number {
  const m = Math.max(logP, logQ);
  if (m === -Infinity) return -Infinity;
  return m + Math.log(Math.exp(logP - m) + Math.exp(logQ - m));
}

/** log of the standard normal mass on [a, b]. */
export function logGaussMass(a: number, b: number): number {
  if (b <= 0) return logDiff(logNdtr(b), logNdtr(a));
  if (a > 0) return logDiff(logNdtr(-a), logNdtr(-b));
  return Math.log1p(-ndtr(a) - ndtr(-b));
}

function bisect(f: (x: number) => number, lo: number, hi: number, c: number): number {
  let a = lo;
  let b = hi;
  if (f(a) > c) [a, b] = [b, a];
  let m = (a + b) / 2;
  for (let i = 0; i < 100; i++) {
    m = (a + b) / 2;
    if (f(m) < c) a = m;
    else b = m;
  }
  return m;
}

function ndtriExp(y: number): number {
  return bisect(logNdtr, -100, 100, y);
}

/** Quantile `q` of the standard normal truncated to [a, b]. */
export function truncnormPpf(q: number, a: number, b: number): number {
  if (a === b) return NaN;
  if (q === 0) return a;
  if (q === 1) return b;
  if (a < 0) return ndtriExp(logSum(logNdtr(a), Math.log(q) + logGaussMass(a, b)));
  return -ndtriExp(logSum(logNdtr(-b), Math.log1p(-q) + logGaussMass(a, b)));
}

/** log-density at x of N(loc, scale) truncated to [loc + a*scale, loc + b*scale]. */
export function truncnormLogPdf(x: number, a: number, b: number, loc: number, scale: number): number {
  const z = (x - loc) / scale;
  if (a === b) return NaN;
  if (z < a || z > b) return -Infinity;
  return -(z * z) / 2 - LOG_SQRT_2PI - logGaussMass(a, b);
}
