import { existsSync, readFileSync, statSync } from "node:fs";
import { DataError } from "../errors";
import { fieldText, scanCsv } from "./csv";
import { parseDecimalAt } from "./decimal";
import { Frame, type Column } from "./frame";
import { repairDoubleEncoded } from "./mojibake";

/** Options of {@link readCsv}. */
export interface ReadCsvOptions {
  /** Columns parsed as numbers; every other column is text. */
  readonly numericColumns?: readonly string[];
  /** Columns that must be present (an error names the first one missing). */
  readonly requiredColumns?: readonly string[];
  /** Text columns in which double-encoded UTF-8 is repaired. */
  readonly repairColumns?: readonly string[];
}

/** What {@link readCsv} returns: the frame and what it did on the way. */
export interface ReadCsvResult {
  readonly frame: Frame;
  /** Text values repaired from double encoding, per column. */
  readonly repaired: Record<string, number>;
}

/** Cells that pandas reads as missing by default. */
const NA_VALUES = new Set(["", "NA", "N/A", "n/a", "NaN", "nan", "-NaN", "-nan", "NULL", "null", "#N/A", "<NA>", "None"]);
const isNa = (cell: string): boolean => cell.length <= 4 && NA_VALUES.has(cell);

/**
 * Reads a CSV file into a {@link Frame}. Errors name the file, the data row
 * (1-based, header excluded) with its line, and the column.
 */
export function readCsv(path: string, options: ReadCsvOptions = {}): ReadCsvResult {
  if (!existsSync(path)) throw new DataError("no such file", { file: path });
  if (statSync(path).isDirectory()) throw new DataError("is a directory, not a CSV file", { file: path });
  const scan = scanCsv(readFileSync(path, "utf8"), path);
  const { header, nRecords, nFields, lines, text, start, end } = scan;
  for (const required of options.requiredColumns ?? []) {
    if (!header.includes(required)) {
      throw new DataError(`missing required column; the header has: ${header.join(", ").slice(0, 300)}`, { file: path, column: required });
    }
  }
  const numeric = new Set(options.numericColumns ?? []);
  const repair = new Set(options.repairColumns ?? []);
  const repaired: Record<string, number> = {};
  const columns = new Map<string, Column>();
  for (let j = 0; j < nFields; j++) {
    const name = header[j] as string;
    if (numeric.has(name)) {
      const col = new Float64Array(nRecords);
      for (let r = 0, k = j; r < nRecords; r++, k += nFields) {
        const v = parseDecimalAt(text, start[k] as number, end[k] as number);
        if (v === v) col[r] = v;
        else {
          const cell = fieldText(scan, k);
          if (!isNa(cell)) {
            throw new DataError(`"${cell.slice(0, 40)}" is not a number (line ${lines[r]})`, { file: path, row: r + 1, column: name });
          }
          col[r] = NaN;
        }
      }
      columns.set(name, col);
    } else {
      const fix = repair.has(name);
      let count = 0;
      const col = new Array<string | null>(nRecords);
      for (let r = 0, k = j; r < nRecords; r++, k += nFields) {
        const cell = fieldText(scan, k);
        if (isNa(cell)) {
          col[r] = null;
          continue;
        }
        const fixed = fix ? repairDoubleEncoded(cell) : undefined;
        if (fixed !== undefined) count++;
        col[r] = fixed ?? cell;
      }
      if (fix) repaired[name] = count;
      columns.set(name, col);
    }
  }
  return { frame: new Frame(columns), repaired };
}
