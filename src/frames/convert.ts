import { ValueError } from "../errors";
import type { Column } from "../data/column";
import { Frame } from "../data/frame";
import { arquero, type ArqueroTable } from "./arquero";

/**
 * A frame as an arquero table, for exploring it with arquero's verbs (groupby, rollup, filter,
 * orderby, join, ...). Columns are shared, not copied: a numeric column becomes the very
 * Float64Array the frame holds (NaN is missing to arquero as to us), a text column the frame's
 * array of strings (null is missing). A column the frame holds as a view or still in the file's
 * bytes is gathered once, by the frame, then shared. arquero never writes to its columns;
 * writing into them by hand would change the frame too.
 */
export function frameToArquero(frame: Frame): ArqueroTable {
  const columns = new Map<string, Column>();
  for (const name of frame.columnNames) columns.set(name, frame.get(name));
  return arquero().table(columns, [...frame.columnNames]);
}

/**
 * An arquero table as a frame, rows in the table's order (after its filter and orderby).
 * A column of numbers becomes a Float64Array (null, undefined and NaN become NaN), a column of
 * strings an array of strings (missing values become null); a column with no value at all is
 * numeric. When the table is neither filtered nor ordered, a Float64Array column is taken as it
 * is, not copied. Throws a ValueError naming the column and row of a value that is neither a
 * number nor a string (booleans, dates, objects), or of a column that mixes numbers and text.
 * Groups are ignored: the frame holds the rows.
 */
export function arqueroToFrame(table: ArqueroTable): Frame {
  const asStored = !table.isFiltered() && !table.isOrdered();
  const columns = new Map<string, Column>();
  for (const name of table.columnNames()) {
    const stored = table.column(name);
    columns.set(name, asStored && stored instanceof Float64Array ? stored : toColumn(name, table.array(name)));
  }
  return new Frame(columns);
}

/** Values of one column, in row order, as a frame column (see {@link arqueroToFrame}). */
function toColumn(name: string, values: ArrayLike<unknown>): Column {
  let firstNumber = -1;
  let firstText = -1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (isMissing(v)) continue;
    if (typeof v === "number") {
      if (firstNumber < 0) firstNumber = i;
    } else if (typeof v === "string") {
      if (firstText < 0) firstText = i;
    } else {
      throw new ValueError(
        `arqueroToFrame: column "${name}", row ${i}: ${describe(v)} is neither a number nor text; convert the column first (e.g. with derive)`,
      );
    }
  }
  if (firstNumber >= 0 && firstText >= 0) {
    throw new ValueError(
      `arqueroToFrame: column "${name}" mixes numbers and text: row ${firstNumber} holds ${String(values[firstNumber])}, ` +
        `row ${firstText} holds ${JSON.stringify(values[firstText])}`,
    );
  }
  if (firstText >= 0) return Array.from(values, (v) => (isMissing(v) ? null : (v as string)));
  return Float64Array.from(values, (v) => (isMissing(v) ? NaN : (v as number)));
}

function isMissing(v: unknown): boolean {
  return v === null || v === undefined || (typeof v === "number" && Number.isNaN(v));
}

function describe(v: unknown): string {
  if (v instanceof Date) return `a date (${Number.isNaN(v.getTime()) ? "invalid" : v.toISOString()})`;
  if (typeof v === "object") return `an object (${JSON.stringify(v)?.slice(0, 40) ?? String(v)})`;
  return `a ${typeof v} (${String(v)})`;
}
