import { ValueError } from "../errors";
import { isColumn, type Column, type ColumnSource } from "./column";
import { composeIndices, RowView } from "./rowView";

export type { Column } from "./column";

/** One row as a plain object. */
export type RowRecord = Record<string, number | string | null>;

/**
 * A small immutable column table: the data as it flows from loading to preprocessing.
 * Numeric columns are Float64Arrays, text columns arrays of strings. A column may also be
 * deferred (computed on first use, e.g. text still in the file's bytes), and `take` makes a
 * view: the rows are gathered when a column is first read, so columns nobody reads cost nothing.
 */
export class Frame {
  /** Number of rows. */
  readonly nRows: number;
  /** Column names, in order. */
  readonly columnNames: readonly string[];
  private readonly sources: ReadonlyMap<string, ColumnSource>;
  /** Columns already computed from deferred sources. */
  private readonly computed = new Map<string, Column>();

  /** @param columns name -> column (or deferred column); all must have the same length. */
  constructor(columns: Record<string, Column> | ReadonlyMap<string, ColumnSource>) {
    const entries: Array<[string, ColumnSource]> = columns instanceof Map ? [...columns.entries()] : Object.entries(columns);
    const lengths = new Set(entries.map(([, c]) => c.length));
    if (lengths.size > 1) {
      const desc = entries.map(([k, c]) => `${k}: ${c.length}`).join(", ");
      throw new ValueError(`Frame: columns have different lengths (${desc})`);
    }
    this.sources = new Map(entries);
    this.columnNames = entries.map(([k]) => k);
    this.nRows = entries.length === 0 ? 0 : (entries[0] as [string, ColumnSource])[1].length;
  }

  /** True when the frame has a column `name`. */
  has(name: string): boolean {
    return this.sources.has(name);
  }

  /** The column `name`; throws naming the column and the ones available when absent. */
  get(name: string): Column {
    const source = this.sources.get(name);
    if (source === undefined) {
      throw new ValueError(`column "${name}" not found; columns are: ${this.columnNames.join(", ")}`);
    }
    if (isColumn(source)) return source;
    let column = this.computed.get(name);
    if (column === undefined) {
      column = source.materialise(null);
      this.computed.set(name, column);
    }
    return column;
  }

  /** The numeric column `name`; throws when it holds text. */
  numeric(name: string): Float64Array {
    const c = this.get(name);
    if (!(c instanceof Float64Array)) throw new ValueError(`column "${name}" holds text, expected numbers`);
    return c;
  }

  /** The text column `name`; throws when it holds numbers. */
  text(name: string): Array<string | null> {
    const c = this.get(name);
    if (c instanceof Float64Array) throw new ValueError(`column "${name}" holds numbers, expected text`);
    return c;
  }

  /** A frame with only `names`, in that order. */
  select(names: readonly string[]): Frame {
    const out = new Frame(new Map(names.map((n) => [n, this.source(n)] as [string, ColumnSource])));
    for (const n of names) this.shareComputed(out, n);
    return out;
  }

  /** A frame with the column `name` added or replaced. */
  withColumn(name: string, column: Column): Frame {
    const m = new Map(this.sources);
    m.set(name, column);
    const out = new Frame(m);
    for (const n of this.columnNames) if (n !== name) this.shareComputed(out, n);
    return out;
  }

  /** The rows at `indices`, in that order (each an integer in [0, nRows)). */
  take(indices: ArrayLike<number>): Frame {
    const rows = Int32Array.from(indices);
    const bad = firstNotARow(rows, indices, this.nRows);
    if (bad >= 0) throw new RangeError(`Frame.take: index ${indices[bad]} is not a row (0..${this.nRows - 1})`);
    // Columns that are views of the same rows share one composed index array.
    const composed = new Map<Int32Array, Int32Array>();
    const out = new Map<string, ColumnSource>();
    for (const [name, source] of this.sources) {
      if (source instanceof RowView) {
        let r = composed.get(source.rows);
        if (r === undefined) {
          r = composeIndices(source.rows, rows);
          composed.set(source.rows, r);
        }
        out.set(name, new RowView(source.source, r));
      } else {
        out.set(name, new RowView(source, rows));
      }
    }
    return new Frame(out);
  }

  /** The rows where `keep(i)` is true. */
  filter(keep: (i: number) => boolean): Frame {
    const idx: number[] = [];
    for (let i = 0; i < this.nRows; i++) if (keep(i)) idx.push(i);
    return this.take(idx);
  }

  /** The first `n` rows. */
  head(n = 5): Frame {
    return this.take(Array.from({ length: Math.min(n, this.nRows) }, (_, i) => i));
  }

  /** Row `i` as a plain object (NaN becomes null). */
  rowRecord(i: number): RowRecord {
    const r: RowRecord = {};
    for (const name of this.columnNames) {
      const v = this.get(name)[i];
      r[name] = typeof v === "number" && Number.isNaN(v) ? null : (v ?? null);
    }
    return r;
  }

  /** All rows as plain objects. */
  toRecords(): RowRecord[] {
    return Array.from({ length: this.nRows }, (_, i) => this.rowRecord(i));
  }

  /** Builds a frame from plain row objects; a column is numeric when all its non-null values are numbers. */
  static fromRecords(records: readonly RowRecord[], columnNames?: readonly string[]): Frame {
    const names = columnNames ?? (records.length > 0 ? Object.keys(records[0] as RowRecord) : []);
    const cols = new Map<string, Column>();
    for (const name of names) {
      const values = records.map((r) => r[name] ?? null);
      const numeric = values.every((v) => v === null || typeof v === "number");
      cols.set(
        name,
        numeric
          ? Float64Array.from(values, (v) => (v === null ? NaN : (v as number)))
          : values.map((v) => (v === null ? null : String(v))),
      );
    }
    return new Frame(cols);
  }

  private source(name: string): ColumnSource {
    const s = this.sources.get(name);
    if (s === undefined) throw new ValueError(`column "${name}" not found; columns are: ${this.columnNames.join(", ")}`);
    return s;
  }

  /** Hands a column this frame already computed to `other`, which has the same source for it. */
  private shareComputed(other: Frame, name: string): void {
    const c = this.computed.get(name);
    if (c !== undefined) other.computed.set(name, c);
  }
}

/** The first position whose index is not an integer in [0, n) (`rows` holds the indices as int32), or -1. */
function firstNotARow(rows: Int32Array, indices: ArrayLike<number>, n: number): number {
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k] as number;
    if (i < 0 || i >= n || i !== indices[k]) return k;
  }
  return -1;
}
