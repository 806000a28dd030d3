/**
 * What a `Frame` column is: the values themselves, or a column computed on first use.
 * Kept apart from `frame.ts` so that the modules that make columns need not import the frame.
 */

/** A column of numbers (NaN marks a missing value) or of strings (null marks a missing value). */
export type Column = Float64Array | Array<string | null>;

/**
 * A column computed on first use from a source that holds every row, e.g. text still in a
 * file's bytes: only the rows asked for are computed.
 */
export interface DeferredColumn {
  /** Number of rows. */
  readonly length: number;
  /** The values at `rows`, in that order (every row when null). */
  materialise(rows: Int32Array | null): Column;
}

/** What a {@link Frame} column is made from: the values, or how to compute them. */
export type ColumnSource = Column | DeferredColumn;

/** True when `source` holds its values already. */
export function isColumn(source: ColumnSource): source is Column {
  return source instanceof Float64Array || Array.isArray(source);
}
