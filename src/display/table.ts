import type { Frame, RowRecord } from "../data/frame";
import type { Matrix } from "../util/matrix";
import { escapeHtml } from "./html";

/** Options of {@link recordsToHtml} and {@link frameToHtml}. */
export interface TableHtmlOptions {
  /** Columns to show, in order (default: the keys of the first record, or the frame's columns). */
  readonly columns?: readonly string[];
  /** Show at most this many rows, then a "… n more rows" line (default 20). */
  readonly maxRows?: number;
  /** Significant digits of non-integer numbers (default 6). */
  readonly digits?: number;
  /** A caption above the table. */
  readonly caption?: string;
}

const GROUPED = new Intl.NumberFormat("en-US", { maximumFractionDigits: 20 });

/**
 * A cell as text: integers in full, other numbers to `digits` significant digits, missing as
 * empty; numbers of 10,000 and more with thousands separators (62,818, not 62818).
 */
export function formatCell(value: unknown, digits = 6): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "";
    const rounded = Number.isInteger(value) ? value : Number(value.toPrecision(digits));
    return Math.abs(rounded) >= 10_000 && Number.isFinite(rounded) ? GROUPED.format(rounded) : String(rounded);
  }
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/**
 * Records turned on their side: one row per field of the input (named in column `header`),
 * one column per input record (named by its `keyField` value). What a slide shows instead of
 * a table too wide for it, e.g. four runs with ten metrics each.
 */
export function transposeRecords(
  records: readonly Readonly<Record<string, unknown>>[],
  keyField: string,
  options: { header?: string; fields?: readonly string[] } = {},
): Record<string, unknown>[] {
  const fields = options.fields ?? [...new Set(records.flatMap((r) => Object.keys(r)))].filter((f) => f !== keyField);
  const header = options.header ?? "";
  return fields.map((field) => {
    const row: Record<string, unknown> = { [header]: field };
    for (const r of records) row[String(r[keyField])] = r[field] ?? null;
    return row;
  });
}

/** An HTML table of plain row objects, numbers right-aligned: what notebooks display instead of a DataFrame. */
export function recordsToHtml(records: readonly object[], options: TableHtmlOptions = {}): string {
  const columns = options.columns ?? (records.length > 0 ? Object.keys(records[0] as object) : []);
  const maxRows = options.maxRows ?? 20;
  const digits = options.digits ?? 6;
  const shown = records.slice(0, maxRows);
  // A column of numbers is right-aligned, its header too.
  const numeric = (c: string): boolean => shown.some((r) => typeof (r as Readonly<Record<string, unknown>>)[c] === "number");
  const head = columns.map((c) => `<th${numeric(c) ? ' style="text-align:right"' : ""}>${escapeHtml(c)}</th>`).join("");
  const body = shown
    .map((r) => {
      const cells = columns.map((c) => {
        const v = (r as Readonly<Record<string, unknown>>)[c];
        const align = typeof v === "number" ? ' style="text-align:right"' : "";
        return `<td${align}>${escapeHtml(formatCell(v, digits))}</td>`;
      });
      return `<tr>${cells.join("")}</tr>`;
    })
    .join("\n");
  const caption = options.caption === undefined ? "" : `<caption>${escapeHtml(options.caption)}</caption>`;
  const more =
    records.length > shown.length ? `\n<p class="demo-table-more">… ${formatCell(records.length - shown.length)} more rows (${formatCell(records.length)} in all)</p>` : "";
  return `<table class="demo-table">${caption}<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody></table>${more}`;
}

/** An HTML table of a frame's first rows (see {@link recordsToHtml}). */
export function frameToHtml(frame: Frame, options: TableHtmlOptions = {}): string {
  const maxRows = options.maxRows ?? 20;
  const records: RowRecord[] = frame.head(maxRows).toRecords();
  const html = recordsToHtml(records, { ...options, columns: options.columns ?? frame.columnNames, maxRows });
  const more = frame.nRows > maxRows ? `\n<p class="demo-table-more">… ${formatCell(frame.nRows - maxRows)} more rows (${formatCell(frame.nRows)} in all)</p>` : "";
  return html + more;
}

/** An HTML table of a matrix's first rows with named columns (e.g. preprocessed features). */
export function matrixToHtml(X: Matrix, columnNames: readonly string[], options: TableHtmlOptions = {}): string {
  const maxRows = options.maxRows ?? 5;
  const n = Math.min(maxRows, X.rows);
  const records: Record<string, number>[] = [];
  for (let i = 0; i < n; i++) {
    const r: Record<string, number> = {};
    for (let j = 0; j < X.cols; j++) r[columnNames[j] ?? `x${j}`] = X.data[i * X.cols + j] as number;
    records.push(r);
  }
  const html = recordsToHtml(records, { digits: 4, ...options, maxRows });
  const more = X.rows > n ? `\n<p class="demo-table-more">… ${formatCell(X.rows - n)} more rows (${formatCell(X.rows)} × ${X.cols})</p>` : "";
  return html + more;
}
