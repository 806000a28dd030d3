/**
 * How the lines of a parallel-coordinates chart are painted: each run's colour from its place
 * on the objective's axis, the order (worst first, so the best lines end on top), and an
 * opacity and width that keep a thousand lines readable while a few stay crisp.
 */
import { colorAt, goodness } from "./colorScale";
import type { ParallelData } from "./parallelData";

/** Lines' colour without an objective. */
export const PLAIN_LINE = "#2272b4";

/** The paint of every line. */
export interface LinePaint {
  /** Run r's colour at `colors[r]`. */
  readonly colors: readonly string[];
  /** Runs in drawing order: the worst first. */
  readonly order: Uint32Array;
  readonly alpha: number;
  readonly lineWidth: number;
}

/** Opacity of `runs` lines: 0.9 up to 50, then falling as 1/sqrt(runs) (overlaps add up), at least 0.3. */
export function lineAlpha(runs: number): number {
  return runs <= 50 ? 0.9 : Math.max(0.3, 0.9 * Math.sqrt(50 / runs));
}

/** Width of `runs` lines in CSS pixels. */
export function lineWidth(runs: number): number {
  return runs <= 150 ? 1.6 : runs <= 500 ? 1.25 : 1;
}

/** The paint of `data`'s lines. */
export function linePaint(data: ParallelData): LinePaint {
  const runs = data.runs.length;
  const axes = data.axes.length;
  const c = data.colorAxis;
  const g = new Float64Array(runs);
  const colors: string[] = [];
  for (let r = 0; r < runs; r++) {
    if (c === null) {
      colors.push(PLAIN_LINE);
      continue;
    }
    g[r] = goodness(data.positions[r * axes + c] as number, data.lowerIsBetter);
    colors.push(colorAt(g[r] as number));
  }
  const order = Uint32Array.from({ length: runs }, (_, r) => r).sort((a, b) => (g[a] as number) - (g[b] as number) || a - b);
  return { colors, order, alpha: lineAlpha(runs), lineWidth: lineWidth(runs) };
}
