/**
 * A reader for Universal Binary JSON (ubjson.org, draft 12), the format of XGBoost's `.ubj`
 * model files: big-endian numbers, strings with a length prefix, and arrays and objects that
 * may declare one element type (`$`) and a count (`#`), as XGBoost writes its float arrays.
 */

/** A decoded UBJSON value (the JSON data model). */
export type UbjsonValue = null | boolean | number | string | UbjsonValue[] | { [key: string]: UbjsonValue };

const decoder = new TextDecoder("utf-8", { fatal: true });

class Reader {
  private at = 0;
  private readonly view: DataView;

  constructor(private readonly bytes: Uint8Array, private readonly source: string) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  fail(message: string): never {
    throw new Error(`${this.source}: invalid UBJSON at byte ${this.at}: ${message}`);
  }

  get done(): boolean {
    return this.at >= this.bytes.length;
  }

  private need(n: number): number {
    if (this.at + n > this.bytes.length) this.fail(`needs ${n} more bytes, the data ends`);
    const start = this.at;
    this.at += n;
    return start;
  }

  marker(): string {
    return String.fromCharCode(this.bytes[this.need(1)] as number);
  }

  peek(): string {
    if (this.done) this.fail("the data ends inside a container");
    return String.fromCharCode(this.bytes[this.at] as number);
  }

  skip(): void {
    this.at++;
  }

  /** The value of type `marker` whose marker was already read. */
  value(marker: string): UbjsonValue {
    switch (marker) {
      case "Z":
        return null;
      case "T":
        return true;
      case "F":
        return false;
      case "i":
        return this.view.getInt8(this.need(1));
      case "U":
        return this.view.getUint8(this.need(1));
      case "I":
        return this.view.getInt16(this.need(2));
      case "l":
        return this.view.getInt32(this.need(4));
      case "L": {
        const v = this.view.getBigInt64(this.need(8));
        if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) this.fail(`int64 ${v} is beyond JavaScript's safe integers`);
        return Number(v);
      }
      case "d":
        return this.view.getFloat32(this.need(4));
      case "D":
        return this.view.getFloat64(this.need(8));
      case "C":
        return String.fromCharCode(this.view.getUint8(this.need(1)));
      case "S":
        return this.text();
      case "H": {
        const digits = this.text();
        const n = Number(digits);
        if (!Number.isFinite(n)) this.fail(`high-precision number "${digits}" is not a number`);
        return n;
      }
      case "[":
        return this.array();
      case "{":
        return this.object();
      default:
        return this.fail(`unknown type marker ${JSON.stringify(marker)}`);
    }
  }

  /** A length-prefixed UTF-8 string (the `S` payload, and every object key). */
  text(): string {
    const length = this.count(this.marker());
    const start = this.need(length);
    return decoder.decode(this.bytes.subarray(start, start + length));
  }

  private count(marker: string): number {
    const n = this.value(marker);
    if (typeof n !== "number" || !Number.isInteger(n) || n < 0) this.fail(`a length or count must be a non-negative integer, got ${JSON.stringify(n)}`);
    return n;
  }

  /** The optional `$type` and `#count` after `[` or `{`. */
  private header(): { type: string | null; count: number | null } {
    let type: string | null = null;
    if (this.peek() === "$") {
      this.skip();
      type = this.marker();
      if (this.peek() !== "#") this.fail("a container with a type ($) must have a count (#)");
    }
    let count: number | null = null;
    if (this.peek() === "#") {
      this.skip();
      count = this.count(this.marker());
    }
    return { type, count };
  }

  private array(): UbjsonValue[] {
    const { type, count } = this.header();
    const out: UbjsonValue[] = [];
    if (count !== null) {
      for (let k = 0; k < count; k++) out.push(this.value(type ?? this.marker()));
      return out;
    }
    for (;;) {
      const m = this.marker();
      if (m === "]") return out;
      if (m !== "N") out.push(this.value(m));
    }
  }

  private object(): { [key: string]: UbjsonValue } {
    const { type, count } = this.header();
    const out: { [key: string]: UbjsonValue } = {};
    if (count !== null) {
      for (let k = 0; k < count; k++) {
        const key = this.text();
        out[key] = this.value(type ?? this.marker());
      }
      return out;
    }
    for (;;) {
      if (this.peek() === "}") {
        this.skip();
        return out;
      }
      const key = this.text();
      out[key] = this.value(this.marker());
    }
  }
}

/**
 * Decodes one UBJSON value from `bytes`; `source` names the data in errors (a file path).
 * Throws on truncated data, unknown markers and trailing bytes.
 */
export function decodeUbjson(bytes: Uint8Array, source = "UBJSON"): UbjsonValue {
  const reader = new Reader(bytes, source);
  let m = reader.marker();
  while (m === "N") m = reader.marker();
  const value = reader.value(m);
  if (!reader.done) reader.fail("trailing bytes after the value");
  return value;
}
