/** Number formats for sentences on slides: grouped thousands, fixed decimals, PLN and percents. */

const WHOLE = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** A count or an amount rounded to a whole number, thousands separated from 10,000 on (as the tables): 62,818, 5211. */
export function formatWhole(value: number): string {
  const rounded = Math.round(value);
  return Math.abs(rounded) >= 10_000 ? WHOLE.format(rounded) : String(rounded);
}

/** An amount in zloty: "46,697 PLN". */
export function formatPln(value: number): string {
  return `${formatWhole(value)} PLN`;
}

/** A fraction as a percent with `decimals` decimals: 0.2345 -> "23.5 %". */
export function formatPercent(fraction: number, decimals = 1): string {
  return `${(100 * fraction).toFixed(decimals)} %`;
}

/** Seconds as "42 s" under two minutes, else "3 min 05 s". */
export function formatSeconds(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 120) return `${s} s`;
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s`;
}

/** A number to `digits` significant digits, without trailing zeros or exponent for ordinary sizes: 0.0123. */
export function formatSignificant(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value) && Math.abs(value) < 1e6) return Math.abs(value) >= 10_000 ? formatWhole(value) : String(value);
  const rounded = Number(value.toPrecision(digits));
  return Math.abs(rounded) >= 10_000 ? formatWhole(rounded) : String(rounded);
}
