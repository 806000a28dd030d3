/**
 * Brushing a parallel-coordinates chart, as plotly's parcoords does: a drag on an axis
 * selects a range of it (ranges on one axis add up, overlapping ones merge), ranges on
 * different axes combine with AND, a click on a range removes it, and a click elsewhere on
 * an axis clears that axis. Ranges are in the axis' own places (0 bottom, 1 top), so they
 * hold for linear, log and category axes alike; a run without a value on a brushed axis is
 * not selected.
 */

/** A selected range of one axis, `lo` <= `hi`, in places 0 (bottom) to 1 (top). */
export interface BrushRange {
  readonly lo: number;
  readonly hi: number;
}

/** Each brushed axis' ranges, by axis index. */
export type Brushes = ReadonlyMap<number, readonly BrushRange[]>;

/** No brushes. */
export const NO_BRUSHES: Brushes = new Map();

/** `ranges` plus `added` (from any two ends), overlapping or touching ones merged, sorted. */
export function addRange(ranges: readonly BrushRange[], added: BrushRange): BrushRange[] {
  const all = [...ranges, { lo: Math.min(added.lo, added.hi), hi: Math.max(added.lo, added.hi) }].sort((a, b) => a.lo - b.lo);
  const out: BrushRange[] = [];
  for (const r of all) {
    const last = out[out.length - 1];
    if (last !== undefined && r.lo <= last.hi) out[out.length - 1] = { lo: last.lo, hi: Math.max(last.hi, r.hi) };
    else out.push(r);
  }
  return out;
}

/** The brushes after a drag on `axis` from place `from` to place `to`. */
export function brushAxis(brushes: Brushes, axis: number, from: number, to: number): Brushes {
  const next = new Map(brushes);
  next.set(axis, addRange(brushes.get(axis) ?? [], { lo: Math.max(0, Math.min(from, to)), hi: Math.min(1, Math.max(from, to)) }));
  return next;
}

/** The brushes after a click on `axis` at place `t`: the range under it removed, or the axis cleared when none is. */
export function clickAxis(brushes: Brushes, axis: number, t: number): Brushes {
  const ranges = brushes.get(axis);
  if (ranges === undefined) return brushes;
  const next = new Map(brushes);
  const kept = ranges.filter((r) => !(t >= r.lo && t <= r.hi));
  if (kept.length === ranges.length || kept.length === 0) next.delete(axis);
  else next.set(axis, kept);
  return next;
}

/**
 * Which runs the brushes select (1) and which they do not (0): `positions` holds run r's place
 * on axis a at `r * axisCount + a` (NaN: missing). Returns the mask and how many are selected.
 */
export function selection(positions: ArrayLike<number>, axisCount: number, brushes: Brushes): { mask: Uint8Array; count: number } {
  const runs = axisCount === 0 ? 0 : Math.floor(positions.length / axisCount);
  const mask = new Uint8Array(runs).fill(1);
  let count = runs;
  if (brushes.size === 0) return { mask, count };
  const active = [...brushes].filter(([, ranges]) => ranges.length > 0);
  for (let r = 0; r < runs; r++) {
    for (const [axis, ranges] of active) {
      const t = positions[r * axisCount + axis] as number;
      // A tiny tolerance: a run exactly on a range's end (a category, a drag to a tick) stays in.
      if (!ranges.some((range) => t >= range.lo - 1e-9 && t <= range.hi + 1e-9)) {
        mask[r] = 0;
        count--;
        break;
      }
    }
  }
  return { mask, count };
}
