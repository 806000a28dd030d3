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

/** Doubles an Int32Array's capacity, keeping its contents. */
function grown(a: Int32Array): Int32Array {
  const bigger = new Int32Array(a.length * 2);
  bigger.set(a);
  return bigger;
}

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

/** The closing quote of a quoted field, searched from `from` (doubled quotes skipped), or -1. */
function closingQuote(bytes: Buffer, from: number): number {
  for (;;) {
    const q = bytes.indexOf(QUOTE, from);
    if (q === -1 || bytes[q + 1] !== QUOTE) return q;
    from = q + 2;
  }
}

function countByte(bytes: Uint8Array, from: number, to: number, byte: number): number {
  let count = 0;
  for (let k = from; k < to; k++) if (bytes[k] === byte) count++;
  return count;
}

/**
 * Scans RFC 4180 CSV bytes (UTF-8): comma separated, optional BOM, LF or CRLF line ends,
 * double-quoted fields that may hold commas, doubled quotes and line breaks. Every record
 * must have as many fields as the header. `file` names the source in errors.
 */
export function scanCsv(bytes: Buffer, file = "<csv>"): CsvScan {
  const n = bytes.length;
  if (n === 0) throw new DataError("the file is empty", { file });
  if (bytes.indexOf(0) !== -1) throw new DataError("not a CSV text file (it contains NUL bytes)", { file });
  // About one field per 8 bytes in typical files: sized once, rarely regrown. Locals, not
  // objects, so that the loop (run once per file, in a fresh process) compiles early and tight.
  let starts: Int32Array = new Int32Array(Math.max(16, n >> 3));
  let ends: Int32Array = new Int32Array(starts.length);
  let nStored = 0;
  let lineOf: Int32Array = new Int32Array(Math.max(16, n >> 6));
  const escapes: number[] = [];
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
      e = bytes.indexOf(QUOTE, s);
      if (e !== -1 && bytes[e + 1] === QUOTE) {
        e = closingQuote(bytes, e + 2);
        escapes.push(nStored);
      }
      const quoteLine = line;
      if (e === -1) throw new DataError(`unterminated quoted field starting on line ${quoteLine}`, { file, row: records });
      line += countByte(bytes, s, e, LF);
      i = e + 1;
      const c = i < n ? (bytes[i] as number) : -1;
      if (c !== COMMA && c !== LF && c !== CR && c !== -1) {
        // Spanning lines, the field most likely lacks its closing quote and ran on to the next
        // quote of the file: name the line where it opened, where the error is.
        const after = JSON.stringify(String.fromCharCode(c));
        throw new DataError(
          line > quoteLine
            ? `unterminated quoted field starting on line ${quoteLine} (the next quote, on line ${line}, is followed by ${after}, not a comma or a line end)`
            : `unexpected character ${after} after a closing quote on line ${line}`,
          { file, row: records },
        );
      }
    } else {
      s = i;
      for (; i < n; i++) {
        // Most bytes are above the comma, the largest delimiter: one comparison for them.
        const c = bytes[i] as number;
        if (c <= COMMA && (c === COMMA || c === LF || c === CR)) break;
      }
      e = i;
    }
    if (nStored === starts.length) {
      starts = grown(starts);
      ends = grown(ends);
    }
    starts[nStored] = s;
    ends[nStored] = e;
    nStored++;
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
      nStored--;
    } else {
      if (nFields === -1) nFields = fieldsInRecord;
      else if (fieldsInRecord !== nFields) {
        throw new DataError(`expected ${nFields} fields, found ${fieldsInRecord} (line ${recordLine})`, { file, row: records });
      }
      if (records === lineOf.length) lineOf = grown(lineOf);
      lineOf[records] = recordLine;
      records++;
    }
    fieldsInRecord = 0;
    line++;
    recordLine = line;
  }
  if (records === 0) throw new DataError("the file has no header line", { file });
  const escaped = new Uint8Array(nStored);
  for (const k of escapes) escaped[k] = 1;
  const all: CsvScan = {
    bytes,
    header: [],
    nRecords: records - 1,
    nFields,
    start: starts.subarray(0, nStored),
    end: ends.subarray(0, nStored),
    escaped,
    lines: lineOf.subarray(0, records),
  };
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
