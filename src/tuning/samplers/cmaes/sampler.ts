/**
 * A CMA-ES sampler in the shape of Optuna's `CmaEsSampler` (4.9, plus the IPOP/BIPOP restarts of
 * Optuna 3.3-4.3): the intersection search space's numerical parameters are searched jointly in
 * [0, 1] coordinates (log-scaled ones in log space, integers widened by half a step and rounded
 * back); categorical and dynamic parameters fall back to an independent sampler. Each
 * generation waits for `popsize` complete trials of that generation, then updates the
 * optimiser, whose state is stored as JSON in the asking trial's system attributes (so a study
 * in an RDB storage resumes where it stopped). `sourceTrials` warm-starts the distribution from
 * another study's trials.
 */
import { Random } from "../../../util/random";
import { ParamValue } from "../../distributions";
import { FrozenTrial, lastStep } from "../../frozenTrial";
import { JsonValue } from "../../json";
import { TrialState } from "../../state";
import { StudyView } from "../../studyView";
import { Sampler, SearchSpace } from "../base";
import { WithIndependentSampler } from "../fallback";
import { RandomSampler } from "../random";
import { intersectionSearchSpace } from "../searchSpace";
import { isNumerical, NumericalDistribution, SearchSpaceTransform } from "../transform";
import { CMA, CMAState } from "./cma";
import { warmStartMgd } from "./warmStart";

/** Options of {@link CmaEsSampler} (Optuna's names, camel-cased; Optuna's defaults). */
export interface CmaEsSamplerOptions {
  /** Initial mean (external values by name; default the centre of the space). */
  x0?: Record<string, number>;
  /** Initial step size in [0, 1] coordinates (default 1/6 of the narrowest range, i.e. 1/6). */
  sigma0?: number;
  /** Complete trials before CMA-ES starts (default 1). */
  nStartupTrials?: number;
  /** For categorical and dynamic parameters (default a RandomSampler with the same seed). */
  independentSampler?: Sampler;
  seed?: number;
  /** Count pruned trials, valued by their last intermediate value. */
  considerPrunedTrials?: boolean;
  /** Restart when the optimiser stops: IPOP (population doubled) or BIPOP (alternating regimes). */
  restartStrategy?: "ipop" | "bipop" | null;
  /** Population size (default 4 + floor(3 ln n)). */
  popsize?: number;
  /** Population multiplier per restart (default 2). */
  incPopsize?: number;
  /** Trials of a similar study to warm-start from (WS-CMA-ES); excludes x0 and sigma0. */
  sourceTrials?: FrozenTrial[];
}

const EPS = 1e-10;
/** Optuna's limit for one system attribute value on RDB storages. */
const ATTR_MAX_LENGTH = 2045;

interface RestartState {
  popsize: number;
  nRestarts: number;
  nRestartsWithLarge: number;
  poptype: "small" | "large";
  smallNEval: number;
  largeNEval: number;
}

/** CMA-ES over the numerical parameters, seeded and reproducible. */
export class CmaEsSampler extends WithIndependentSampler {
  private readonly cmaRng: Random;
  private readonly nStartupTrials: number;
  private readonly considerPruned: boolean;
  private readonly restartStrategy: "ipop" | "bipop" | null;
  private readonly incPopsize: number;
  private initialPopsize: number | undefined;
  private readonly prefix = "cma:";

  constructor(private readonly options: CmaEsSamplerOptions = {}) {
    const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
    super(options.independentSampler ?? new RandomSampler({ seed }));
    if (options.sourceTrials !== undefined && (options.x0 !== undefined || options.sigma0 !== undefined)) {
      throw new Error("CmaEsSampler: it is prohibited to pass `sourceTrials` when x0 or sigma0 is specified.");
    }
    if (options.restartStrategy != null && options.restartStrategy !== "ipop" && options.restartStrategy !== "bipop") {
      throw new Error(`CmaEsSampler: restartStrategy=${String(options.restartStrategy)} is unsupported; use "ipop", "bipop" or null.`);
    }
    if (options.popsize !== undefined && !(Number.isInteger(options.popsize) && options.popsize > 0)) throw new Error(`CmaEsSampler: popsize must be a positive integer, got ${options.popsize}`);
    this.cmaRng = new Random(seed);
    this.nStartupTrials = options.nStartupTrials ?? 1;
    this.considerPruned = options.considerPrunedTrials ?? false;
    this.restartStrategy = options.restartStrategy ?? null;
    this.incPopsize = options.incPopsize ?? 2;
    this.initialPopsize = options.popsize;
  }

  inferRelativeSearchSpace(study: StudyView): SearchSpace {
    const space: SearchSpace = {};
    for (const [name, dist] of Object.entries(intersectionSearchSpace(study, false))) {
      if (dist.single() || !isNumerical(dist)) continue;
      space[name] = dist;
    }
    return space;
  }

  sampleRelative(study: StudyView, trial: FrozenTrial, searchSpace: SearchSpace): Record<string, ParamValue> {
    if (Object.keys(searchSpace).length === 0) return {};
    const completed = this.completedTrials(study);
    if (completed.length < this.nStartupTrials) return {};
    const trans = new SearchSpaceTransform(searchSpace as Record<string, NumericalDistribution>, { transformStep: true, transform01: true });
    this.initialPopsize ??= 4 + Math.floor(3 * Math.log(trans.dim));
    const restart = this.restartState(completed);
    let optimizer = this.restoreOptimizer(completed, restart.nRestarts) ?? this.initOptimizer(trans, study, this.initialPopsize, false);
    if (optimizer.dim !== trans.dim) return {};

    const generationKey = this.generationKey(restart.nRestarts);
    const solutionTrials = completed.filter((t) => t.systemAttrs[generationKey] === optimizer.generation);
    if (solutionTrials.length >= optimizer.populationSize) {
      const sign = study.direction === "MINIMIZE" ? 1 : -1;
      optimizer.tell(solutionTrials.slice(0, optimizer.populationSize).map((t) => ({ x: trans.transform(t.params), value: sign * (t.value as number) })));
      if (this.restartStrategy !== null && optimizer.shouldStop()) {
        this.nextRestart(restart, optimizer);
        optimizer = this.initOptimizer(trans, study, restart.popsize, true);
      }
      this.storeOptimizer(study, trial, optimizer, restart.nRestarts);
    }
    optimizer.reseed(1 + this.cmaRng.int(2 ** 16 - 1) + trial.number);
    const params = optimizer.ask();
    const attrs: Record<string, JsonValue> = { [this.generationKey(restart.nRestarts)]: optimizer.generation };
    if (this.restartStrategy !== null) {
      const p = this.prefix;
      Object.assign(attrs, {
        [`${p}${this.restartStrategy}:popsize`]: restart.popsize,
        [`${p}${this.restartStrategy}:n_restarts`]: restart.nRestarts,
        [`${p}n_restarts_with_large`]: restart.nRestartsWithLarge,
        [`${p}poptype`]: restart.poptype,
        [`${p}small_n_eval`]: restart.smallNEval,
        [`${p}large_n_eval`]: restart.largeNEval,
      });
    }
    for (const [key, value] of Object.entries(attrs)) study.setTrialSystemAttr(trial.trialId, key, value);
    return trans.untransform(params);
  }

  /** BIPOP: alternate small populations (random size, cheap) and doubled large ones by evaluations spent. */
  private nextRestart(r: RestartState, optimizer: CMA): void {
    r.nRestarts++;
    const initial = this.initialPopsize as number;
    if (this.restartStrategy === "ipop") {
      r.popsize *= this.incPopsize;
      return;
    }
    const nEval = r.popsize * optimizer.generation;
    if (r.poptype === "small") r.smallNEval += nEval;
    else r.largeNEval += nEval;
    if (r.smallNEval < r.largeNEval) {
      r.poptype = "small";
      const multiplier = this.incPopsize ** r.nRestartsWithLarge;
      r.popsize = Math.floor(initial * multiplier ** (this.cmaRng.random() ** 2));
    } else {
      r.poptype = "large";
      r.nRestartsWithLarge++;
      r.popsize = initial * this.incPopsize ** r.nRestartsWithLarge;
    }
  }

  private restartState(completed: FrozenTrial[]): RestartState {
    const latest = completed[completed.length - 1];
    const attr = (key: string): JsonValue | undefined => latest?.systemAttrs[`${this.prefix}${key}`];
    const strategy = this.restartStrategy ?? "";
    const num = (v: JsonValue | undefined, fallback: number): number => (typeof v === "number" ? v : fallback);
    return {
      popsize: num(attr(`${strategy}:popsize`), this.initialPopsize as number),
      nRestarts: num(attr(`${strategy}:n_restarts`), 0),
      nRestartsWithLarge: num(attr("n_restarts_with_large"), 0),
      poptype: attr("poptype") === "large" ? "large" : "small",
      smallNEval: num(attr("small_n_eval"), 0),
      largeNEval: num(attr("large_n_eval"), 0),
    };
  }

  private keyBase(nRestarts: number): string {
    return this.restartStrategy === null ? this.prefix : `${this.prefix}${this.restartStrategy}:restart_${nRestarts}:`;
  }

  private generationKey(nRestarts: number): string {
    return `${this.keyBase(nRestarts)}generation`;
  }

  private optimizerKey(nRestarts: number): string {
    return `${this.keyBase(nRestarts)}optimizer_json`;
  }

  private storeOptimizer(study: StudyView, trial: FrozenTrial, optimizer: CMA, nRestarts: number): void {
    const text = JSON.stringify(optimizer.state());
    for (let i = 0; i * ATTR_MAX_LENGTH < text.length; i++) {
      study.setTrialSystemAttr(trial.trialId, `${this.optimizerKey(nRestarts)}:${i}`, text.slice(i * ATTR_MAX_LENGTH, (i + 1) * ATTR_MAX_LENGTH));
    }
  }

  private restoreOptimizer(completed: FrozenTrial[], nRestarts: number): CMA | null {
    const key = this.optimizerKey(nRestarts);
    for (let t = completed.length - 1; t >= 0; t--) {
      const attrs = (completed[t] as FrozenTrial).systemAttrs;
      const parts: string[] = [];
      for (let i = 0; typeof attrs[`${key}:${i}`] === "string"; i++) parts.push(attrs[`${key}:${i}`] as string);
      if (parts.length === 0) continue;
      return new CMA({ state: JSON.parse(parts.join("")) as CMAState });
    }
    return null;
  }

  private initOptimizer(trans: SearchSpaceTransform, study: StudyView, populationSize: number, randomizeStart: boolean): CMA {
    const n = trans.dim;
    let mean: Float64Array;
    let sigma0: number;
    let cov: Float64Array | undefined;
    if (this.options.sourceTrials === undefined) {
      if (randomizeStart) mean = Float64Array.from({ length: n }, () => this.cmaRng.random());
      else if (this.options.x0 !== undefined) mean = trans.transform(this.options.x0);
      else mean = new Float64Array(n).fill(0.5);
      sigma0 = this.options.sigma0 ?? 1 / 6;
    } else {
      const states: TrialState[] = this.considerPruned ? ["COMPLETE", "PRUNED"] : ["COMPLETE"];
      const sign = study.direction === "MINIMIZE" ? 1 : -1;
      const names = new Set(trans.names);
      const source = this.options.sourceTrials
        .filter((t) => states.includes(t.state) && t.value !== null && Object.keys(t.distributions).length === names.size && Object.keys(t.distributions).every((k) => names.has(k)))
        .map((t) => ({ x: trans.transform(t.params), value: sign * (t.value as number) }));
      if (source.length === 0) throw new Error("CmaEsSampler: no compatible sourceTrials (none has exactly this search space)");
      ({ mean, sigma: sigma0, cov } = warmStartMgd(source));
    }
    return new CMA({
      mean,
      sigma: Math.max(sigma0, EPS),
      cov,
      low: trans.low,
      high: trans.high,
      nMaxResampling: 10 * n,
      populationSize,
      seed: 1 + this.cmaRng.int(2 ** 31 - 3),
    });
  }

  /** COMPLETE trials, and PRUNED ones valued by their last report when `considerPrunedTrials`. */
  private completedTrials(study: StudyView): FrozenTrial[] {
    const out: FrozenTrial[] = [];
    for (const t of study.getTrials({ states: ["COMPLETE", "PRUNED"] })) {
      if (t.state === "COMPLETE") {
        if (t.value !== null) out.push(t);
      } else if (this.considerPruned) {
        const step = lastStep(t);
        if (step !== null) out.push({ ...t, value: t.intermediateValues.get(step) as number });
      }
    }
    return out;
  }
}
