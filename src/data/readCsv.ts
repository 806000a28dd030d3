import { existsSync, readFileSync, statSync } from "node:fs";
import { DataError } from "../errors";
import { scanCsv, type CsvScan } from "./csv";
import { DeferredText } from "./deferredText";
import { Frame } from "./frame";
import { isDoubleEncodedAt } from "./mojibake";
import { parseNumericColumns } from "./numericColumns";
import type { ColumnSource } from "./column";

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

/** How many values of column `j` are double-encoded (what repairing the column would change). */
function countDoubleEncoded(scan: CsvScan, j: number): number {
  const { bytes, start, end, nRecords, nFields } = scan;
  let count = 0;
  for (let k = j; k < nRecords * nFields; k += nFields) if (isDoubleEncodedAt(bytes, start[k] as number, end[k] as number)) count++;
  return count;
}

/**
 * Reads a CSV file into a {@link Frame}. Errors name the file, the data row
 * (1-based, header excluded) with its line, and the column. Numbers are parsed (and checked)
 * now; text is decoded and repaired when first read.
 */
export function readCsv(path: string, options: ReadCsvOptions = {}): ReadCsvResult {
  const { frame, countRepaired } = readCsvDeferred(path, options);
  return { frame, repaired: countRepaired() };
}

/** {@link readCsv}, with the count of repaired values left to be made on request. */
export function readCsvDeferred(path: string, options: ReadCsvOptions = {}): { frame: Frame; countRepaired: () => Record<string, number> } {
  if (!existsSync(path)) throw new DataError("no such file", { file: path });
  if (statSync(path).isDirectory()) throw new DataError("is a directory, not a CSV file", { file: path });
  const scan = scanCsv(readFileSync(path), path);
  const { header } = scan;
  for (const required of options.requiredColumns ?? []) {
    if (!header.includes(required)) {
      throw new DataError(`missing required column; the header has: ${header.join(", ").slice(0, 300)}`, { file: path, column: required });
    }
  }
  const numeric = new Set(options.numericColumns ?? []);
  const repair = new Set(options.repairColumns ?? []);
  const columns = new Map<string, ColumnSource>();
  const numericJs: number[] = [];
  for (let j = 0; j < header.length; j++) if (numeric.has(header[j] as string)) numericJs.push(j);
  const numbers = parseNumericColumns(scan, numericJs, numericJs.map((j) => header[j] as string), path);
  for (let j = 0; j < header.length; j++) {
    const name = header[j] as string;
    if (numeric.has(name)) columns.set(name, numbers[numericJs.indexOf(j)] as Float64Array);
    else columns.set(name, new DeferredText(scan, j, repair.has(name)));
  }
  const countRepaired = (): Record<string, number> => {
    const repaired: Record<string, number> = {};
    for (let j = 0; j < header.length; j++) {
      const name = header[j] as string;
      if (!numeric.has(name) && repair.has(name)) repaired[name] = countDoubleEncoded(scan, j);
    }
    return repaired;
  };
  return { frame: new Frame(columns), countRepaired };
}
