/**
 * Hyperparameter importance by PED-ANOVA (Watanabe et al., 2023; Optuna's
 * `PedAnovaImportanceEvaluator`): a parameter matters as much as the marginal distribution of
 * its values in the top trials (the best `targetQuantile`) departs from its distribution over
 * all trials, measured by the Pearson divergence sum_x p_all(x) (p_top(x) / p_all(x) - 1)^2.
 * Both marginals are Parzen estimates on a grid of `nSteps` bins (log-spaced for log
 * parameters), made with TPE's own estimator. Importances are normalised to sum to one.
 */
import { ValueError } from "../../errors";
import { CategoricalDistribution, Distribution, IntDistribution } from "../distributions";
import { FrozenTrial } from "../frozenTrial";
import { ParzenEstimator } from "../samplers/tpe/parzenEstimator";
import { defaultWeights } from "../samplers/tpe/sampler";
import { StudyView } from "../studyView";

/** Options of {@link getParamImportances}. */
export interface ImportanceOptions {
  /** Parameters to evaluate (all those present in every complete trial by default). */
  params?: readonly string[];
  /** Value to rank trials by (default: the objective value). */
  target?: (trial: FrozenTrial) => number;
  /** Fraction of best trials forming the "top" set (default 0.1). */
  targetQuantile?: number;
  /** Grid size for numerical parameters (default 50). */
  nSteps?: number;
}

/** Importance per parameter, summing to 1, in decreasing order. */
export function getParamImportances(study: StudyView, options: ImportanceOptions = {}): Record<string, number> {
  const quantile = options.targetQuantile ?? 0.1;
  const nSteps = options.nSteps ?? 50;
  if (!(quantile > 0 && quantile < 1)) throw new ValueError(`targetQuantile must be in (0, 1), got ${quantile}.`);
  const sign = study.direction === "MINIMIZE" ? 1 : -1;
  const scored = study
    .getTrials({ states: ["COMPLETE"] })
    .map((t) => ({ t, v: options.target === undefined ? t.value : options.target(t) }))
    .filter((p): p is { t: FrozenTrial; v: number } => p.v !== null && Number.isFinite(p.v));
  if (scored.length === 0) return {};
  const params = options.params ?? commonParams(scored.map((p) => p.t));
  for (const p of params) if (scored.some((s) => !(p in s.t.params))) throw new ValueError(`Parameter ${p} is not in every complete trial.`);
  scored.sort((a, b) => sign * (a.v - b.v));
  const nTop = Math.max(1, Math.ceil(quantile * scored.length));
  const top = scored.slice(0, nTop).map((p) => p.t);
  const all = scored.map((p) => p.t);
  const raw: [string, number][] = params.map((name) => {
    const dist = (all[0] as FrozenTrial).distributions[name] as Distribution;
    if (dist.single()) return [name, 0];
    const { grid, toBin } = discretise(dist, nSteps);
    const pdf = (trials: FrozenTrial[]): Float64Array => {
      const obs = Float64Array.from(trials, (t) => toBin(dist.toInternalRepr(t.params[name] as number)));
      const pe = new ParzenEstimator({ [name]: obs }, { [name]: grid }, { considerPrior: true, priorWeight: 1, considerMagicClip: true, considerEndpoints: false, weights: defaultWeights, multivariate: false });
      const size = grid.kind === "categorical" ? grid.choices.length : nSteps;
      return pe.logPdf({ [name]: Float64Array.from({ length: size }, (_, i) => i) }).map((v) => Math.exp(v) + 1e-12);
    };
    const pTop = pdf(top);
    const pAll = pdf(all);
    let divergence = 0;
    for (let i = 0; i < pAll.length; i++) divergence += (pAll[i] as number) * ((pTop[i] as number) / (pAll[i] as number) - 1) ** 2;
    return [name, divergence];
  });
  const total = raw.reduce((a, [, v]) => a + v, 0);
  const normalised = raw.map(([k, v]) => [k, total > 0 ? v / total : 0] as [string, number]).sort((a, b) => b[1] - a[1]);
  return Object.fromEntries(normalised);
}

function commonParams(trials: FrozenTrial[]): string[] {
  const first = trials[0] as FrozenTrial;
  return Object.keys(first.params)
    .filter((p) => trials.every((t) => p in t.params))
    .sort();
}

/** A grid distribution for the estimator and the map from an internal value to its bin. */
function discretise(dist: Distribution, nSteps: number): { grid: IntDistribution | CategoricalDistribution; toBin: (internal: number) => number } {
  if (dist.kind === "categorical") return { grid: new CategoricalDistribution(dist.choices.map((_, i) => i)), toBin: (v) => v };
  const lo = dist.log ? Math.log(dist.low) : dist.low;
  const hi = dist.log ? Math.log(dist.high) : dist.high;
  return {
    grid: new IntDistribution(0, nSteps - 1),
    toBin: (v) => Math.min(nSteps - 1, Math.max(0, Math.round((((dist.log ? Math.log(v) : v) - lo) / (hi - lo)) * (nSteps - 1)))),
  };
}
