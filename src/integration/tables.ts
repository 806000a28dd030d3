import { Frame, type Column } from "../data/frame";
import type { InputTable, InputValue, ColSpec } from "../tracking/model/signature";

/**
 * A model-serving input table (pandas "split" orientation) as a {@link Frame}: a column is
 * numeric when every non-null value is a number or boolean (true is 1), text otherwise.
 */
export function tableToFrame(table: InputTable): Frame {
  const columns = new Map<string, Column>();
  table.columns.forEach((name, j) => {
    const values: InputValue[] = table.data.map((row) => {
      const v = row[j] ?? null;
      return typeof v === "boolean" ? Number(v) : v;
    });
    const numeric = values.every((v) => v === null || typeof v === "number");
    columns.set(
      name,
      numeric
        ? Float64Array.from(values, (v) => (v === null ? NaN : (v as number)))
        : values.map((v) => (v === null ? null : String(v))),
    );
  });
  return new Frame(columns);
}

/** The first `n` rows of a frame as an input table (NaN becomes null). */
export function frameToTable(frame: Frame, n = frame.nRows): InputTable {
  const rows = Math.min(n, frame.nRows);
  const data: InputValue[][] = [];
  for (let i = 0; i < rows; i++) {
    const record = frame.rowRecord(i);
    data.push(frame.columnNames.map((c) => record[c] ?? null));
  }
  return { columns: [...frame.columnNames], data };
}

/** The signature of a frame's columns: numbers as "double", text as "string". */
export function frameSchema(frame: Frame, columns: readonly string[] = frame.columnNames): ColSpec[] {
  return columns.map((name) => ({ name, type: frame.get(name) instanceof Float64Array ? "double" : "string" }));
}
