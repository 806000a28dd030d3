/**
 * One axis of a parallel-coordinates chart as a scale from a run's value to its place on the
 * axis, 0 at the bottom to 1 at the top: linear or log for numbers, evenly spaced ticks for
 * text (categories), the middle for an axis whose values are all the same, and NaN for a run
 * without a value (the chart draws those at a "missing" mark under the axis).
 */
import { formatLinearTicks, formatLogTick, linearTicks, logTicks } from "./ticks";

/** How an axis places values. */
export type AxisScale =
  | { readonly kind: "linear"; readonly min: number; readonly max: number }
  | { readonly kind: "log"; readonly min: number; readonly max: number }
  | { readonly kind: "category"; readonly categories: readonly string[] };

/** A tick: its place on the axis (0 bottom, 1 top) and its label. */
export interface Tick {
  readonly t: number;
  readonly label: string;
}

/** A run's value on an axis: a number, a text, or none. */
export type AxisValue = number | string | null;

const collator = new Intl.Collator("en", { numeric: true });

/** Text values in reading order, numbers inside them compared as numbers (`depth 2` before `depth 10`). */
export function sortCategories(values: Iterable<string>): string[] {
  return [...new Set(values)].sort(collator.compare);
}

/**
 * Whether numbers are better read on a log axis without being told: all positive, spanning at
 * least three decades, with half of them in the lowest tenth of the linear range (a linear
 * axis would crush them at its bottom).
 */
export function looksLogarithmic(values: readonly number[]): boolean {
  if (values.length < 2) return false;
  const sorted = [...values].sort((a, b) => a - b);
  const min = sorted[0] as number;
  const max = sorted[sorted.length - 1] as number;
  if (!(min > 0) || max / min < 1000) return false;
  const median = sorted[Math.floor((sorted.length - 1) / 2)] as number;
  return (median - min) / (max - min) < 0.1;
}

/**
 * The scale of an axis holding `values` (null: missing), or null when no run has a value.
 * Any text makes the axis categorical; `logHint` (an Optuna distribution's `log=True` or
 * `log=False`) decides log or linear for positive numbers, else {@link looksLogarithmic}.
 */
export function chooseScale(values: readonly AxisValue[], logHint: boolean | null = null): AxisScale | null {
  const present = values.filter((v): v is number | string => v !== null);
  if (present.length === 0) return null;
  if (present.some((v) => typeof v === "string")) return { kind: "category", categories: sortCategories(present.map(String)) };
  const nums = present as number[];
  let min = Infinity;
  let max = -Infinity;
  for (const v of nums) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const log = max > min && min > 0 && (logHint ?? looksLogarithmic(nums));
  return { kind: log ? "log" : "linear", min, max };
}

/** Where `v` sits on the axis: 0 (bottom) to 1 (top); 0.5 on an axis of one value; NaN when missing or not on the scale. */
export function position(scale: AxisScale, v: AxisValue): number {
  if (v === null) return NaN;
  if (scale.kind === "category") {
    const i = scale.categories.indexOf(String(v));
    if (i < 0) return NaN;
    return scale.categories.length === 1 ? 0.5 : i / (scale.categories.length - 1);
  }
  if (typeof v !== "number" || !Number.isFinite(v)) return NaN;
  if (scale.max === scale.min) return 0.5;
  if (scale.kind === "log") return (Math.log10(v) - Math.log10(scale.min)) / (Math.log10(scale.max) - Math.log10(scale.min));
  return (v - scale.min) / (scale.max - scale.min);
}

/** The value at place `t` of a numeric axis (the inverse of {@link position}); for a category axis, the nearest category. */
export function valueAt(scale: AxisScale, t: number): number | string {
  if (scale.kind === "category") {
    const n = scale.categories.length;
    return scale.categories[n === 1 ? 0 : Math.min(n - 1, Math.max(0, Math.round(t * (n - 1))))] as string;
  }
  if (scale.kind === "log") return 10 ** (Math.log10(scale.min) + t * (Math.log10(scale.max) - Math.log10(scale.min)));
  return scale.min + t * (scale.max - scale.min);
}

/**
 * About `count` ticks of the axis. Category axes label every category while they fit
 * (`count` of them), else every k-th, always the first and last.
 */
export function axisTicks(scale: AxisScale, count: number): Tick[] {
  if (scale.kind === "category") {
    const n = scale.categories.length;
    const every = Math.max(1, Math.ceil(n / Math.max(1, count)));
    const shown: number[] = [];
    for (let i = 0; i < n; i += every) shown.push(i);
    const lastShown = shown[shown.length - 1] as number;
    // The last category is always labelled; it replaces the one before when they would crowd.
    if (lastShown !== n - 1) {
      if (n - 1 - lastShown < every / 2 && shown.length > 1) shown.pop();
      shown.push(n - 1);
    }
    return shown.map((i) => ({ t: position(scale, scale.categories[i] as string), label: scale.categories[i] as string }));
  }
  if (scale.kind === "log") {
    const values = logTicks(scale.min, scale.max, count);
    return values.map((v) => ({ t: position(scale, v), label: formatLogTick(v) }));
  }
  const { values, step } = linearTicks(scale.min, scale.max, count);
  const labels = formatLinearTicks(values, step);
  return values.map((v, i) => ({ t: position(scale, v), label: labels[i] as string }));
}
