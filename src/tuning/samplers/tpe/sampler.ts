/**
 * The Tree-structured Parzen Estimator sampler, after Optuna's `samplers/_tpe/sampler.py`
 * (single objective; Optuna 3.1.0's estimator by default, 4.9's with `kernels: "optuna4.9"`):
 * after `nStartupTrials` random trials, observations are split into the best gamma(n)
 * ("below") and the rest ("above"); `nEICandidates` draws from the below estimator l(x) are
 * scored by log l(x) - log g(x) and the best is returned. Pruned trials count, ranked after
 * all complete ones by the step they reached and then their last value; with `constantLiar`,
 * running trials count as worse than everything. `multivariate` samples the intersection
 * search space jointly; `group` splits it into groups of parameters that always appear
 * together (Optuna's `_GroupDecomposedSearchSpace`) and samples each group jointly.
 */
import { Random } from "../../../util/random";
import { Distribution, ParamValue } from "../../distributions";
import { FrozenTrial, lastStep } from "../../frozenTrial";
import { TrialState } from "../../state";
import { StudyView } from "../../studyView";
import { Sampler, SearchSpace } from "../base";
import { RandomSampler } from "../random";
import { groupDecomposedSearchSpace, intersectionSearchSpace } from "../searchSpace";
import { Columns, OPTUNA31_KERNELS, OPTUNA4_KERNELS, ParzenEstimator, ParzenEstimatorParameters } from "./parzenEstimator";

/** Optuna's default gamma: min(ceil(0.1 n), 25). */
export function defaultGamma(n: number): number {
  return Math.min(Math.ceil(0.1 * n), 25);
}

/** Hyperopt's gamma: min(ceil(0.25 sqrt(n)), 25). */
export function hyperoptDefaultGamma(n: number): number {
  return Math.min(Math.ceil(0.25 * Math.sqrt(n)), 25);
}

/** Optuna's default weights: 1 for the 25 most recent, a linear ramp from 1/n below that. */
export function defaultWeights(n: number): number[] {
  if (n === 0) return [];
  if (n < 25) return new Array<number>(n).fill(1);
  const m = n - 25;
  const ramp = Array.from({ length: m }, (_, i) => (m === 1 ? 1 / n : 1 / n + ((1 - 1 / n) * i) / (m - 1)));
  return [...ramp, ...new Array<number>(25).fill(1)];
}

/** Options of {@link TPESampler} (Optuna's names, camel-cased; Optuna's defaults). */
export interface TPESamplerOptions {
  considerPrior?: boolean;
  priorWeight?: number;
  considerMagicClip?: boolean;
  considerEndpoints?: boolean;
  nStartupTrials?: number;
  nEICandidates?: number;
  gamma?: (n: number) => number;
  weights?: (n: number) => number[];
  seed?: number;
  /** Sample the intersection search space jointly. */
  multivariate?: boolean;
  /** With `multivariate`: sample each group of always co-occurring parameters jointly. */
  group?: boolean;
  /**
   * Whose Parzen estimator: Optuna 3.1.0's (the default: kernels weighed by their mixture weight
   * only, the prior's centre among the bandwidth neighbours; it found better values than 4.9's on
   * seven of the sampler suite's eight functions, see docs/benchmarks.md) or Optuna 4.9's
   * (scaled kernel densities, bandwidths from the observations alone, discrete kernels for
   * log-scaled integers).
   */
  kernels?: "optuna4.9" | "optuna3.1";
  /** Treat running trials as worse than all others, to spread parallel workers. */
  constantLiar?: boolean;
  /**
   * Overrides the choice of `kernels` for one switch: properly scaled kernel densities (true,
   * Optuna 4) or Optuna 3.1.0's log-density without the -log(sigma) term (false).
   */
  scaledKernelDensity?: boolean;
}

interface Observation {
  /** Sort key: (stepKey, score), ascending is better. */
  stepKey: number;
  score: number;
  values: (number | null)[];
}

/** TPE sampler, seeded and reproducible. */
export class TPESampler implements Sampler {
  private readonly parameters: ParzenEstimatorParameters;
  private readonly nStartupTrials: number;
  private readonly nEICandidates: number;
  private readonly gamma: (n: number) => number;
  private readonly multivariate: boolean;
  private readonly group: boolean;
  private readonly constantLiar: boolean;
  private readonly rng: Random;
  private readonly randomSampler: RandomSampler;

  constructor(options: TPESamplerOptions = {}) {
    if (options.group === true && options.multivariate !== true) throw new Error("TPESampler: `group` can only be enabled when `multivariate` is enabled.");
    if (options.priorWeight !== undefined && !(options.priorWeight >= 0)) throw new Error(`TPESampler: priorWeight must be non-negative, got ${options.priorWeight}`);
    const kernels = options.kernels === "optuna4.9" ? OPTUNA4_KERNELS : OPTUNA31_KERNELS;
    this.parameters = {
      considerPrior: options.considerPrior ?? true,
      priorWeight: options.priorWeight ?? 1,
      considerMagicClip: options.considerMagicClip ?? true,
      considerEndpoints: options.considerEndpoints ?? false,
      weights: options.weights ?? defaultWeights,
      multivariate: options.multivariate ?? false,
      ...kernels,
      ...(options.scaledKernelDensity === undefined ? {} : { scaledKernelDensity: options.scaledKernelDensity }),
    };
    this.nStartupTrials = options.nStartupTrials ?? 10;
    this.nEICandidates = options.nEICandidates ?? 24;
    this.gamma = options.gamma ?? defaultGamma;
    this.multivariate = options.multivariate ?? false;
    this.group = options.group ?? false;
    this.constantLiar = options.constantLiar ?? false;
    const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
    this.rng = new Random(seed);
    this.randomSampler = new RandomSampler({ seed: seed + 1 });
  }

  inferRelativeSearchSpace(study: StudyView): SearchSpace {
    if (!this.multivariate) return {};
    const space: SearchSpace = {};
    const groups = this.group ? groupDecomposedSearchSpace(study, true) : [intersectionSearchSpace(study, true)];
    for (const group of groups) for (const [name, dist] of Object.entries(group)) if (!dist.single()) space[name] = dist;
    return space;
  }

  sampleRelative(study: StudyView, _trial: FrozenTrial, searchSpace: SearchSpace): Record<string, ParamValue> {
    if (Object.keys(searchSpace).length === 0) return {};
    const subspaces: SearchSpace[] = [];
    if (this.group) {
      for (const group of groupDecomposedSearchSpace(study, true)) {
        const sub: SearchSpace = {};
        for (const name of Object.keys(group).sort()) if (searchSpace[name] !== undefined) sub[name] = searchSpace[name] as Distribution;
        if (Object.keys(sub).length > 0) subspaces.push(sub);
      }
    } else subspaces.push(searchSpace);
    const out: Record<string, ParamValue> = {};
    for (const sub of subspaces) {
      const names = Object.keys(sub);
      const observations = this.observationPairs(study, names);
      const n = observations.filter((o) => o.stepKey !== Infinity).length;
      if (n < this.nStartupTrials) return {};
      const best = this.sampleByRatio(observations, names, sub, n);
      for (const name of names) out[name] = (sub[name] as Distribution).toExternalRepr(best[name] as number);
    }
    return out;
  }

  sampleIndependent(study: StudyView, trial: FrozenTrial, name: string, distribution: Distribution): ParamValue {
    const observations = this.observationPairs(study, [name]);
    const n = observations.filter((o) => o.stepKey !== Infinity).length;
    if (n < this.nStartupTrials) return this.randomSampler.sampleIndependent(study, trial, name, distribution);
    const best = this.sampleByRatio(observations, [name], { [name]: distribution }, n);
    return distribution.toExternalRepr(best[name] as number);
  }

  private sampleByRatio(observations: Observation[], names: string[], searchSpace: SearchSpace, n: number): Record<string, number> {
    const { below, above } = splitObservations(observations, this.gamma(n));
    const mpeBelow = new ParzenEstimator(columns(below, names), searchSpace, this.parameters);
    const mpeAbove = new ParzenEstimator(columns(above, names), searchSpace, this.parameters);
    const samples = mpeBelow.sample(this.rng, this.nEICandidates);
    const logL = mpeBelow.logPdf(samples);
    const logG = mpeAbove.logPdf(samples);
    let bestIndex = 0;
    let bestScore = -Infinity;
    for (let i = 0; i < logL.length; i++) {
      const score = (logL[i] as number) - (logG[i] as number);
      if (score > bestScore) {
        bestScore = score;
        bestIndex = i;
      }
    }
    const out: Record<string, number> = {};
    for (const name of names) out[name] = (samples[name] as Float64Array)[bestIndex] as number;
    return out;
  }

  /** Optuna's `_get_observation_pairs` (single objective). */
  private observationPairs(study: StudyView, names: string[]): Observation[] {
    const sign = study.direction === "MINIMIZE" ? 1 : -1;
    const states: TrialState[] = this.constantLiar ? ["COMPLETE", "PRUNED", "RUNNING"] : ["COMPLETE", "PRUNED"];
    const out: Observation[] = [];
    for (const trial of study.getTrials({ states })) {
      let stepKey: number;
      let score: number;
      if (trial.state === "COMPLETE") {
        if (trial.value === null) continue;
        stepKey = -Infinity;
        score = sign * trial.value;
      } else if (trial.state === "PRUNED") {
        const step = lastStep(trial);
        if (step !== null) {
          const v = trial.intermediateValues.get(step) as number;
          stepKey = -step;
          score = Number.isNaN(v) ? Infinity : sign * v;
        } else {
          stepKey = 1;
          score = 0;
        }
      } else {
        stepKey = Infinity;
        score = Infinity;
      }
      const values = names.map((name) => {
        const dist = trial.distributions[name];
        return dist === undefined ? null : dist.toInternalRepr(trial.params[name] as ParamValue);
      });
      out.push({ stepKey, score, values });
    }
    return out;
  }
}

/** Stable split into the `nBelow` best observations and the rest, each kept in trial order. */
function splitObservations(observations: Observation[], nBelow: number): { below: Observation[]; above: Observation[] } {
  const order = observations.map((_, i) => i);
  order.sort((a, b) => {
    const oa = observations[a] as Observation;
    const ob = observations[b] as Observation;
    if (oa.stepKey !== ob.stepKey) return oa.stepKey < ob.stepKey ? -1 : 1;
    if (oa.score !== ob.score) return oa.score < ob.score || Number.isNaN(ob.score) ? -1 : 1;
    return a - b;
  });
  const belowIdx = order.slice(0, nBelow).sort((a, b) => a - b);
  const aboveIdx = order.slice(nBelow).sort((a, b) => a - b);
  return { below: belowIdx.map((i) => observations[i] as Observation), above: aboveIdx.map((i) => observations[i] as Observation) };
}

/** Observations of the named parameters, from the trials that have all of them (Optuna's mask). */
function columns(observations: Observation[], names: string[]): Columns {
  const kept = observations.filter((o) => o.values.every((v) => v !== null));
  const out: Columns = {};
  names.forEach((name, j) => {
    out[name] = Float64Array.from(kept, (o) => o.values[j] as number);
  });
  return out;
}
