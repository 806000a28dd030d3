/**
 * Axis ticks a reader takes in at a glance: steps of 1, 2 or 5 times a power of ten on a
 * linear axis, whole decades (or 1-2-5 within them) on a log axis, and labels with as many
 * decimals as the step needs, large values shortened with k / M / G as plotly writes them.
 */

/**
 * The step of about `count` intervals over `span`: 1, 2, 5 or 10 times a power of ten, the one
 * nearest the raw step on a log scale (the thresholds are the geometric means, as d3's).
 */
export function niceStep(span: number, count: number): number {
  const raw = span / Math.max(1, count);
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  const f = raw / power;
  const m = f >= Math.sqrt(50) ? 10 : f >= Math.sqrt(10) ? 5 : f >= Math.sqrt(2) ? 2 : 1;
  return m * power;
}

/** `i` steps of `step`, computed so that decimal steps give their exact decimal values (3 x 0.1 is 0.3). */
function stepValue(i: number, step: number): number {
  if (step >= 1) return i * step;
  const inverse = Math.round(1 / step);
  return Math.abs(inverse * step - 1) < 1e-9 ? i / inverse : Number((i * step).toPrecision(12));
}

/** Linear ticks: the multiples of a nice step inside [min, max], at least two when min < max. */
export function linearTicks(min: number, max: number, count: number): { values: number[]; step: number } {
  if (!(max > min)) return { values: Number.isFinite(min) ? [min] : [], step: 0 };
  for (let c = Math.max(1, count); ; c *= 2) {
    const step = niceStep(max - min, c);
    const first = Math.ceil(min / step - 1e-9);
    const last = Math.floor(max / step + 1e-9);
    const values: number[] = [];
    for (let i = first; i <= last; i++) values.push(stepValue(i, step) + 0); // + 0: no -0
    if (values.length >= 2 || c > 64) return { values, step };
  }
}

/**
 * Log ticks inside [min, max] (both > 0): every decade, or every k-th when there are more
 * than `count`; 1, 2 and 5 times each decade when fewer than two whole decades fall inside;
 * and linear ticks when even those are fewer than two.
 */
export function logTicks(min: number, max: number, count: number): number[] {
  if (!(min > 0) || !(max > min)) return min > 0 ? [min] : [];
  const lo = Math.ceil(Math.log10(min) - 1e-9);
  const hi = Math.floor(Math.log10(max) + 1e-9);
  const decades = hi - lo + 1;
  const pow = (k: number): number => Number((10 ** k).toPrecision(12));
  if (decades >= 2) {
    const every = Math.max(1, Math.ceil(decades / Math.max(1, count)));
    const out: number[] = [];
    for (let k = lo; k <= hi; k += every) out.push(pow(k));
    return out;
  }
  const out: number[] = [];
  for (let k = lo - 1; k <= hi; k++) for (const m of [1, 2, 5]) {
    const v = Number((m * 10 ** k).toPrecision(12));
    if (v >= min * (1 - 1e-12) && v <= max * (1 + 1e-12)) out.push(v);
  }
  return out.length >= 2 ? out : linearTicks(min, max, count).values;
}

/** SI-style shortening of large numbers: the divisor and its suffix for the largest magnitude shown. */
function siUnit(top: number): [number, string] {
  if (top >= 1e9) return [1e9, "G"];
  if (top >= 1e6) return [1e6, "M"];
  if (top >= 1e4) return [1e3, "k"];
  return [1, ""];
}

function noNegativeZero(s: string): string {
  return /^-0(\.0*)?[kMG]?$/.test(s) ? s.slice(1) : s;
}

/**
 * Labels of linear ticks `values` spaced `step` apart: the decimals the step needs (0.05 ->
 * 2), thousands as `70k`, millions as `1.2M`; tiny magnitudes in exponent form.
 */
export function formatLinearTicks(values: readonly number[], step: number): string[] {
  const top = Math.max(0, ...values.map((v) => Math.abs(v)));
  if (top > 0 && top < 1e-3) return values.map((v) => formatLogTick(v));
  const [div, suffix] = siUnit(top);
  const unit = step > 0 ? step / div : top / div;
  const decimals = unit > 0 ? Math.min(10, Math.max(0, Math.ceil(-Math.log10(unit) - 1e-9))) : 0;
  return values.map((v) => noNegativeZero(`${(v / div).toFixed(decimals)}${suffix}`));
}

/** A log tick's label: plain between 0.001 and 99,999, else `1e-4` / `2e+6`. */
export function formatLogTick(v: number): string {
  const abs = Math.abs(v);
  if (v === 0) return "0";
  if (abs >= 1e-3 && abs < 1e5) return String(Number(v.toPrecision(6)));
  const [mantissa, exponent] = v.toExponential().split("e") as [string, string];
  return `${Number(Number(mantissa).toPrecision(6))}e${exponent}`;
}
