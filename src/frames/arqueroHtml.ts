import { escapeHtml } from "../display/html";
import type { ArqueroTable } from "./arquero";

/** Options of {@link arqueroHtml}. */
export interface ArqueroHtmlOptions {
  /** Show at most this many rows, then a "… n more rows" line (default 10: a slide holds about 12). */
  readonly maxRows?: number;
  /** Significant digits of non-integer numbers; digits before the decimal point are never cut (default 4). */
  readonly digits?: number;
  /** Longer text is cut to this many characters, the whole of it in the cell's tooltip (default 40). */
  readonly maxTextLength?: number;
  /** Turn the table on its side: one row per column, one column per row, headed by the first column's values. */
  readonly transpose?: boolean;
  /** A caption above the table. */
  readonly caption?: string;
}

/** CSS class of the element around every table {@link arqueroHtml} makes: it scrolls sideways when the table is wider than the page. */
export const TABLE_SCROLL_CLASS = "demo-table-scroll";

const formatters = new Map<string, Intl.NumberFormat>();

function formatter(decimals: number, grouped: boolean): Intl.NumberFormat {
  const key = `${decimals}:${grouped}`;
  let f = formatters.get(key);
  if (f === undefined) {
    f = new Intl.NumberFormat("en-US", { maximumFractionDigits: decimals, useGrouping: grouped });
    formatters.set(key, f);
  }
  return f;
}

/**
 * A number as a table shows it: integers in full, others rounded to `digits` significant digits
 * (never cutting digits before the decimal point), missing (NaN) as empty. Thousands separators:
 * always when `grouped` is true, never when false, and by default from 10,000 on (62,818 and
 * 512,346, but 2022 for a year).
 */
export function formatTableNumber(value: number, digits = 4, grouped?: boolean): string {
  if (Number.isNaN(value)) return "";
  if (!Number.isFinite(value)) return value > 0 ? "∞" : "−∞";
  const magnitude = value === 0 ? 1 : Math.floor(Math.log10(Math.abs(value))) + 1;
  const decimals = Number.isInteger(value) ? 0 : Math.min(20, Math.max(0, digits - magnitude));
  return formatter(decimals, grouped ?? Math.abs(Number(value.toFixed(decimals))) >= 10_000).format(value);
}

interface Cell {
  readonly text: string;
  /** The whole text when `text` was cut. */
  readonly title?: string;
  readonly numeric: boolean;
}

function toCell(value: unknown, digits: number, maxTextLength: number, grouped: boolean): Cell {
  if (value === null || value === undefined) return { text: "", numeric: false };
  if (typeof value === "number") return { text: formatTableNumber(value, digits, grouped), numeric: true };
  let text: string;
  if (value instanceof Date) text = Number.isNaN(value.getTime()) ? "" : value.toISOString();
  else if (typeof value === "object") text = JSON.stringify(value) ?? "";
  else text = String(value);
  if (text.length <= maxTextLength) return { text, numeric: typeof value === "bigint" };
  return { text: `${text.slice(0, Math.max(1, maxTextLength - 1))}…`, title: text, numeric: false };
}

/**
 * Whether a column holding `value` groups thousands throughout, so that its numbers line up:
 * a number of 10,000 or more, or a measured quantity (not an integer) of 1,000 or more, such as a
 * median price per m² of 8,145. Integers below 10,000 alone (years, counts) stay as they are.
 */
function needsGrouping(value: unknown): boolean {
  if (typeof value !== "number" || !Number.isFinite(value)) return false;
  return Math.abs(value) >= 9_999.5 || (!Number.isInteger(value) && Math.abs(value) >= 999.5);
}

function td(cell: Cell, tag: "td" | "th"): string {
  const attrs = (cell.numeric ? ' style="text-align:right"' : "") + (cell.title === undefined ? "" : ` title="${escapeHtml(cell.title)}"`);
  return `<${tag}${attrs}>${escapeHtml(cell.text)}</${tag}>`;
}

/**
 * An arquero table as HTML for tslab's `display.html` and the slides: the first `maxRows` rows
 * in the table's order, numbers right-aligned and rounded ({@link formatTableNumber}), with
 * thousands separators throughout a column that holds a number of 10,000 or more or a
 * non-integer of 1,000 or more (so years and small counts stay bare),
 * long text cut, then "… n more rows (N in all)". It has the project's table classes
 * (`demo-table`, `demo-table-more`), so the slides style it as every other table, and sits in a
 * {@link TABLE_SCROLL_CLASS} element that scrolls sideways in a notebook when the table is wider
 * than the page; on a 1280x720 slide, choose the columns (`select`) or `transpose` instead.
 */
export function arqueroHtml(table: ArqueroTable, options: ArqueroHtmlOptions = {}): string {
  const maxRows = options.maxRows ?? 10;
  const digits = options.digits ?? 4;
  const maxTextLength = options.maxTextLength ?? 40;
  const names = table.columnNames();
  const records = table.objects({ limit: maxRows }) as Array<Record<string, unknown>>;
  const grouped = names.map((n) => records.some((r) => needsGrouping(r[n])));
  const grid = records.map((r) => names.map((n, j) => toCell(r[n], digits, maxTextLength, grouped[j] === true)));
  const headerAndRows: Cell[][] = [names.map((text): Cell => ({ text, numeric: false })), ...grid];
  const [headRow = [], ...body] = options.transpose === true ? names.map((_, j) => headerAndRows.map((row) => row[j] as Cell)) : headerAndRows;
  // A header is right-aligned over numbers.
  const head = headRow.map((c, j): Cell => ({ ...c, numeric: body.some((row) => row[j]?.numeric === true) }));
  const caption = options.caption === undefined ? "" : `<caption>${escapeHtml(options.caption)}</caption>`;
  const rows = body.map((row) => `<tr>${row.map((c) => td(c, "td")).join("")}</tr>`).join("\n");
  const total = table.numRows();
  const more =
    total > records.length
      ? `\n<p class="demo-table-more">… ${formatTableNumber(total - records.length)} more rows (${formatTableNumber(total)} in all)</p>`
      : "";
  return (
    `<div class="${TABLE_SCROLL_CLASS}" style="max-width:100%;overflow-x:auto">` +
    `<table class="demo-table">${caption}<thead><tr>${head.map((c) => td(c, "th")).join("")}</tr></thead>\n` +
    `<tbody>\n${rows}\n</tbody></table></div>${more}`
  );
}
