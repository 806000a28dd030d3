import type { Frame } from "./frame";

/** Options of {@link toCsv}. */
export interface ToCsvOptions {
  /** Line ending (default "\n"). */
  readonly lineEnd?: "\n" | "\r\n";
  /** Start with a UTF-8 byte-order mark (default false). */
  readonly bom?: boolean;
  /** Maps a text cell before writing (e.g. to reproduce a published file's encoding). */
  readonly encodeText?: (column: string, value: string) => string;
}

/** Formats a frame as RFC 4180 CSV; empty cells for NaN and null; quotes only where needed. */
export function toCsv(frame: Frame, options: ToCsvOptions = {}): string {
  const end = options.lineEnd ?? "\n";
  const quote = (s: string): string => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const lines = [frame.columnNames.map(quote).join(",")];
  const cols = frame.columnNames.map((n) => [n, frame.get(n)] as const);
  for (let i = 0; i < frame.nRows; i++) {
    lines.push(
      cols
        .map(([name, c]) => {
          const v = c[i];
          if (v === null || v === undefined || (typeof v === "number" && Number.isNaN(v))) return "";
          if (typeof v === "number") return String(v);
          return quote(options.encodeText ? options.encodeText(name, v) : v);
        })
        .join(","),
    );
  }
  return (options.bom ? "\ufeff" : "") + lines.join(end) + end;
}
