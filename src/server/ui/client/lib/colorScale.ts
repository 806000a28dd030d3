/**
 * The colour of a run's line by its objective, as Optuna's parallel-coordinate plot colours
 * a study (plotly's "Blues"): the better the value, the darker the blue. The light end stops
 * at a blue still visible on white, so that the worst run is not mistaken for a dimmed one.
 */

/** The scale's stops, worst (light) to best (dark): ColorBrewer's Blues from its fourth class. */
export const BLUES: ReadonlyArray<readonly [number, number, number]> = [
  [158, 202, 225],
  [107, 174, 214],
  [66, 146, 198],
  [33, 113, 181],
  [8, 81, 156],
  [8, 48, 107],
];

/** The colour of goodness `g` (0 worst, 1 best) as `rgb(r,g,b)`, interpolated between the stops. */
export function colorAt(g: number, stops: ReadonlyArray<readonly [number, number, number]> = BLUES): string {
  const x = Math.min(1, Math.max(0, Number.isFinite(g) ? g : 0)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  const a = stops[i] as readonly [number, number, number];
  const b = stops[i + 1] as readonly [number, number, number];
  const mix = (k: 0 | 1 | 2): number => Math.round(a[k] + (b[k] - a[k]) * f);
  return `rgb(${mix(0)},${mix(1)},${mix(2)})`;
}

/** Goodness of place `t` on the objective's axis (0 bottom, 1 top): the bottom is best when lower is better. */
export function goodness(t: number, lowerIsBetter: boolean): number {
  return lowerIsBetter ? 1 - t : t;
}

/**
 * The colour bar's gradient: stops along the objective's axis from its bottom (offset 0) to
 * its top (offset 1), so that the bar reads like the axis beside it.
 */
export function colorBarStops(lowerIsBetter: boolean, stops: ReadonlyArray<readonly [number, number, number]> = BLUES): Array<{ offset: number; color: string }> {
  return stops.map((_, i) => {
    const offset = i / (stops.length - 1);
    return { offset, color: colorAt(goodness(offset, lowerIsBetter), stops) };
  });
}
