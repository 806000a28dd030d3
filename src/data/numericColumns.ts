import { DataError } from "../errors";
import { fieldText, type CsvScan } from "./csv";
import { parseDecimalAt } from "./decimal";
import { isNa } from "./naValues";

/**
 * Parses the fields `js` of every record of a scan as numbers (missing markers become NaN).
 * Record by record, since a record's fields lie together in memory. A cell that is neither a
 * number nor a missing marker is an error naming file, row, line and column: the first such
 * cell in column order, then row order, as parsing one column after another would find it.
 */
export function parseNumericColumns(scan: CsvScan, js: readonly number[], names: readonly string[], file: string): Float64Array[] {
  const columns = js.map(() => new Float64Array(scan.nRecords));
  if (!fillNumbers(scan, Int32Array.from(js), columns)) {
    for (let c = 0; c < js.length; c++) throwAtFirstNonNumber(scan, js[c] as number, names[c] as string, file);
  }
  return columns;
}

/** Fills the columns; false when some cell is neither a number nor a missing marker. */
function fillNumbers(scan: CsvScan, js: Int32Array, columns: Float64Array[]): boolean {
  const { bytes, start, end, nRecords, nFields } = scan;
  const m = js.length;
  let ok = true;
  for (let r = 0, base = 0; r < nRecords; r++, base += nFields) {
    for (let c = 0; c < m; c++) {
      const k = base + (js[c] as number);
      const v = parseDecimalAt(bytes, start[k] as number, end[k] as number);
      if (v === v) (columns[c] as Float64Array)[r] = v;
      else {
        (columns[c] as Float64Array)[r] = NaN;
        if (!isNa(fieldText(scan, k))) ok = false;
      }
    }
  }
  return ok;
}

function throwAtFirstNonNumber(scan: CsvScan, j: number, name: string, file: string): void {
  const { bytes, start, end, nRecords, nFields, lines } = scan;
  for (let r = 0, k = j; r < nRecords; r++, k += nFields) {
    const v = parseDecimalAt(bytes, start[k] as number, end[k] as number);
    if (v === v) continue;
    const cell = fieldText(scan, k);
    if (!isNa(cell)) throw new DataError(`"${cell.slice(0, 40)}" is not a number (line ${lines[r]})`, { file, row: r + 1, column: name });
  }
}
