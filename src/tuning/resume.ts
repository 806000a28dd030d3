/**
 * Resuming a stored study with a seeded sampler. A sampler made with the same seed on every run
 * starts its random stream over, so a resumed study would draw again the parameters its first
 * run drew. The rule here: the sampler of a study that already holds `n` trials (finished,
 * failed or still running) is seeded from the seed and `n`; a new study keeps the seed itself,
 * so a fresh run is reproduced exactly, and each resume draws from a stream of its own.
 */
import type { Sampler } from "./samplers/base";

/** What a {@link SamplerFactory} is told about the study it makes a sampler for. */
export interface ExistingTrials {
  /** Trials already in the storage for this study (0 for a new study). */
  readonly nTrials: number;
}

/** Makes a study's sampler once its existing trials are known (see {@link resumeSeed}). */
export type SamplerFactory = (existing: ExistingTrials) => Sampler;

/**
 * The seed for a study that already holds `nTrials` trials: `seed` itself when there are none,
 * otherwise a 31-bit mix of both (murmur3's finaliser), so that neighbouring seeds and counts
 * give unrelated streams.
 */
export function resumeSeed(seed: number, nTrials: number): number {
  if (nTrials === 0) return seed;
  let h = (Math.imul(Math.floor(seed) | 0, 0x9e3779b1) ^ Math.imul(nTrials | 0, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) & 0x7fffffff;
}
