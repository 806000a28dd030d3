/**
 * Independent uniform sampling (Optuna's `RandomSampler` with `_SearchSpaceTransform`):
 * log ranges are uniform in log space, steps and integers are rounded from a range widened by
 * half a step on each side, categorical choices are uniform.
 */
import { Random } from "../../util/random";
import { Distribution, ParamValue } from "../distributions";
import { Sampler, SearchSpace } from "./base";

/** Options of {@link RandomSampler}. */
export interface RandomSamplerOptions {
  /** Seed for reproducible draws. */
  seed?: number;
}

/** Samples every parameter independently and uniformly. */
export class RandomSampler implements Sampler {
  private readonly rng: Random;

  constructor(options: RandomSamplerOptions = {}) {
    this.rng = new Random(options.seed ?? Math.floor(Math.random() * 2 ** 31));
  }

  inferRelativeSearchSpace(): SearchSpace {
    return {};
  }

  sampleRelative(): Record<string, ParamValue> {
    return {};
  }

  sampleIndependent(_study: unknown, _trial: unknown, _name: string, distribution: Distribution): ParamValue {
    return sampleUniform(this.rng, distribution);
  }
}

/** One uniform draw from a distribution, as Optuna's RandomSampler makes it. */
export function sampleUniform(rng: Random, distribution: Distribution): ParamValue {
  if (distribution.kind === "categorical") return distribution.choices[rng.int(distribution.choices.length)] as ParamValue;
  if (distribution.kind === "float") {
    if (distribution.log) return Math.min(distribution.high, Math.max(distribution.low, Math.exp(rng.uniform(Math.log(distribution.low), Math.log(distribution.high)))));
    if (distribution.step === null) return distribution.low === distribution.high ? distribution.low : rng.uniform(distribution.low, distribution.high);
    const step = distribution.step;
    const v = rng.uniform(distribution.low - 0.5 * step, distribution.high + 0.5 * step);
    return roundToStep(v, distribution.low, distribution.high, step);
  }
  if (distribution.log) {
    const v = Math.exp(rng.uniform(Math.log(distribution.low - 0.5), Math.log(distribution.high + 0.5)));
    return Math.min(distribution.high, Math.max(distribution.low, Math.round(v)));
  }
  const v = rng.uniform(distribution.low - 0.5 * distribution.step, distribution.high + 0.5 * distribution.step);
  return roundToStep(v, distribution.low, distribution.high, distribution.step);
}

/** Rounds to the nearest `low + k * step` and clips to [low, high]. */
export function roundToStep(value: number, low: number, high: number, step: number): number {
  const rounded = Math.round((value - low) / step) * step + low;
  return Math.min(high, Math.max(low, rounded));
}
