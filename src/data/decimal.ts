const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

/**
 * Parses the decimal number in the bytes `text[start, end)` without making a string:
 * [+-]digits[.digits][e[+-]digits], surrounding spaces allowed. Returns NaN when the text is
 * not such a number (hex, "Infinity", words). Exact: short mantissas take Clinger's fast
 * path (one correctly rounded division), the rest go through `Number`.
 */
export function parseDecimalAt(text: Uint8Array, start: number, end: number): number {
  while (start < end && (text[start] as number) === 32) start++;
  while (end > start && (text[end - 1] as number) === 32) end--;
  if (start === end) return NaN;
  let i = start;
  let negative = false;
  let c = text[i] as number;
  if (c === 45 || c === 43) {
    negative = c === 45;
    i++;
  }
  let mantissa = 0;
  let digits = 0;
  let fraction = 0;
  let seenDigit = false;
  for (; i < end; i++) {
    c = text[i] as number;
    if (c < 48 || c > 57) break;
    mantissa = mantissa * 10 + (c - 48);
    if (mantissa !== 0) digits++;
    seenDigit = true;
  }
  if (i < end && c === 46) {
    for (i++; i < end; i++) {
      c = text[i] as number;
      if (c < 48 || c > 57) break;
      mantissa = mantissa * 10 + (c - 48);
      if (mantissa !== 0) digits++;
      fraction++;
      seenDigit = true;
    }
  }
  if (!seenDigit) return NaN;
  if (i < end) {
    if (c !== 101 && c !== 69) return NaN;
    const rest = Buffer.from(text.buffer, text.byteOffset + start, end - start).toString("latin1");
    return /^[+-]?(\d+\.?\d*|\.\d+)[eE][+-]?\d+$/.test(rest) ? Number(rest) : NaN;
  }
  if (digits <= 15 && fraction <= 22) {
    const v = fraction === 0 ? mantissa : mantissa / (POW10[fraction] as number);
    return negative ? -v : v;
  }
  return Number(Buffer.from(text.buffer, text.byteOffset + start, end - start).toString("latin1"));
}
