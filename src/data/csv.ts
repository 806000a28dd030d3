import { DataError } from "../errors";

/**
 * The fields of a CSV text located by offsets, not copied: reading 60,000 rows this way
 * avoids a million short-lived strings before the columns are typed.
 */
export interface CsvScan {
  readonly text: string;
  readonly header: string[];
  readonly nRecords: number;
  readonly nFields: number;
  /** Field (r, j) spans `text.slice(start[r*nFields+j], end[r*nFields+j])`. */
  readonly start: Int32Array;
  readonly end: Int32Array;
  /** 1 where a quoted field contains doubled quotes to unescape. */
  readonly escaped: Uint8Array;
  /** 1-based line in the file on which each record starts (the header is line 1). */
  readonly lines: Int32Array;
}

/** A parsed CSV text: the header, the records' fields, and each record's first line. */
export interface CsvTable {
  readonly header: string[];
  /** One array of raw field strings per record (header excluded). */
  readonly records: string[][];
  /** 1-based line in the file on which each record starts (the header is line 1). */
  readonly lines: Int32Array;
}

/** The text of field `k` of a scan, with doubled quotes unescaped. */
export function fieldText(scan: CsvScan, k: number): string {
  const s = scan.text.slice(scan.start[k], scan.end[k]);
  return scan.escaped[k] === 1 ? s.replace(/""/g, '"') : s;
}

class Growable {
  data = new Int32Array(1 << 16);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const bigger = new Int32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = v;
  }
  view(): Int32Array {
    return this.data.subarray(0, this.length);
  }
}

/**
 * Scans RFC 4180 CSV text: comma separated, optional UTF-8 BOM, LF or CRLF line ends,
 * double-quoted fields that may hold commas, doubled quotes and line breaks. Every record
 * must have as many fields as the header. `file` names the source in errors.
 */
export function scanCsv(text: string, file = "<csv>"): CsvScan {
  if (text.length === 0) throw new DataError("the file is empty", { file });
  if (text.indexOf("\u0000") !== -1) throw new DataError("not a CSV text file (it contains NUL bytes)", { file });
  const n = text.length;
  const starts = new Growable();
  const ends = new Growable();
  const escapes: number[] = [];
  const lineOf = new Growable();
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  let recordLine = 1;
  let fieldsInRecord = 0;
  let nFields = -1;
  let records = 0;
  while (i <= n) {
    let s: number;
    let e: number;
    if (i < n && text.charCodeAt(i) === 34) {
      s = i + 1;
      let from = s;
      let hasEscape = false;
      for (;;) {
        const q = text.indexOf('"', from);
        if (q === -1) throw new DataError(`unterminated quoted field starting on line ${line}`, { file, row: records });
        if (text.charCodeAt(q + 1) === 34) {
          hasEscape = true;
          from = q + 2;
          continue;
        }
        e = q;
        break;
      }
      for (let k = s; k < e; k++) if (text.charCodeAt(k) === 10) line++;
      i = e + 1;
      if (hasEscape) escapes.push(starts.length);
      const c = i < n ? text.charCodeAt(i) : -1;
      if (c !== 44 && c !== 10 && c !== 13 && c !== -1) {
        throw new DataError(`unexpected character after a closing quote on line ${line}`, { file, row: records });
      }
    } else {
      s = i;
      while (i < n) {
        const c = text.charCodeAt(i);
        if (c === 44 || c === 10 || c === 13) break;
        i++;
      }
      e = i;
    }
    starts.push(s);
    ends.push(e);
    fieldsInRecord++;
    const c = i < n ? text.charCodeAt(i) : -1;
    if (c === 44) {
      i++;
      continue;
    }
    if (c === 13) i += text.charCodeAt(i + 1) === 10 ? 2 : 1;
    else i++;
    if (fieldsInRecord === 1 && e === s) {
      // A blank line: drop its empty field.
      starts.length--;
      ends.length--;
    } else {
      if (nFields === -1) nFields = fieldsInRecord;
      else if (fieldsInRecord !== nFields) {
        throw new DataError(`expected ${nFields} fields, found ${fieldsInRecord} (line ${recordLine})`, { file, row: records });
      }
      lineOf.push(recordLine);
      records++;
    }
    fieldsInRecord = 0;
    line++;
    recordLine = line;
  }
  if (records === 0) throw new DataError("the file has no header line", { file });
  const escaped = new Uint8Array(starts.length);
  for (const k of escapes) escaped[k] = 1;
  const scan = { text, nRecords: records - 1, nFields, start: starts.view(), end: ends.view(), escaped, lines: lineOf.view().subarray(1), header: [] as string[] };
  for (let j = 0; j < nFields; j++) scan.header.push(fieldText(scan, j));
  return {
    ...scan,
    start: scan.start.subarray(nFields),
    end: scan.end.subarray(nFields),
    escaped: escaped.subarray(nFields),
  };
}

/** Parses CSV text into string records (see {@link scanCsv} for the dialect). */
export function parseCsv(text: string, file = "<csv>"): CsvTable {
  const scan = scanCsv(text, file);
  const records: string[][] = [];
  for (let r = 0; r < scan.nRecords; r++) {
    const rec: string[] = [];
    for (let j = 0; j < scan.nFields; j++) rec.push(fieldText(scan, r * scan.nFields + j));
    records.push(rec);
  }
  return { header: scan.header, records, lines: scan.lines };
}
