import { existsSync, readFileSync, statSync } from "node:fs";
import { DataError } from "../errors";
import { fieldText, scanCsv, type CsvScan } from "./csv";
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

/** Short values repeat (categories, city names): each distinct one is decoded and repaired once. */
const INTERN_MAX_BYTES = 48;
const INTERN_MAX_DISTINCT = 4096;

function numericColumn(scan: CsvScan, j: number, name: string, file: string): Float64Array {
  const { bytes, start, end, nRecords, nFields, lines } = scan;
  const col = new Float64Array(nRecords);
  for (let r = 0, k = j; r < nRecords; r++, k += nFields) {
    const v = parseDecimalAt(bytes, start[k] as number, end[k] as number);
    if (v === v) col[r] = v;
    else {
      const cell = fieldText(scan, k);
      if (!isNa(cell)) throw new DataError(`"${cell.slice(0, 40)}" is not a number (line ${lines[r]})`, { file, row: r + 1, column: name });
      col[r] = NaN;
    }
  }
  return col;
}

/** Byte equality of two short ranges, in JS: cheaper than a native call per field. */
function sameBytes(bytes: Uint8Array, s1: number, e1: number, s2: number, e2: number): boolean {
  if (e1 - s1 !== e2 - s2) return false;
  for (let t = 0; t < e1 - s1; t++) if (bytes[s1 + t] !== bytes[s2 + t]) return false;
  return true;
}

function textColumn(scan: CsvScan, j: number, repair: boolean): { col: Array<string | null>; repaired: number } {
  const { bytes, start, end, escaped, nRecords, nFields } = scan;
  const col = new Array<string | null>(nRecords);
  const interned = new Map<number, number[]>();
  const wasRepaired = new Uint8Array(nRecords);
  let distinct = 0;
  let repaired = 0;
  const decode = (k: number, r: number): string | null => {
    const cell = fieldText(scan, k);
    if (isNa(cell)) return null;
    const fixed = repair ? repairDoubleEncoded(cell) : undefined;
    if (fixed === undefined) return cell;
    wasRepaired[r] = 1;
    return fixed;
  };
  for (let r = 0, k = j; r < nRecords; r++, k += nFields) {
    const s = start[k] as number;
    const e = end[k] as number;
    if (e - s > INTERN_MAX_BYTES || escaped[k] === 1 || distinct >= INTERN_MAX_DISTINCT) {
      col[r] = decode(k, r);
    } else {
      let h = 0x811c9dc5 ^ (e - s);
      for (let t = s; t < e; t++) h = Math.imul(h ^ (bytes[t] as number), 0x01000193);
      const candidates = interned.get(h);
      let found = -1;
      if (candidates !== undefined) {
        for (const r2 of candidates) {
          const k2 = r2 * nFields + j;
          if (sameBytes(bytes, s, e, start[k2] as number, end[k2] as number)) {
            found = r2;
            break;
          }
        }
      }
      if (found >= 0) {
        col[r] = col[found] as string | null;
        wasRepaired[r] = wasRepaired[found] as number;
      } else {
        col[r] = decode(k, r);
        if (candidates === undefined) interned.set(h, [r]);
        else candidates.push(r);
        distinct++;
      }
    }
    repaired += wasRepaired[r] as number;
  }
  return { col, repaired };
}

/**
 * Reads a CSV file into a {@link Frame}. Errors name the file, the data row
 * (1-based, header excluded) with its line, and the column.
 */
export function readCsv(path: string, options: ReadCsvOptions = {}): ReadCsvResult {
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
  const repaired: Record<string, number> = {};
  const columns = new Map<string, Column>();
  header.forEach((name, j) => {
    if (numeric.has(name)) columns.set(name, numericColumn(scan, j, name, path));
    else {
      const { col, repaired: count } = textColumn(scan, j, repair.has(name));
      if (repair.has(name)) repaired[name] = count;
      columns.set(name, col);
    }
  });
  return { frame: new Frame(columns), repaired };
}
