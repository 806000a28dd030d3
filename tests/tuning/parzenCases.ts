/** Fixed Parzen-estimator cases (observations and query points drawn once from a seeded stream) and a KS statistic, shared by the TPE tests. */
import { Random } from "../../src/util/random";
import { CategoricalDistribution, Distribution, distributionToJson, FloatDistribution, IntDistribution } from "../../src/tuning";
import { ParzenEstimatorParameters } from "../../src/tuning/samplers/tpe/parzenEstimator";

/** One estimator input: a space, observations and query points (internal representation), options. */
export interface Case {
  space: Record<string, Distribution>;
  observations: Record<string, number[]>;
  points: Record<string, number[]>;
  over: Partial<ParzenEstimatorParameters>;
}

export function randomCase(seed: number, space: Record<string, Distribution>, nObs: number, over: Partial<ParzenEstimatorParameters>): Case {
  const rng = new Random(seed);
  const draw = (d: Distribution): number => {
    if (d.kind === "categorical") return rng.int(d.choices.length);
    if (d.log) return d.kind === "int" ? Math.round(Math.exp(rng.uniform(Math.log(d.low), Math.log(d.high)))) : Math.exp(rng.uniform(Math.log(d.low), Math.log(d.high)));
    const step = d.kind === "int" ? d.step : d.step;
    if (step !== null) return d.low + step * rng.int(Math.floor((d.high - d.low) / step + 1e-9) + 1);
    return rng.uniform(d.low, d.high);
  };
  const column = (n: number): Record<string, number[]> => Object.fromEntries(Object.entries(space).map(([k, d]) => [k, Array.from({ length: n }, () => draw(d))]));
  return { space, observations: column(nObs), points: column(15), over };
}

export const CASES: Case[] = [
  randomCase(1, { x: new FloatDistribution(-5, 5) }, 7, {}),
  randomCase(2, { x: new FloatDistribution(1e-3, 10, { log: true }) }, 12, {}),
  randomCase(3, { x: new FloatDistribution(0, 1, { step: 0.1 }) }, 9, {}),
  randomCase(4, { n: new IntDistribution(1, 20) }, 5, { considerEndpoints: true }),
  randomCase(5, { n: new IntDistribution(1, 1000, { log: true }) }, 30, {}),
  randomCase(6, { c: new CategoricalDistribution(["a", "b", "c", null]) }, 8, { priorWeight: 2 }),
  randomCase(7, { x: new FloatDistribution(-1, 1), n: new IntDistribution(0, 10, { step: 2 }), c: new CategoricalDistribution([1, 2]) }, 10, { multivariate: true }),
  randomCase(8, { x: new FloatDistribution(0, 1) }, 40, { considerMagicClip: false }),
  randomCase(9, { x: new FloatDistribution(0, 1) }, 0, {}),
];


/** Two-sample Kolmogorov-Smirnov statistic. */
export function ksStatistic(a: number[], b: number[]): number {
  const xs = [...a, ...b].sort((p, q) => p - q);
  const cdf = (v: number[], x: number): number => v.filter((w) => w <= x).length / v.length;
  return Math.max(...xs.map((x) => Math.abs(cdf(a, x) - cdf(b, x))));
}


/** The cases as the Python oracles read them. */
export function casesToJson(): unknown[] {
  return CASES.map((c) => ({
    space: Object.fromEntries(Object.entries(c.space).map(([k, d]) => [k, distributionToJson(d)])),
    observations: c.observations,
    points: c.points,
    multivariate: c.over.multivariate ?? false,
    consider_endpoints: c.over.considerEndpoints ?? false,
    consider_magic_clip: c.over.considerMagicClip ?? true,
    prior_weight: c.over.priorWeight ?? 1,
  }));
}
