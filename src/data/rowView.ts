import type { Column, DeferredColumn } from "./column";

/** Some rows of a column, gathered on first use: what `Frame.take` makes instead of copying. */
export class RowView implements DeferredColumn {
  readonly length: number;

  constructor(
    /** The column the rows are taken from (never itself a view). */
    readonly source: Column | DeferredColumn,
    /** Row indices into `source`. */
    readonly rows: Int32Array,
  ) {
    this.length = rows.length;
  }

  /** The source's values at `rows[at[k]]` (at `rows` when `at` is null). */
  materialise(at: Int32Array | null): Column {
    const rows = at === null ? this.rows : composeIndices(this.rows, at);
    const s = this.source;
    if (s instanceof Float64Array) return gatherNumbers(s, rows);
    if (Array.isArray(s)) return gatherTexts(s, rows);
    return s.materialise(rows);
  }
}

/** `rows[at[k]]` for each k. */
export function composeIndices(rows: Int32Array, at: Int32Array): Int32Array {
  const out = new Int32Array(at.length);
  for (let k = 0; k < at.length; k++) out[k] = rows[at[k] as number] as number;
  return out;
}

function gatherNumbers(values: Float64Array, rows: Int32Array): Float64Array {
  const out = new Float64Array(rows.length);
  for (let k = 0; k < rows.length; k++) out[k] = values[rows[k] as number] as number;
  return out;
}

function gatherTexts(values: Array<string | null>, rows: Int32Array): Array<string | null> {
  const out = new Array<string | null>(rows.length);
  for (let k = 0; k < rows.length; k++) out[k] = values[rows[k] as number] as string | null;
  return out;
}
