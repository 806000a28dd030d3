/**
 * plotly traces for runs: bars of a metric's latest value per run, a scatter of any param
 * or metric against another, a contour of an objective over two params (interpolated on a
 * grid, as Optuna's `plot_contour` does), and line overlays of metric histories. Parallel
 * coordinates are not plotly's (its WebGL parcoords crawls on software rendering): see
 * parallelData.ts and components/ParallelCoordinates.tsx.
 */
import type { MetricJson } from "./api";
import type { RunRow } from "./runRows";

/** A param or metric to plot: `metrics.x` or `params.y`. */
export interface Axis {
  readonly type: "metric" | "param";
  readonly key: string;
}

/** `metrics.x` / `params.y` from an axis and back. */
export function axisId(a: Axis): string {
  return `${a.type}s.${a.key}`;
}

/** Parses an axis id. */
export function parseAxis(id: string): Axis | null {
  const m = /^(metrics|params)\.(.+)$/.exec(id);
  return m === null ? null : { type: m[1] === "metrics" ? "metric" : "param", key: m[2] as string };
}

/** A run's value on an axis: a number when it parses as one, else its text. */
export function axisValue(r: RunRow, a: Axis): number | string | null {
  if (a.type === "metric") return r.metrics.get(a.key) ?? null;
  const v = r.params.get(a.key);
  if (v === undefined) return null;
  const n = Number(v);
  return v.trim() !== "" && Number.isFinite(n) ? n : v;
}

const TEXT = (r: RunRow): string => r.name;

/** Bars: the latest value of `metric` per run (runs without it left out). */
export function barTraces(rows: readonly RunRow[], metric: string): unknown[] {
  const have = rows.filter((r) => r.metrics.has(metric));
  return [{ type: "bar", x: have.map(TEXT), y: have.map((r) => r.metrics.get(metric)), hovertext: have.map((r) => r.runId), marker: { color: "#0194e2" }, name: metric }];
}

/** A scatter of `y` against `x`, one point per run that has both. */
export function scatterTraces(rows: readonly RunRow[], x: Axis, y: Axis): unknown[] {
  const have = rows.filter((r) => axisValue(r, x) !== null && axisValue(r, y) !== null);
  return [{ type: "scatter", mode: "markers", x: have.map((r) => axisValue(r, x)), y: have.map((r) => axisValue(r, y)), text: have.map(TEXT), marker: { size: 9, color: "#0194e2", opacity: 0.8 }, hovertemplate: "%{text}<br>x=%{x}<br>y=%{y}<extra></extra>" }];
}

/** Inverse-distance-weighted value of `z` at (x, y) from scattered points (coordinates scaled to [0, 1]). */
function idw(points: ReadonlyArray<[number, number, number]>, x: number, y: number): number {
  let num = 0;
  let den = 0;
  for (const [px, py, pz] of points) {
    const d2 = (px - x) ** 2 + (py - y) ** 2;
    if (d2 < 1e-12) return pz;
    const w = 1 / d2;
    num += w * pz;
    den += w;
  }
  return num / den;
}

/** A contour of `z` over numeric params `x` and `y` on a `size` x `size` grid, with the runs as points. */
export function contourTraces(rows: readonly RunRow[], x: Axis, y: Axis, z: Axis, size = 40): unknown[] {
  const pts = rows
    .map((r) => [axisValue(r, x), axisValue(r, y), axisValue(r, z)] as const)
    .filter((p): p is readonly [number, number, number] => p.every((v) => typeof v === "number" && Number.isFinite(v)));
  if (pts.length < 3) return [];
  const [x0, x1] = [Math.min(...pts.map((p) => p[0])), Math.max(...pts.map((p) => p[0]))];
  const [y0, y1] = [Math.min(...pts.map((p) => p[1])), Math.max(...pts.map((p) => p[1]))];
  const sx = x1 - x0 || 1;
  const sy = y1 - y0 || 1;
  const scaled = pts.map((p) => [(p[0] - x0) / sx, (p[1] - y0) / sy, p[2]] as [number, number, number]);
  const gx = Array.from({ length: size }, (_, i) => x0 + (sx * i) / (size - 1));
  const gy = Array.from({ length: size }, (_, j) => y0 + (sy * j) / (size - 1));
  const gz = gy.map((_, j) => gx.map((_, i) => idw(scaled, i / (size - 1), j / (size - 1))));
  return [
    { type: "contour", x: gx, y: gy, z: gz, colorscale: "Blues", reversescale: true, contours: { coloring: "heatmap" }, colorbar: { title: { text: z.key } }, hoverinfo: "skip" },
    { type: "scatter", mode: "markers", x: pts.map((p) => p[0]), y: pts.map((p) => p[1]), marker: { color: "#1f272d", size: 6 }, name: "runs", hovertemplate: "x=%{x}<br>y=%{y}<extra></extra>" },
  ];
}

/** Lines of a metric over steps, one per run. */
export function lineTraces(histories: ReadonlyArray<{ name: string; points: readonly MetricJson[] }>): unknown[] {
  return histories
    .filter((h) => h.points.length > 0)
    .map((h) => {
      const pts = [...h.points].sort((a, b) => a.step - b.step || a.timestamp - b.timestamp);
      return { type: "scatter", mode: pts.length > 30 ? "lines" : "lines+markers", name: h.name, x: pts.map((p) => p.step), y: pts.map((p) => p.value) };
    });
}

/** Params whose values are numbers in every run that has them (the ones a contour can use). */
export function numericParams(rows: readonly RunRow[], params: readonly string[]): string[] {
  return params.filter((p) => {
    const vals = rows.map((r) => axisValue(r, { type: "param", key: p })).filter((v) => v !== null);
    return vals.length > 0 && vals.every((v) => typeof v === "number");
  });
}
