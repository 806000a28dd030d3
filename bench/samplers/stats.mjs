// Medians and percentile-bootstrap intervals for the sampler suite (seeded, so reruns agree).
export const median = (v) => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
export const seededRandom = mulberry32;

const resample = (v, rng) => Array.from(v, () => v[Math.floor(rng() * v.length)]);
const interval = (draws) => {
  draws.sort((a, b) => a - b);
  return [draws[Math.floor(0.025 * draws.length)], draws[Math.ceil(0.975 * draws.length) - 1]];
};

/** 95 % percentile-bootstrap interval of the median. */
export function medianInterval(v, n = 2000, seed = 1) {
  const rng = mulberry32(seed);
  return interval(Array.from({ length: n }, () => median(resample(v, rng))));
}

/** 95 % percentile-bootstrap interval of median(a) - median(b), the samples resampled independently. */
export function medianDifferenceInterval(a, b, n = 2000, seed = 2) {
  const rng = mulberry32(seed);
  return interval(Array.from({ length: n }, () => median(resample(a, rng)) - median(resample(b, rng))));
}
