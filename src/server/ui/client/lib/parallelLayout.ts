/**
 * Where a parallel-coordinates chart puts things, in CSS pixels: the axes evenly spaced, their
 * labels above them (in two staggered rows when one row would make them collide, cut with an
 * ellipsis when even that is too narrow), tick labels left of each axis, a "missing" mark
 * under the axes when some run lacks a value, and the colour bar right of the last axis with
 * its ticks and, upright beside them, its title.
 */

/** What the layout needs to know. */
export interface LayoutInput {
  readonly width: number;
  readonly height: number;
  readonly labels: readonly string[];
  /** The widest tick label of the first axis (they sit left of it). */
  readonly leftTickWidth: number;
  /** The colour bar's widest tick label, or null without a colour bar. */
  readonly colorBar: { readonly tickWidth: number } | null;
  /** Whether some run lacks a value on some axis. */
  readonly missing: boolean;
  /** The width of an axis label in the label font. */
  readonly measure: (text: string) => number;
}

/** An axis label, placed. */
export interface PlacedLabel {
  /** The text shown (maybe cut). */
  readonly text: string;
  readonly full: string;
  readonly x: number;
  readonly y: number;
}

/** The layout. */
export interface ParallelLayout {
  readonly width: number;
  readonly height: number;
  /** The y of place 1 (an axis' top) and of place 0 (its bottom). */
  readonly top: number;
  readonly bottom: number;
  /** The y of the "missing" mark, or null when no run lacks a value. */
  readonly missingY: number | null;
  readonly axisX: readonly number[];
  readonly labels: readonly PlacedLabel[];
  /** The colour bar's left edge and width, and the x of its title's centre line (the title reads upwards, right of the ticks). */
  readonly colorBar: { readonly x: number; readonly width: number; readonly titleX: number } | null;
}

/** Height of a row of axis labels. */
export const LABEL_ROW = 18;
const PAD = 8;
const MISSING_GAP = 26;
const BAR_WIDTH = 14;
/** The colour bar's title: one line of text turned upright. */
const TITLE_LINE = 16;
const MAX_LABEL = 180;

/** `text` cut with an ellipsis to fit `max` pixels (whole when it fits). */
export function fitText(text: string, max: number, measure: (t: string) => number): string {
  if (measure(text) <= max) return text;
  for (let n = text.length - 1; n > 0; n--) {
    const cut = `${text.slice(0, n)}…`;
    if (measure(cut) <= max) return cut;
  }
  return "…";
}

/** Lays the chart out. */
export function parallelLayout(input: LayoutInput): ParallelLayout {
  const { width, height, labels, measure } = input;
  const n = labels.length;
  const widths = labels.map(measure);
  const lastHalf = n > 0 ? Math.min(MAX_LABEL, widths[n - 1] as number) / 2 : 0;
  const firstHalf = n > 0 ? Math.min(MAX_LABEL, widths[0] as number) / 2 : 0;
  const left = PAD + Math.max(input.leftTickWidth + 10, firstHalf, 16);
  let right = width - PAD - lastHalf;
  let colorBar: ParallelLayout["colorBar"] = null;
  if (input.colorBar !== null) {
    const gap = Math.max(30, lastHalf + 14);
    const ticks = BAR_WIDTH + 6 + input.colorBar.tickWidth + 6;
    right = width - PAD - ticks - TITLE_LINE - gap;
    colorBar = { x: right + gap, width: BAR_WIDTH, titleX: right + gap + ticks + TITLE_LINE / 2 };
  }
  right = Math.max(left, right);
  const spacing = n > 1 ? (right - left) / (n - 1) : right - left;
  const axisX = n === 1 ? [(left + right) / 2] : labels.map((_, i) => left + i * spacing);
  const collide = n > 1 && widths.some((w, i) => i > 0 && (w + (widths[i - 1] as number)) / 2 + 8 > spacing);
  const rows = collide ? 2 : 1;
  const room = Math.min(MAX_LABEL, n > 1 ? spacing * rows - 10 : MAX_LABEL);
  const top = PAD + rows * LABEL_ROW + 8;
  const missingY = input.missing ? height - PAD - 8 : null;
  const bottom = height - PAD - 8 - (input.missing ? MISSING_GAP : 0);
  const placed = labels.map((full, i) => ({
    full,
    text: fitText(full, room, measure),
    x: axisX[i] as number,
    // Staggered: even axes on the row nearer the axes, odd ones above.
    y: top - 10 - (rows === 2 && i % 2 === 1 ? LABEL_ROW : 0),
  }));
  return { width, height, top, bottom, missingY, axisX, labels: placed, colorBar };
}

/** The y of place `t` (0 bottom, 1 top); NaN (missing) goes to the missing mark. */
export function yOf(layout: ParallelLayout, t: number): number {
  if (Number.isNaN(t)) return layout.missingY ?? layout.bottom;
  return layout.bottom - t * (layout.bottom - layout.top);
}

/** The place (0 bottom, 1 top, clamped) of height `y`. */
export function tOf(layout: ParallelLayout, y: number): number {
  return Math.min(1, Math.max(0, (layout.bottom - y) / (layout.bottom - layout.top)));
}
