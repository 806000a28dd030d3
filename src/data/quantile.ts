/**
 * The q-quantile of `values` ignoring NaN, with linear interpolation between order
 * statistics: pandas' `Series.quantile` default (and numpy's "linear" method).
 */
export function quantile(values: ArrayLike<number>, q: number): number {
  return quantileOfSorted(sortedPresent(values), q);
}

/** The values that are not NaN, sorted ascending (for several quantiles of the same values). */
export function sortedPresent(values: ArrayLike<number>): Float64Array {
  const present = new Float64Array(values.length);
  let count = 0;
  for (let i = 0; i < values.length; i++) if (values[i] === values[i]) present[count++] = values[i] as number;
  return present.subarray(0, count).sort();
}

/** {@link quantile} of values already sorted ascending, without NaN. */
export function quantileOfSorted(sorted: Float64Array, q: number): number {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile: q must lie in [0, 1], got ${q}`);
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  const frac = pos - lo;
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  // numpy's _lerp: interpolate from the nearer end, which is what pandas reports.
  const diff = b - a;
  return frac >= 0.5 ? b - diff * (1 - frac) : a + diff * frac;
}
