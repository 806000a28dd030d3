/**
 * A Gaussian-process sampler in the spirit of Optuna 4.5's `GPSampler` (single objective):
 * after `nStartupTrials` random trials, the intersection search space's complete trials are
 * normalised (see {@link GPSearchSpace}), their values standardised, a Matern 5/2 GP with
 * automatic relevance determination is fitted by maximum a-posteriori marginal likelihood
 * (warm-started from the previous trial's fit), and the next point maximises the log expected
 * improvement over the best value, from many starts. Dynamic parameters fall back to an
 * independent sampler. Pruned trials are not used (as in Optuna).
 */
import { Random } from "../../../util/random";
import { ParamValue } from "../../distributions";
import { FrozenTrial } from "../../frozenTrial";
import { StudyView } from "../../studyView";
import { Sampler, SearchSpace } from "../base";
import { WithIndependentSampler } from "../fallback";
import { RandomSampler } from "../random";
import { intersectionSearchSpace } from "../searchSpace";
import { LogEI } from "./acquisition";
import { fitKernelParams } from "./fit";
import { optimizeAcqfMixed } from "./optimizeAcqf";
import { KernelParams } from "./regressor";
import { GPSearchSpace } from "./searchSpace";

/** Options of {@link GPSampler} (Optuna's names, camel-cased; Optuna's defaults). */
export interface GPSamplerOptions {
  seed?: number;
  /** For the startup trials and dynamic parameters (default a RandomSampler with the same seed). */
  independentSampler?: Sampler;
  /** Complete trials before the GP is used (default 10). */
  nStartupTrials?: number;
  /** The objective has no noise: the noise variance stays at its minimum (1e-6). */
  deterministicObjective?: boolean;
  /** Random candidates scored before the local searches (default 2048). */
  nPreliminarySamples?: number;
  /** Local searches of the acquisition function (default 10). */
  nLocalSearch?: number;
}

const EPS = 1e-10;

/** GP-based Bayesian optimisation, seeded and reproducible. */
export class GPSampler extends WithIndependentSampler {
  private readonly rng: Random;
  private readonly nStartupTrials: number;
  private readonly deterministic: boolean;
  private readonly nPreliminarySamples: number;
  private readonly nLocalSearch: number;
  private cache: KernelParams | null = null;

  constructor(options: GPSamplerOptions = {}) {
    const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
    super(options.independentSampler ?? new RandomSampler({ seed }));
    this.rng = new Random(seed);
    this.nStartupTrials = options.nStartupTrials ?? 10;
    this.deterministic = options.deterministicObjective ?? false;
    this.nPreliminarySamples = options.nPreliminarySamples ?? 2048;
    this.nLocalSearch = options.nLocalSearch ?? 10;
    if (!(this.nLocalSearch >= 2)) throw new Error(`GPSampler: nLocalSearch must be at least 2, got ${this.nLocalSearch}`);
  }

  inferRelativeSearchSpace(study: StudyView): SearchSpace {
    const space: SearchSpace = {};
    for (const [name, dist] of Object.entries(intersectionSearchSpace(study, false))) if (!dist.single()) space[name] = dist;
    return space;
  }

  sampleRelative(study: StudyView, _trial: FrozenTrial, searchSpace: SearchSpace): Record<string, ParamValue> {
    if (Object.keys(searchSpace).length === 0) return {};
    const trials = study.getTrials({ states: ["COMPLETE"] }).filter((t) => t.value !== null);
    if (trials.length < this.nStartupTrials) return {};
    const space = new GPSearchSpace(searchSpace);
    const n = trials.length;
    const dim = space.dim;
    const X = new Float64Array(n * dim);
    trials.forEach((t, i) => X.set(space.normalize(t.params), i * dim));
    const sign = study.direction === "MINIMIZE" ? -1 : 1;
    const y = standardize(trials.map((t) => sign * (t.value as number)));
    if (this.cache && this.cache.inverseSquaredLengthscales.length !== dim) this.cache = null;
    const gpr = fitKernelParams(X, y, space.isCategorical, { deterministic: this.deterministic, ...(this.cache ? { initial: this.cache } : {}) });
    this.cache = gpr.params;
    let bestI = 0;
    for (let i = 1; i < n; i++) if ((y[i] as number) > (y[bestI] as number)) bestI = i;
    const acqf = new LogEI(gpr, y[bestI] as number);
    const best = optimizeAcqfMixed(acqf, space, this.rng, {
      warmStarts: [X.slice(bestI * dim, (bestI + 1) * dim)],
      nPreliminarySamples: this.nPreliminarySamples,
      nLocalSearch: this.nLocalSearch,
    });
    return space.unnormalize(best.x);
  }
}

/** (v - mean) / max(EPS, population std), infinities clipped to the finite extremes first. */
export function standardize(values: number[]): Float64Array {
  const finite = values.filter(Number.isFinite);
  const lo = finite.length ? Math.min(...finite) : 0;
  const hi = finite.length ? Math.max(...finite) : 0;
  const v = values.map((x) => Math.min(hi, Math.max(lo, x)));
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const std = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
  return Float64Array.from(v, (x) => (x - mean) / Math.max(EPS, std));
}
