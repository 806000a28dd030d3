/**
 * JSON as Python's `json` module writes and reads it: `NaN`, `Infinity` and `-Infinity` are
 * allowed, and `dumps` separates items with ", " and keys with ": ". Optuna stores attributes
 * and distributions this way, so studies stay byte-compatible with the ones Python writes.
 */

/** A value that survives a JSON round trip (plus non-finite numbers, as Python allows). */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Formats a number as Python's `repr(float)` when `asFloat`, otherwise as an int or float. */
export function pythonNumber(value: number, asFloat = false): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "Infinity";
  if (value === -Infinity) return "-Infinity";
  if (asFloat && Number.isInteger(value) && Math.abs(value) < 1e16) return `${value}.0`;
  return String(value);
}

/** `json.dumps(value)` as Python writes it (floats that are integers keep `.0` only via `floatKeys`). */
export function pythonJsonDumps(value: JsonValue, floatKeys: ReadonlySet<string> = new Set(), key = ""): string {
  if (value === null) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") return pythonNumber(value, floatKeys.has(key));
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v) => pythonJsonDumps(v, floatKeys, key)).join(", ")}]`;
  const parts = Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${pythonJsonDumps(v, floatKeys, k)}`);
  return `{${parts.join(", ")}}`;
}

const NON_FINITE_TOKEN = /"(?:[^"\\]|\\.)*"|-?Infinity|NaN/g;
const SENTINEL = "\u0000nonfinite:";

/** `json.loads(text)`: JSON that may contain Python's `NaN` / `Infinity` tokens. */
export function pythonJsonLoads(text: string): JsonValue {
  const replaced = text.replace(NON_FINITE_TOKEN, (token) =>
    token.startsWith('"') ? token : JSON.stringify(SENTINEL + token),
  );
  return JSON.parse(replaced, (_key, v: unknown) => {
    if (typeof v === "string" && v.startsWith(SENTINEL)) return Number(v.slice(SENTINEL.length));
    return v;
  }) as JsonValue;
}
