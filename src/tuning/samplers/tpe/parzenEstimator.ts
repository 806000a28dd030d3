/**
 * The Parzen estimator of TPE (Optuna's `samplers/_tpe/parzen_estimator.py`): a weighted
 * mixture with one kernel per observation plus a prior kernel. Numerical parameters get
 * truncated Gaussians in the (log-)transformed space, widened by half a step for discrete
 * ones; categorical parameters get a categorical kernel that puts mass 1 + w on the observed
 * choice and w = priorWeight / (n + 1) on every choice.
 *
 * Three switches select Optuna 4.9's estimator or Optuna 3.1.0's (see
 * {@link ParzenEstimatorParameters}): whether the continuous kernels' log-density keeps its
 * -log(sigma) term (3.1.0 drops it), whether the prior's centre counts as a neighbour when the
 * bandwidths are set (3.1), and whether log-scaled integers get a discrete kernel (4.9).
 */
import { Random } from "../../../util/random";
import { Distribution } from "../../distributions";
import { SearchSpace } from "../base";
import { logGaussMass, truncnormPpf } from "./truncnorm";

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

const EPS = 1e-12;
const SIGMA0_MAGNITUDE = 0.2;

/** Estimator options (the TPE sampler's). */
export interface ParzenEstimatorParameters {
  considerPrior: boolean;
  priorWeight: number;
  considerMagicClip: boolean;
  considerEndpoints: boolean;
  weights: (n: number) => number[];
  multivariate: boolean;
  /**
   * Include the -log(sigma) term of each truncated Gaussian kernel's density. Optuna 3.1.0's
   * `_truncnorm.logpdf` omits it (later releases restore it); false (the default here)
   * reproduces 3.1.0 exactly.
   */
  scaledKernelDensity?: boolean;
  /**
   * Count the prior's centre among the neighbours that set each observation's bandwidth, as
   * Optuna 3.1 does (the default here); Optuna 4 sets bandwidths from the observations alone.
   */
  priorInBandwidth?: boolean;
  /**
   * Give log-scaled integers a discrete kernel (the mass of [k - 1/2, k + 1/2] in log space),
   * as Optuna 4 does; Optuna 3.1 (the default here) uses the continuous log-space density.
   */
  discreteLogInt?: boolean;
}

/** Optuna 4.9's estimator switches. */
export const OPTUNA4_KERNELS = { scaledKernelDensity: true, priorInBandwidth: false, discreteLogInt: true } as const;
/** Optuna 3.1.0's estimator switches. */
export const OPTUNA31_KERNELS = { scaledKernelDensity: false, priorInBandwidth: true, discreteLogInt: false } as const;

interface NumericalKernel {
  kind: "numerical";
  low: number;
  high: number;
  q: number | null;
  /** A log-scaled integer with a discrete kernel: mass of [k - 1/2, k + 1/2] in log space. */
  logDiscrete: boolean;
  mus: Float64Array;
  sigmas: Float64Array;
  /** log of each kernel's mass on [low, high]. */
  logMass: Float64Array;
  /** log of each kernel's sigma. */
  logSigma: Float64Array;
}

interface CategoricalKernel {
  kind: "categorical";
  /** Row-major [component][choice] probabilities. */
  probs: Float64Array;
  nChoices: number;
}

/** Observations or samples in internal representation, by parameter name. */
export type Columns = Record<string, Float64Array>;

/** A mixture over a search space, built from observations (internal representation). */
export class ParzenEstimator {
  private readonly weights: Float64Array;
  private readonly kernels: Record<string, NumericalKernel | CategoricalKernel> = {};

  constructor(
    observations: Columns,
    private readonly searchSpace: SearchSpace,
    private readonly parameters: ParzenEstimatorParameters,
  ) {
    const names = Object.keys(searchSpace);
    const n = (observations[names[0] as string] as Float64Array).length;
    const considerPrior = parameters.considerPrior || n === 0;
    this.weights = computeWeights(n, considerPrior, parameters);
    const sigma0 = parameters.multivariate ? SIGMA0_MAGNITUDE * Math.max(n, 1) ** (-1 / (names.length + 4)) : null;
    for (const name of names) {
      const dist = searchSpace[name] as Distribution;
      const obs = observations[name] as Float64Array;
      if (dist.kind === "categorical") {
        this.kernels[name] = categoricalKernel(obs, dist.choices.length, considerPrior, parameters.priorWeight);
      } else {
        const transformed = dist.log ? obs.map(Math.log) : obs;
        this.kernels[name] = numericalKernel(transformed, dist, considerPrior, parameters, sigma0);
      }
    }
  }

  /**
   * The mixture's weights and each parameter's kernels: centres and bandwidths in the
   * (log-)transformed space, or the categorical kernels' probabilities (row per component).
   */
  describe(): { weights: Float64Array; kernels: Record<string, { mus: Float64Array; sigmas: Float64Array } | { probs: Float64Array[] }> } {
    const kernels: Record<string, { mus: Float64Array; sigmas: Float64Array } | { probs: Float64Array[] }> = {};
    for (const [name, k] of Object.entries(this.kernels)) {
      if (k.kind === "numerical") kernels[name] = { mus: k.mus, sigmas: k.sigmas };
      else kernels[name] = { probs: Array.from({ length: k.probs.length / k.nChoices }, (_, r) => k.probs.subarray(r * k.nChoices, (r + 1) * k.nChoices)) };
    }
    return { weights: this.weights, kernels };
  }

  /** `size` draws (internal representation). */
  sample(rng: Random, size: number): Columns {
    const cumulative = new Float64Array(this.weights.length);
    let acc = 0;
    for (let i = 0; i < this.weights.length; i++) cumulative[i] = acc += this.weights[i] as number;
    const active = new Int32Array(size);
    for (let s = 0; s < size; s++) {
      const u = rng.random() * acc;
      let k = 0;
      while (k < cumulative.length - 1 && (cumulative[k] as number) <= u) k++;
      active[s] = k;
    }
    const out: Columns = {};
    for (const [name, dist] of Object.entries(this.searchSpace)) {
      const kernel = this.kernels[name] as NumericalKernel | CategoricalKernel;
      const samples = new Float64Array(size);
      if (kernel.kind === "categorical") {
        for (let s = 0; s < size; s++) {
          const row = (active[s] as number) * kernel.nChoices;
          const u = rng.random();
          let c = 0;
          let cum = kernel.probs[row] as number;
          while (c < kernel.nChoices - 1 && cum < u) cum += kernel.probs[row + ++c] as number;
          samples[s] = c;
        }
      } else {
        for (let s = 0; s < size; s++) {
          const k = active[s] as number;
          const mu = kernel.mus[k] as number;
          const sigma = kernel.sigmas[k] as number;
          const x = truncnormPpf(rng.random(), (kernel.low - mu) / sigma, (kernel.high - mu) / sigma) * sigma + mu;
          samples[s] = fromTransformed(x, dist, kernel.q);
        }
      }
      out[name] = samples;
    }
    return out;
  }

  /** log-density of each sample (internal representation) under the mixture. */
  logPdf(samples: Columns): Float64Array {
    const names = Object.keys(this.searchSpace);
    const nSamples = (samples[names[0] as string] as Float64Array).length;
    const nComponents = this.weights.length;
    const scaled = this.parameters.scaledKernelDensity === true;
    const component = new Float64Array(nSamples * nComponents);
    for (let k = 0; k < nComponents; k++) {
      const lw = Math.log(this.weights[k] as number);
      for (let s = 0; s < nSamples; s++) component[s * nComponents + k] = lw;
    }
    for (const name of names) {
      const dist = this.searchSpace[name] as Distribution;
      const kernel = this.kernels[name] as NumericalKernel | CategoricalKernel;
      const xs = samples[name] as Float64Array;
      for (let s = 0; s < nSamples; s++) {
        const raw = xs[s] as number;
        const base = s * nComponents;
        if (kernel.kind === "categorical") {
          const c = raw | 0;
          for (let k = 0; k < nComponents; k++) component[base + k] += Math.log(kernel.probs[k * kernel.nChoices + c] as number);
          continue;
        }
        const x = dist.kind !== "categorical" && dist.log ? Math.log(raw) : raw;
        for (let k = 0; k < nComponents; k++) {
          const mu = kernel.mus[k] as number;
          const sigma = kernel.sigmas[k] as number;
          let lp: number;
          if (kernel.logDiscrete) {
            lp = logGaussMass((Math.log(raw - 0.5) - mu) / sigma, (Math.log(raw + 0.5) - mu) / sigma) - (kernel.logMass[k] as number);
          } else if (kernel.q === null) {
            // truncnormLogPdf with the kernel's precomputed log-mass on [low, high].
            const z = (x - mu) / sigma;
            lp = x < kernel.low || x > kernel.high ? -Infinity : -0.5 * z * z - LOG_SQRT_2PI - (kernel.logMass[k] as number) - (scaled ? (kernel.logSigma[k] as number) : 0);
          } else {
            const upper = Math.min(x + kernel.q / 2, kernel.high);
            const lower = Math.max(x - kernel.q / 2, kernel.low);
            lp = logGaussMass((lower - mu) / sigma, (upper - mu) / sigma) - (kernel.logMass[k] as number);
          }
          component[base + k] += lp;
        }
      }
    }
    const out = new Float64Array(nSamples);
    for (let s = 0; s < nSamples; s++) {
      let max = -Infinity;
      for (let k = 0; k < nComponents; k++) max = Math.max(max, component[s * nComponents + k] as number);
      if (max === -Infinity) {
        out[s] = -Infinity;
        continue;
      }
      let sum = 0;
      for (let k = 0; k < nComponents; k++) sum += Math.exp((component[s * nComponents + k] as number) - max);
      out[s] = Math.log(sum) + max;
    }
    return out;
  }
}

function computeWeights(n: number, considerPrior: boolean, parameters: ParzenEstimatorParameters): Float64Array {
  const w = parameters.weights(n).slice(0, n);
  if (w.some((v) => v < 0)) throw new Error(`The \`weights\` function is not allowed to return negative values ${w}. The argument of the \`weights\` function is ${n}.`);
  if (w.length > 0 && w.reduce((a, b) => a + b, 0) <= 0) throw new Error(`The \`weight\` function is not allowed to return all-zero values ${w}.`);
  if (!w.every(Number.isFinite)) throw new Error(`The \`weights\` function is not allowed to return infinite or NaN values ${w}.`);
  const weights = new Float64Array(considerPrior ? n + 1 : n);
  weights.set(w);
  if (considerPrior) weights[n] = parameters.priorWeight;
  const total = weights.reduce((a, b) => a + b, 0);
  for (let i = 0; i < weights.length; i++) weights[i] = (weights[i] as number) / total;
  return weights;
}

function parzenBounds(dist: Exclude<Distribution, { kind: "categorical" }>): { low: number; high: number; q: number | null } {
  if (dist.kind === "float") {
    if (dist.log) return { low: Math.log(dist.low), high: Math.log(dist.high), q: null };
    if (dist.step !== null) return { low: dist.low - 0.5 * dist.step, high: dist.high + 0.5 * dist.step, q: dist.step };
    return { low: dist.low, high: dist.high, q: null };
  }
  if (dist.log) return { low: Math.log(dist.low - 0.5), high: Math.log(dist.high + 0.5), q: null };
  return { low: dist.low - 0.5 * dist.step, high: dist.high + 0.5 * dist.step, q: dist.step };
}

function numericalKernel(
  observations: Float64Array,
  dist: Exclude<Distribution, { kind: "categorical" }>,
  considerPrior: boolean,
  parameters: ParzenEstimatorParameters,
  sigma0: number | null,
): NumericalKernel {
  const { low, high, q } = parzenBounds(dist);
  const n = observations.length;
  const m = considerPrior ? n + 1 : n;
  const mus = new Float64Array(m);
  mus.set(observations);
  if (considerPrior) mus[n] = 0.5 * (low + high);
  const sigmas = new Float64Array(m);
  if (sigma0 !== null) sigmas.fill(sigma0 * (high - low));
  else {
    const neighbours = considerPrior && parameters.priorInBandwidth !== false ? m : n;
    sigmas.set(neighbourBandwidths(mus.subarray(0, neighbours), low, high, parameters.considerEndpoints));
  }
  const maxSigma = high - low;
  const minSigma = parameters.considerMagicClip ? (high - low) / Math.min(100, 1 + m) : EPS;
  for (let i = 0; i < m; i++) sigmas[i] = Math.min(maxSigma, Math.max(minSigma, sigmas[i] as number));
  if (considerPrior) sigmas[n] = high - low;
  const logMass = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const mu = mus[i] as number;
    const s = sigmas[i] as number;
    logMass[i] = logGaussMass((low - mu) / s, (high - mu) / s);
  }
  const logDiscrete = parameters.discreteLogInt === true && dist.kind === "int" && dist.log;
  return { kind: "numerical", low, high, q, logDiscrete, mus, sigmas, logMass, logSigma: sigmas.map(Math.log) };
}

/**
 * Each centre's bandwidth: the larger gap to its sorted neighbours, with `low` and `high` as
 * outer neighbours; without `considerEndpoints` the outermost centres take their inner gap.
 */
function neighbourBandwidths(mus: Float64Array, low: number, high: number, considerEndpoints: boolean): Float64Array {
  const m = mus.length;
  const order = Array.from(mus.keys()).sort((a, b) => (mus[a] as number) - (mus[b] as number));
  const ends = [low, ...order.map((i) => mus[i] as number), high];
  const sorted = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    sorted[i] = Math.max((ends[i + 1] as number) - (ends[i] as number), (ends[i + 2] as number) - (ends[i + 1] as number));
  }
  if (!considerEndpoints && ends.length >= 4) {
    sorted[0] = (ends[2] as number) - (ends[1] as number);
    sorted[m - 1] = (ends[ends.length - 2] as number) - (ends[ends.length - 3] as number);
  }
  const sigmas = new Float64Array(m);
  order.forEach((original, rank) => (sigmas[original] = sorted[rank] as number));
  return sigmas;
}

function categoricalKernel(observations: Float64Array, nChoices: number, considerPrior: boolean, priorWeight: number): CategoricalKernel {
  const n = observations.length;
  const rows = considerPrior ? n + 1 : n;
  const value = considerPrior ? priorWeight / (n + 1) : priorWeight / n;
  const probs = new Float64Array(rows * nChoices).fill(value);
  for (let i = 0; i < n; i++) probs[i * nChoices + (observations[i] as number)] += 1;
  for (let r = 0; r < rows; r++) {
    let total = 0;
    for (let c = 0; c < nChoices; c++) total += probs[r * nChoices + c] as number;
    for (let c = 0; c < nChoices; c++) probs[r * nChoices + c] = (probs[r * nChoices + c] as number) / total;
  }
  return { kind: "categorical", probs, nChoices };
}

/** Back from the kernel space to the distribution's internal representation (rounded, clipped). */
function fromTransformed(x: number, dist: Distribution, q: number | null): number {
  if (dist.kind === "categorical") return x;
  if (dist.kind === "float") {
    if (dist.log) return Math.exp(x);
    if (dist.step === null) return x;
    return clip(Math.round((x - dist.low) / (q as number)) * (q as number) + dist.low, dist.low, dist.high);
  }
  if (dist.log) return clip(Math.round(Math.exp(x)), dist.low, dist.high);
  return clip(Math.round((x - dist.low) / (q as number)) * (q as number) + dist.low, dist.low, dist.high);
}

function clip(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}
