/**
 * Repairs text that was UTF-8, read as Windows-1250 and saved again as UTF-8
 * ("WrocĹ‚aw" for "Wrocław"), as in the published OLX file.
 */

/** Windows-1250 byte -> UTF-16 code unit, and back (-1 where a byte is undefined). */
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

/**
 * Returns the repaired string, or `undefined` when `value` is not double-encoded:
 * the repair applies only when every character maps back to a Windows-1250 byte, the bytes
 * are valid UTF-8 (strict: no overlong forms, no surrogates), the result differs, and
 * re-encoding the result the broken way gives `value` back.
 */
export function repairDoubleEncoded(value: string): string | undefined {
  const n = value.length;
  let k = 0;
  while (k < n && value.charCodeAt(k) < 0x80) k++;
  if (k === n) return undefined;
  const { byteOf, charOf } = tables();
  const bytes = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const b = byteOf[value.charCodeAt(i)] as number;
    if (b < 0) return undefined;
    bytes[i] = b;
  }
  const units: number[] = [];
  let i = 0;
  while (i < n) {
    const b0 = bytes[i] as number;
    if (b0 < 0x80) {
      units.push(b0);
      i++;
      continue;
    }
    let need: number;
    let cp: number;
    let min: number;
    if (b0 >= 0xc2 && b0 <= 0xdf) [need, cp, min] = [1, b0 & 0x1f, 0x80];
    else if (b0 >= 0xe0 && b0 <= 0xef) [need, cp, min] = [2, b0 & 0x0f, 0x800];
    else if (b0 >= 0xf0 && b0 <= 0xf4) [need, cp, min] = [3, b0 & 0x07, 0x10000];
    else return undefined;
    if (i + need >= n) return undefined;
    for (let t = 1; t <= need; t++) {
      const bt = bytes[i + t];
      if (bt === undefined || (bt & 0xc0) !== 0x80) return undefined;
      cp = (cp << 6) | (bt & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return undefined;
    if (cp >= 0x10000) units.push(0xd800 + ((cp - 0x10000) >> 10), 0xdc00 + ((cp - 0x10000) & 0x3ff));
    else units.push(cp);
    i += need + 1;
  }
  const repaired = String.fromCharCode(...units);
  // Round trip: the repaired text's UTF-8 bytes, read as Windows-1250, must give the input back.
  const back = Buffer.from(repaired, "utf8");
  if (back.length !== n) return undefined;
  for (let j = 0; j < n; j++) if (charOf[back[j] as number] !== value.charCodeAt(j)) return undefined;
  return repaired;
}
