/**
 * A parallel-coordinates chart in words: the summary screen readers get for its canvas, and
 * the selection as a reader sees it (`max_depth 6.5–8.5, booster dart or gbtree`).
 */
import { position, valueAt } from "./axisScale";
import type { Brushes } from "./brushing";
import { roundNumber } from "./format";
import type { ParallelData } from "./parallelData";

/** The ranges brushed on each axis, in the axes' own values. */
export function describeBrushes(data: ParallelData, brushes: Brushes): string {
  const parts: string[] = [];
  for (const [axis, ranges] of [...brushes].sort((a, b) => a[0] - b[0])) {
    const a = data.axes[axis];
    if (a === undefined || ranges.length === 0) continue;
    if (a.scale.kind === "category") {
      const scale = a.scale;
      const inside = scale.categories.filter((c) => {
        const t = position(scale, c);
        return ranges.some((r) => t >= r.lo - 1e-9 && t <= r.hi + 1e-9);
      });
      parts.push(`${a.label} ${inside.length === 0 ? "(none)" : inside.join(" or ")}`);
      continue;
    }
    const scale = a.scale;
    parts.push(`${a.label} ${ranges.map((r) => `${roundNumber(valueAt(scale, r.lo) as number)}–${roundNumber(valueAt(scale, r.hi) as number)}`).join(" or ")}`);
  }
  return parts.join(", ");
}

/** What the chart shows, in one sentence or three, for the canvas' `aria-label`. */
export function summary(data: ParallelData, label: string, selected: number | null): string {
  const runs = data.runs.length;
  if (runs === 0 || data.axes.length === 0) return `${label}: no runs to draw.`;
  const axes = data.axes.map((a) => `${a.label}${a.scale.kind === "log" ? " (log scale)" : ""}`).join(", ");
  const objective = data.colorAxis === null ? null : data.axes[data.colorAxis]?.label;
  const colour = objective === undefined || objective === null ? "" : ` Lines are coloured by ${objective}, darker is better (${data.lowerIsBetter ? "lower" : "higher"} is better).`;
  const chosen = selected === null ? "" : ` ${selected} of ${runs} runs selected.`;
  return `${label}: ${runs} run${runs === 1 ? "" : "s"} across ${data.axes.length} ax${data.axes.length === 1 ? "is" : "es"}: ${axes}.${colour}${chosen}`;
}
