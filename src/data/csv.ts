import { DataError } from "../errors";

/**
 * The fields of a CSV file located by byte offsets, not copied: reading 60,000 rows this way
 * avoids a million short-lived strings before the columns are typed. UTF-8 is scanned as
 * bytes; delimiters are ASCII and never occur inside a multi-byte character.
 */
export interface CsvScan {
  readonly bytes: Buffer;
  readonly header: string[];
  readonly nRecords: number;
  readonly nFields: number;
  /** Field (r, j) spans bytes `[start[r*nFields+j], end[r*nFields+j])`. */
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

/** The text of field `k` of a scan, decoded from UTF-8, with doubled quotes unescaped. */
export function fieldText(scan: CsvScan, k: number): string {
  const s = scan.bytes.toString("utf8", scan.start[k], scan.end[k]);
  return scan.escaped[k] === 1 ? s.replace(/""/g, '"') : s;
}

class Growable {
  data: Int32Array;
  length = 0;
  constructor(capacity: number) {
    this.data = new Int32Array(Math.max(16, capacity));
  }
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

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

/**
 * Scans RFC 4180 CSV bytes (UTF-8): comma separated, optional BOM, LF or CRLF line ends,
 * double-quoted fields that may hold commas, doubled quotes and line breaks. Every record
 * must have as many fields as the header. `file` names the source in errors.
 */
export function scanCsv(bytes: Buffer, file = "<csv>"): CsvScan {
  const n = bytes.length;
  if (n === 0) throw new DataError("the file is empty", { file });
  if (bytes.indexOf(0) !== -1) throw new DataError("not a CSV text file (it contains NUL bytes)", { file });
  // About one field per 8 bytes in typical files: sized once, rarely regrown.
  const starts = new Growable(n >> 3);
  const ends = new Growable(n >> 3);
  const escapes: number[] = [];
  const lineOf = new Growable(n >> 6);
  let i = n >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  let line = 1;
  let recordLine = 1;
  let fieldsInRecord = 0;
  let nFields = -1;
  let records = 0;
  while (i <= n) {
    let s: number;
    let e: number;
    if (i < n && bytes[i] === QUOTE) {
      s = i + 1;
      let from = s;
      let hasEscape = false;
      for (;;) {
        const q = bytes.indexOf(QUOTE, from);
        if (q === -1) throw new DataError(`unterminated quoted field starting on line ${line}`, { file, row: records });
        if (bytes[q + 1] === QUOTE) {
          hasEscape = true;
          from = q + 2;
          continue;
        }
        e = q;
        break;
      }
      for (let k = s; k < e; k++) if (bytes[k] === LF) line++;
      i = e + 1;
      if (hasEscape) escapes.push(starts.length);
      const c = i < n ? (bytes[i] as number) : -1;
      if (c !== COMMA && c !== LF && c !== CR && c !== -1) {
        throw new DataError(`unexpected character after a closing quote on line ${line}`, { file, row: records });
      }
    } else {
      s = i;
      while (i < n) {
        const c = bytes[i] as number;
        if (c === COMMA || c === LF || c === CR) break;
        i++;
      }
      e = i;
    }
    starts.push(s);
    ends.push(e);
    fieldsInRecord++;
    const c = i < n ? (bytes[i] as number) : -1;
    if (c === COMMA) {
      i++;
      continue;
    }
    if (c === CR) i += bytes[i + 1] === LF ? 2 : 1;
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
  const all: CsvScan = { bytes, header: [], nRecords: records - 1, nFields, start: starts.view(), end: ends.view(), escaped, lines: lineOf.view() };
  const header: string[] = [];
  for (let j = 0; j < nFields; j++) header.push(fieldText(all, j));
  return {
    ...all,
    header,
    start: all.start.subarray(nFields),
    end: all.end.subarray(nFields),
    escaped: escaped.subarray(nFields),
    lines: all.lines.subarray(1),
  };
}

/** Parses CSV text into string records (see {@link scanCsv} for the dialect). */
export function parseCsv(text: string, file = "<csv>"): CsvTable {
  if (text.indexOf("\u0000") !== -1) throw new DataError("not a CSV text file (it contains NUL bytes)", { file });
  const scan = scanCsv(Buffer.from(text, "utf8"), file);
  const records: string[][] = [];
  for (let r = 0; r < scan.nRecords; r++) {
    const rec: string[] = [];
    for (let j = 0; j < scan.nFields; j++) rec.push(fieldText(scan, r * scan.nFields + j));
    records.push(rec);
  }
  return { header: scan.header, records, lines: scan.lines };
}
