/** Which run's line is under the pointer on a parallel-coordinates chart. */
import { yOf, type ParallelLayout } from "./parallelLayout";

/**
 * The run whose line passes nearest (vertically) to (`x`, `y`) within `reach` pixels, or null:
 * between two axes a line is the straight segment joining its places on them. Runs whose
 * `mask` entry is 0 (not selected) are skipped when a mask is given; on a tie the run drawn
 * last (latest in `order`, the better one) wins, as it is the one on top.
 */
export function nearestRun(layout: ParallelLayout, positions: ArrayLike<number>, axisCount: number, x: number, y: number, reach: number, order: ArrayLike<number>, mask: Uint8Array | null = null): number | null {
  const xs = layout.axisX;
  if (axisCount === 0 || xs.length !== axisCount) return null;
  const first = xs[0] as number;
  const last = xs[axisCount - 1] as number;
  if (x < first - reach || x > last + reach) return null;
  let i = 0;
  while (i < axisCount - 2 && x > (xs[i + 1] as number)) i++;
  const x0 = xs[i] as number;
  const x1 = axisCount === 1 ? x0 : (xs[i + 1] as number);
  const f = x1 === x0 ? 0 : Math.min(1, Math.max(0, (x - x0) / (x1 - x0)));
  const j = axisCount === 1 ? 0 : i + 1;
  let best: number | null = null;
  let bestD = reach;
  for (let k = 0; k < order.length; k++) {
    const r = order[k] as number;
    if (mask !== null && mask[r] === 0) continue;
    const y0 = yOf(layout, positions[r * axisCount + i] as number);
    const y1 = yOf(layout, positions[r * axisCount + j] as number);
    const d = Math.abs(y0 + (y1 - y0) * f - y);
    if (d <= bestD) {
      bestD = d;
      best = r;
    }
  }
  return best;
}
