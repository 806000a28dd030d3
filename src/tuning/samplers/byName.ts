/**
 * The samplers selectable by name (`tune --sampler`, `runHyperOpt({ sampler })`): Optuna's
 * defaults for each, seeded.
 */
import { Sampler } from "./base";
import { CmaEsSampler } from "./cmaes/sampler";
import { GPSampler } from "./gp/sampler";
import { RandomSampler } from "./random";
import { TPESampler } from "./tpe/sampler";

/** Names of the samplers {@link createSampler} makes. */
export const SAMPLER_NAMES = ["tpe", "cmaes", "gp", "random"] as const;

/** A sampler name: "tpe", "cmaes", "gp" or "random". */
export type SamplerName = (typeof SAMPLER_NAMES)[number];

/** True when `name` is one of {@link SAMPLER_NAMES}. */
export function isSamplerName(name: string): name is SamplerName {
  return (SAMPLER_NAMES as readonly string[]).includes(name);
}

/** A new sampler by name with Optuna's default options and the given seed. */
export function createSampler(name: SamplerName, options: { seed?: number } = {}): Sampler {
  switch (name) {
    case "tpe":
      return new TPESampler(options);
    case "cmaes":
      return new CmaEsSampler(options);
    case "gp":
      return new GPSampler(options);
    case "random":
      return new RandomSampler(options);
    default:
      throw new Error(`unknown sampler "${String(name)}"; expected one of ${SAMPLER_NAMES.join(", ")}`);
  }
}
