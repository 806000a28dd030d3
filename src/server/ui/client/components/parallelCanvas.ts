/**
 * Painting a parallel-coordinates chart's lines on a 2D canvas at the device's pixel ratio:
 * the runs a brush leaves out as one pale path, then each selected run as its own path in its
 * colour, worst first; and, on a second canvas over it, the run under the pointer.
 */
import type { ParallelData } from "../lib/parallelData";
import { yOf, type ParallelLayout } from "../lib/parallelLayout";
import type { LinePaint } from "../lib/parallelPaint";

/** The colour of lines a brush leaves out. */
const DIMMED = "rgb(206,213,221)";
/** The hovered line's colour: an orange that stands out from the blues. */
const HOVERED = "#e2602b";

/** A canvas sized to `layout` at `dpr`, its context cleared and scaled to CSS pixels. */
function prepare(canvas: HTMLCanvasElement, layout: ParallelLayout, dpr: number): CanvasRenderingContext2D | null {
  const w = Math.round(layout.width * dpr);
  const h = Math.round(layout.height * dpr);
  if (canvas.width !== w) canvas.width = w;
  if (canvas.height !== h) canvas.height = h;
  const ctx = canvas.getContext("2d");
  if (ctx === null) return null;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, layout.width, layout.height);
  // Bevelled joins and flat ends: at a line's width the same look as round ones, and cheaper to rasterise.
  ctx.lineJoin = "bevel";
  ctx.lineCap = "butt";
  return ctx;
}

function trace(ctx: CanvasRenderingContext2D, layout: ParallelLayout, positions: ArrayLike<number>, axes: number, r: number): void {
  const xs = layout.axisX;
  ctx.moveTo(xs[0] as number, yOf(layout, positions[r * axes] as number));
  for (let a = 1; a < axes; a++) ctx.lineTo(xs[a] as number, yOf(layout, positions[r * axes + a] as number));
  if (axes === 1) ctx.lineTo((xs[0] as number) + 0.01, yOf(layout, positions[r] as number)); // a dot on the lone axis
}

/** Paints every run's line; `mask[r]` 0 dims run r. */
export function paintLines(canvas: HTMLCanvasElement, layout: ParallelLayout, dpr: number, data: ParallelData, paint: LinePaint, mask: Uint8Array): void {
  const ctx = prepare(canvas, layout, dpr);
  if (ctx === null) return;
  const axes = data.axes.length;
  const { positions } = data;
  ctx.lineWidth = paint.lineWidth;
  if (mask.includes(0)) {
    ctx.globalAlpha = 0.55;
    ctx.strokeStyle = DIMMED;
    ctx.beginPath();
    for (let r = 0; r < mask.length; r++) if (mask[r] === 0) trace(ctx, layout, positions, axes, r);
    ctx.stroke();
  }
  ctx.globalAlpha = paint.alpha;
  for (let k = 0; k < paint.order.length; k++) {
    const r = paint.order[k] as number;
    if (mask[r] === 0) continue;
    ctx.beginPath();
    trace(ctx, layout, positions, axes, r);
    ctx.strokeStyle = paint.colors[r] as string;
    ctx.stroke();
  }
  ctx.globalAlpha = 1;
}

/** Paints run `run`'s line (or nothing) on the overlay canvas, with a dot on each axis. */
export function paintHover(canvas: HTMLCanvasElement, layout: ParallelLayout, dpr: number, data: ParallelData, run: number | null): void {
  const ctx = prepare(canvas, layout, dpr);
  if (ctx === null || run === null) return;
  const axes = data.axes.length;
  ctx.strokeStyle = "#fff";
  ctx.lineWidth = 5;
  ctx.beginPath();
  trace(ctx, layout, data.positions, axes, run);
  ctx.stroke();
  ctx.strokeStyle = HOVERED;
  ctx.lineWidth = 2.5;
  ctx.beginPath();
  trace(ctx, layout, data.positions, axes, run);
  ctx.stroke();
  ctx.fillStyle = HOVERED;
  for (let a = 0; a < axes; a++) {
    ctx.beginPath();
    ctx.arc(layout.axisX[a] as number, yOf(layout, data.positions[run * axes + a] as number), 3.5, 0, 2 * Math.PI);
    ctx.fill();
  }
}
