/** DATETIME columns as SQLAlchemy writes them for Optuna: naive local time with microseconds. */

const pad = (n: number, width = 2): string => String(n).padStart(width, "0");

/** `YYYY-MM-DD HH:MM:SS.ffffff` in local time (Python's `datetime.now()`). */
export function formatDatetime(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}000`;
}

/** Parses a stored DATETIME as local time (`utc` for the database's own CURRENT_TIMESTAMP). */
export function parseDatetime(text: unknown, utc = false): Date | null {
  if (text === null || text === undefined) return null;
  if (text instanceof Date) return text;
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?/.exec(String(text));
  if (m === null) return null;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const ms = m[7] === undefined ? 0 : Math.round(Number(`0.${m[7]}`) * 1000);
  return utc ? new Date(Date.UTC(y, mo - 1, d, h, mi, s, ms)) : new Date(y, mo - 1, d, h, mi, s, ms);
}
