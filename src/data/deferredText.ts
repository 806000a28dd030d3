import { fieldText, type CsvScan } from "./csv";
import type { DeferredColumn } from "./column";
import { repairDoubleEncoded } from "./mojibake";
import { isNa } from "./naValues";

/** Short values repeat (categories, city names): each distinct one is decoded and repaired once. */
const INTERN_MAX_BYTES = 48;
const INTERN_MAX_DISTINCT = 4096;
/** Open-addressing table of the distinct short values: a power of two, at most half full. */
const INTERN_SLOTS = 8192;
/** Code of a record whose value is not interned (long, escaped, or past the distinct limit). */
const OWN_VALUE = -1;

/**
 * A text column of a scanned CSV, decoded (and repaired) only when first read: a column
 * nobody reads, like the offer titles when only the model matrix is wanted, costs nothing.
 * The first read numbers the distinct short values in one pass in file order (sequential memory
 * access, whereas the train and test rows come shuffled); longer values are decoded one by one.
 */
export class DeferredText implements DeferredColumn {
  readonly length: number;
  /** Per record: index into `dictionary`, or OWN_VALUE; null until the first read. */
  private codes: Int32Array | null = null;
  private readonly dictionary: Array<string | null> = [];
  /** Decoded values of the records coded OWN_VALUE, once asked for. */
  private readonly own = new Map<number, string | null>();

  constructor(
    private readonly scan: CsvScan,
    private readonly j: number,
    private readonly repair: boolean,
  ) {
    this.length = scan.nRecords;
  }

  /** The values of the records `rows` (all records when null). */
  materialise(rows: Int32Array | null): Array<string | null> {
    const codes = this.codes ?? (this.codes = this.encode());
    const dictionary = this.dictionary;
    const n = rows === null ? this.length : rows.length;
    const out = new Array<string | null>(n);
    for (let k = 0; k < n; k++) {
      const r = rows === null ? k : (rows[k] as number);
      const code = codes[r] as number;
      out[k] = code === OWN_VALUE ? this.ownValue(r) : (dictionary[code] as string | null);
    }
    return out;
  }

  /** Numbers the distinct short values, decoding each once. */
  private encode(): Int32Array {
    const { bytes, start, end, escaped, nRecords, nFields } = this.scan;
    const j = this.j;
    const codes = new Int32Array(nRecords);
    // Per slot: 1 + the record first holding that value, 0 when free.
    const table = new Int32Array(INTERN_SLOTS);
    // Values often repeat from one record to the next: compared first, before hashing.
    let previousStart = 0;
    let previousEnd = -1;
    let previousCode = OWN_VALUE;
    for (let r = 0, k = j; r < nRecords; r++, k += nFields) {
      const s = start[k] as number;
      const e = end[k] as number;
      if (e - s > INTERN_MAX_BYTES || escaped[k] === 1) {
        codes[r] = OWN_VALUE;
        continue;
      }
      if (previousCode !== OWN_VALUE && sameBytes(bytes, s, e, previousStart, previousEnd)) {
        codes[r] = previousCode;
        continue;
      }
      let h = 0x811c9dc5 ^ (e - s);
      for (let t = s; t < e; t++) h = Math.imul(h ^ (bytes[t] as number), 0x01000193);
      let slot = h & (INTERN_SLOTS - 1);
      let code = OWN_VALUE;
      for (let rep = table[slot] as number; rep !== 0; rep = table[slot] as number) {
        const k2 = (rep - 1) * nFields + j;
        if (sameBytes(bytes, s, e, start[k2] as number, end[k2] as number)) {
          code = codes[rep - 1] as number;
          break;
        }
        slot = (slot + 1) & (INTERN_SLOTS - 1);
      }
      if (code === OWN_VALUE && this.dictionary.length < INTERN_MAX_DISTINCT) {
        code = this.dictionary.length;
        this.dictionary.push(this.decode(k));
        table[slot] = r + 1;
      }
      codes[r] = code;
      previousStart = s;
      previousEnd = e;
      previousCode = code;
    }
    return codes;
  }

  private ownValue(r: number): string | null {
    let v = this.own.get(r);
    if (v === undefined) {
      v = this.decode(r * this.scan.nFields + this.j);
      this.own.set(r, v);
    }
    return v;
  }

  private decode(k: number): string | null {
    const cell = fieldText(this.scan, k);
    if (isNa(cell)) return null;
    return (this.repair ? repairDoubleEncoded(cell) : undefined) ?? cell;
  }
}

/** Byte equality of two short ranges, in JS: cheaper than a native call per field. */
function sameBytes(bytes: Uint8Array, s1: number, e1: number, s2: number, e2: number): boolean {
  if (e1 - s1 !== e2 - s2) return false;
  for (let t = 0; t < e1 - s1; t++) if (bytes[s1 + t] !== bytes[s2 + t]) return false;
  return true;
}
