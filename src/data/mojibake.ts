/**
 * Repairs text that was UTF-8, read as Windows-1250 and saved again as UTF-8
 * ("WrocĹ‚aw" for "Wrocław"), as in the published OLX file.
 */

/** UTF-16 code unit -> Windows-1250 byte (-1 where none), and byte -> code unit. */
let byteOfChar: Int16Array | undefined;
let charOfByte: Uint16Array | undefined;

function tables(): { byteOf: Int16Array; charOf: Uint16Array } {
  if (byteOfChar === undefined || charOfByte === undefined) {
    const decoder = new TextDecoder("windows-1250");
    byteOfChar = new Int16Array(0x10000).fill(-1);
    charOfByte = new Uint16Array(256);
    for (let b = 0; b < 256; b++) {
      const ch = decoder.decode(Uint8Array.of(b));
      const code = ch.charCodeAt(0);
      charOfByte[b] = code;
      if (ch.length === 1 && code !== 0xfffd) byteOfChar[code] = b;
    }
  }
  return { byteOf: byteOfChar, charOf: charOfByte };
}

/** Length of the strict UTF-8 sequence at `i` (no overlong forms, surrogates or values past U+10FFFF), or 0. */
function utf8SequenceLength(bytes: Uint8Array, i: number, n: number): number {
  const b0 = bytes[i] as number;
  if (b0 < 0x80) return 1;
  let need: number;
  let lo = 0x80;
  let hi = 0xbf;
  if (b0 >= 0xc2 && b0 <= 0xdf) need = 1;
  else if (b0 >= 0xe0 && b0 <= 0xef) {
    need = 2;
    if (b0 === 0xe0) lo = 0xa0;
    if (b0 === 0xed) hi = 0x9f;
  } else if (b0 >= 0xf0 && b0 <= 0xf4) {
    need = 3;
    if (b0 === 0xf0) lo = 0x90;
    if (b0 === 0xf4) hi = 0x8f;
  } else return 0;
  if (i + need >= n) return 0;
  const b1 = bytes[i + 1] as number;
  if (b1 < lo || b1 > hi) return 0;
  for (let t = 2; t <= need; t++) {
    const bt = bytes[i + t] as number;
    if (bt < 0x80 || bt > 0xbf) return 0;
  }
  return need + 1;
}

/**
 * Returns the repaired string, or `undefined` when `value` is not double-encoded:
 * the repair applies only when every character maps back to a Windows-1250 byte, the bytes
 * are strict UTF-8, the result differs, and re-encoding the result the broken way (its UTF-8
 * bytes read as Windows-1250) gives `value` back.
 */
export function repairDoubleEncoded(value: string): string | undefined {
  const n = value.length;
  let k = 0;
  while (k < n && value.charCodeAt(k) < 0x80) k++;
  if (k === n) return undefined;
  const { byteOf, charOf } = tables();
  const bytes = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i++) {
    const b = byteOf[value.charCodeAt(i)] as number;
    if (b < 0) return undefined;
    bytes[i] = b;
  }
  let multiByte = false;
  for (let i = 0; i < n; ) {
    const len = utf8SequenceLength(bytes, i, n);
    if (len === 0) return undefined;
    if (len > 1) multiByte = true;
    i += len;
  }
  if (!multiByte) return undefined;
  const repaired = bytes.toString("utf8");
  // The round trip, checked rather than assumed: UTF-8 of the result, read as Windows-1250.
  const back = Buffer.from(repaired, "utf8");
  if (back.length !== n) return undefined;
  for (let j = 0; j < n; j++) if (charOf[back[j] as number] !== value.charCodeAt(j)) return undefined;
  return repaired;
}

/**
 * Whether the UTF-8 text in `bytes[start, end)` is double-encoded: the same test as
 * {@link repairDoubleEncoded} (`repairDoubleEncoded(text) !== undefined`), made on the bytes,
 * without building strings. Each code point of the text must map to a Windows-1250 byte, and
 * those bytes must be strict UTF-8 with at least one multi-byte sequence; the round trip then
 * holds by construction (strict UTF-8 decodes and re-encodes to itself, and the byte table
 * inverts the character table). Doubled quotes of a quoted field do not change the answer.
 */
export function isDoubleEncodedAt(bytes: Uint8Array, start: number, end: number): boolean {
  let i = start;
  while (i < end && (bytes[i] as number) < 0x80) i++;
  if (i === end) return false;
  const byteOf = tables().byteOf;
  let need = 0;
  let lo = 0x80;
  let hi = 0xbf;
  let multiByte = false;
  while (i < end) {
    // One code point of the stored text; anything but strict UTF-8 decodes to U+FFFD, which has no byte.
    const b0 = bytes[i] as number;
    if (b0 < 0x80) {
      // ASCII maps to itself: fine unless a multi-byte sequence is still open.
      if (need > 0) return false;
      i++;
      continue;
    }
    let cp: number;
    const len = utf8SequenceLength(bytes, i, end);
    if (len === 2) cp = ((b0 & 0x1f) << 6) | ((bytes[i + 1] as number) & 0x3f);
    else if (len === 3) cp = ((b0 & 0x0f) << 12) | (((bytes[i + 1] as number) & 0x3f) << 6) | ((bytes[i + 2] as number) & 0x3f);
    else return false;
    i += len;
    const b = byteOf[cp] as number;
    if (b < 0) return false;
    // Feed that byte to a strict UTF-8 validator of the repaired bytes.
    if (need > 0) {
      if (b < lo || b > hi) return false;
      lo = 0x80;
      hi = 0xbf;
      need--;
    } else if (b >= 0x80) {
      multiByte = true;
      if (b >= 0xc2 && b <= 0xdf) need = 1;
      else if (b >= 0xe0 && b <= 0xef) {
        need = 2;
        if (b === 0xe0) lo = 0xa0;
        if (b === 0xed) hi = 0x9f;
      } else if (b >= 0xf0 && b <= 0xf4) {
        need = 3;
        if (b === 0xf0) lo = 0x90;
        if (b === 0xf4) hi = 0x8f;
      } else return false;
    }
  }
  return need === 0 && multiByte;
}
