/**
 * Python's text forms of numbers and JSON, so that files we write read back in MLflow
 * exactly as if Python had written them: `str(float)` for metric values and
 * `json.dumps` (default separators, `ensure_ascii=True`) for JSON-valued tags.
 */

/**
 * Formats `value` as Python's `repr(float)` / `str(float)` does: the shortest round-trip
 * digits, fixed notation for decimal exponents in [-4, 16), otherwise scientific with
 * at least two exponent digits (`1e-05`, `1.5e+16`), and `inf`, `-inf`, `nan`.
 */
export function formatPythonFloat(value: number): string {
  if (Number.isNaN(value)) return "nan";
  if (value === Infinity) return "inf";
  if (value === -Infinity) return "-inf";
  if (value === 0) return Object.is(value, -0) ? "-0.0" : "0.0";
  const sign = value < 0 ? "-" : "";
  const [mantissa, expText] = Math.abs(value).toExponential().split("e") as [string, string];
  const exponent = Number(expText);
  const digits = mantissa.replace(".", "");
  if (exponent >= -4 && exponent < 16) {
    let text: string;
    if (exponent < 0) {
      text = "0." + "0".repeat(-exponent - 1) + digits;
    } else if (digits.length <= exponent + 1) {
      text = digits + "0".repeat(exponent + 1 - digits.length) + ".0";
    } else {
      text = digits.slice(0, exponent + 1) + "." + digits.slice(exponent + 1);
    }
    return sign + text;
  }
  const expSign = exponent < 0 ? "-" : "+";
  const expDigits = String(Math.abs(exponent)).padStart(2, "0");
  return `${sign}${mantissa}e${expSign}${expDigits}`;
}

/** Parses a float as Python's `float()` does for the forms `str(float)` writes. */
export function parsePythonFloat(text: string): number {
  const t = text.trim().toLowerCase();
  if (t === "nan" || t === "+nan" || t === "-nan") return NaN;
  if (t === "inf" || t === "+inf" || t === "infinity" || t === "+infinity") return Infinity;
  if (t === "-inf" || t === "-infinity") return -Infinity;
  if (t === "" || !/^[-+]?(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:e[-+]?\d+)?$/.test(t)) return NaN;
  return Number(t.replace(/_/g, ""));
}

/** JSON-compatible values. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

function pythonJsonString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ch = s[i] as string;
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\b") out += "\\b";
    else if (ch === "\f") out += "\\f";
    else if (c < 0x20 || c > 0x7f) out += "\\u" + c.toString(16).padStart(4, "0");
    else out += ch;
  }
  return out + '"';
}

/**
 * Serialises like Python's `json.dumps(value)`: `", "` and `": "` separators, ASCII
 * escapes, floats in Python's form (`0.5`, `NaN`, `Infinity`); whole numbers are written
 * as integers, since JavaScript cannot tell `3` from `3.0`.
 */
export function pythonJsonDumps(value: JsonValue): string {
  return dumps(value, ", ", ": ", false);
}

/** Python's `json.dumps(value, sort_keys=True, separators=(",", ":"))`, as MLflow's error messages quote values. */
export function compactPythonJson(value: JsonValue): string {
  return dumps(value, ",", ":", true);
}

function dumps(value: JsonValue, itemSep: string, keySep: string, sortKeys: boolean): string {
  if (value === null) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "NaN";
    if (value === Infinity) return "Infinity";
    if (value === -Infinity) return "-Infinity";
    return Number.isInteger(value) ? String(value) : formatPythonFloat(value);
  }
  if (typeof value === "string") return pythonJsonString(value);
  if (Array.isArray(value)) return "[" + value.map((v) => dumps(v, itemSep, keySep, sortKeys)).join(itemSep) + "]";
  const entries = Object.entries(value);
  if (sortKeys) entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return "{" + entries.map(([k, v]) => `${pythonJsonString(k)}${keySep}${dumps(v, itemSep, keySep, sortKeys)}`).join(itemSep) + "}";
}
