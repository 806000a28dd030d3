/** How the UI writes numbers, times and durations. */

/** A number rounded for a table cell: 4 significant digits, exponent only when very large or small. */
export function roundNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return "0";
  const abs = Math.abs(value);
  if (abs >= 1e7 || abs < 1e-4) return value.toExponential(3);
  const rounded = Number(value.toPrecision(4));
  if (Math.abs(rounded) >= 1000) return Math.round(value).toLocaleString("en-US");
  return String(rounded);
}

/** The full value as MLflow stores it, for tooltips. */
export function fullNumber(value: number): string {
  return String(value);
}

/** Milliseconds since the epoch as local `YYYY-MM-DD HH:MM:SS`. */
export function dateTime(ms: number | undefined | null): string {
  if (ms === undefined || ms === null || !Number.isFinite(Number(ms))) return "";
  const d = new Date(Number(ms));
  const p = (n: number): string => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** A duration as MLflow's UI writes it: `850ms`, `12.3s`, `4.5min`, `2.1h`. */
export function duration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms) || ms < 0) return "";
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  if (ms < 3_600_000) return `${(ms / 60_000).toFixed(1)}min`;
  return `${(ms / 3_600_000).toFixed(1)}h`;
}

/** "3 minutes ago" and the like, for "Created" cells. */
export function ago(ms: number | undefined, now = Date.now()): string {
  if (ms === undefined) return "";
  const s = Math.max(0, (now - Number(ms)) / 1000);
  const unit = (n: number, name: string): string => `${Math.floor(n)} ${name}${Math.floor(n) === 1 ? "" : "s"} ago`;
  if (s < 60) return unit(s, "second");
  if (s < 3600) return unit(s / 60, "minute");
  if (s < 86400) return unit(s / 3600, "hour");
  if (s < 86400 * 30) return unit(s / 86400, "day");
  return dateTime(ms).slice(0, 10);
}

/** Bytes as `12 B`, `3.4 kB`, `5.6 MB`. */
export function bytes(n: number | string | undefined): string {
  const v = Number(n ?? 0);
  if (v < 1000) return `${v} B`;
  if (v < 1e6) return `${(v / 1e3).toFixed(1)} kB`;
  return `${(v / 1e6).toFixed(1)} MB`;
}
