import { ValueError } from "../errors";

/** A column of numbers (NaN marks a missing value) or of strings (null marks a missing value). */
export type Column = Float64Array | Array<string | null>;

/** One row as a plain object. */
export type RowRecord = Record<string, number | string | null>;

/**
 * A small immutable column table: the data as it flows from loading to preprocessing.
 * Numeric columns are Float64Arrays, text columns arrays of strings.
 */
export class Frame {
  /** Number of rows. */
  readonly nRows: number;
  /** Column names, in order. */
  readonly columnNames: readonly string[];
  private readonly columns: ReadonlyMap<string, Column>;

  /** @param columns name -> column; all columns must have the same length. */
  constructor(columns: Record<string, Column> | ReadonlyMap<string, Column>) {
    const entries = columns instanceof Map ? [...columns.entries()] : Object.entries(columns);
    const lengths = new Set(entries.map(([, c]) => c.length));
    if (lengths.size > 1) {
      const desc = entries.map(([k, c]) => `${k}: ${c.length}`).join(", ");
      throw new ValueError(`Frame: columns have different lengths (${desc})`);
    }
    this.columns = new Map(entries);
    this.columnNames = entries.map(([k]) => k);
    this.nRows = entries.length === 0 ? 0 : (entries[0] as [string, Column])[1].length;
  }

  /** True when the frame has a column `name`. */
  has(name: string): boolean {
    return this.columns.has(name);
  }

  /** The column `name`; throws naming the column and the ones available when absent. */
  get(name: string): Column {
    const c = this.columns.get(name);
    if (c === undefined) {
      throw new ValueError(`column "${name}" not found; columns are: ${this.columnNames.join(", ")}`);
    }
    return c;
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
    return new Frame(new Map(names.map((n) => [n, this.get(n)] as [string, Column])));
  }

  /** A frame with the column `name` added or replaced. */
  withColumn(name: string, column: Column): Frame {
    const m = new Map(this.columns);
    m.set(name, column);
    return new Frame(m);
  }

  /** The rows at `indices`, in that order. */
  take(indices: ArrayLike<number>): Frame {
    const out = new Map<string, Column>();
    for (const [name, c] of this.columns) {
      if (c instanceof Float64Array) {
        const v = new Float64Array(indices.length);
        for (let k = 0; k < indices.length; k++) v[k] = c[indices[k] as number] as number;
        out.set(name, v);
      } else {
        const v = new Array<string | null>(indices.length);
        for (let k = 0; k < indices.length; k++) v[k] = c[indices[k] as number] as string | null;
        out.set(name, v);
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
    for (const [name, c] of this.columns) {
      const v = c[i];
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
}
