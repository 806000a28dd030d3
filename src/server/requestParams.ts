/**
 * MLflow's request checks (`mlflow/server/handlers.py` `_get_request_message` with its
 * `_assert_*` schema): required fields, types, and the exact messages MLflow answers.
 * GET parameters arrive as strings and are converted as protobuf would.
 */
import { MlflowError } from "../tracking/errors";

/** A request's parameters: the JSON body, or the query string for GET. */
export type Params = Record<string, unknown>;

/** Deepest nesting of arrays and objects accepted in a request (MLflow's messages nest a few levels). */
export const MAX_JSON_DEPTH = 100;

/**
 * Throws INVALID_PARAMETER_VALUE when `value` nests arrays/objects deeper than
 * {@link MAX_JSON_DEPTH}; checked without recursion, so that no later step (messages,
 * serialisers) can run out of stack on a hostile body. `what` names the field.
 */
export function checkJsonDepth(value: unknown, what: string): void {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop() as [unknown, number];
    if (v === null || typeof v !== "object") continue;
    if (depth >= MAX_JSON_DEPTH) throw MlflowError.invalidParameterValue(`${what} nests JSON arrays or objects deeper than ${MAX_JSON_DEPTH} levels.`);
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (child !== null && typeof child === "object") stack.push([child, depth + 1]);
  }
}

const SUFFIX = " See the API docs for more information about request parameters.";

function typeName(value: unknown): string {
  if (value === null) return "NoneType";
  if (Array.isArray(value)) return "list";
  if (typeof value === "number") return Number.isInteger(value) ? "int" : "float";
  if (typeof value === "boolean") return "bool";
  if (typeof value === "string") return "str";
  return "dict";
}

/** Python's `str()` of a parsed JSON value, as MLflow's message shows it. */
function pyStr(value: unknown): string {
  if (value === null || value === undefined) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return `[${value.map((v) => (typeof v === "string" ? `'${v}'` : pyStr(v))).join(", ")}]`;
  if (typeof value === "object") return `{${Object.entries(value).map(([k, v]) => `'${k}': ${typeof v === "string" ? `'${v}'` : pyStr(v)}`).join(", ")}}`;
  return String(value);
}

function invalid(name: string, value: unknown): MlflowError {
  return MlflowError.invalidParameterValue(`Invalid value ${pyStr(value)} for parameter '${name}' supplied. Hint: Value was of type '${typeName(value)}'.${SUFFIX}`);
}

function missing(name: string): MlflowError {
  return MlflowError.invalidParameterValue(`Missing value for required parameter '${name}'.${SUFFIX}`);
}

function present(p: Params, name: string): boolean {
  return p[name] !== undefined && p[name] !== null && p[name] !== "";
}

/** A required string parameter. */
export function reqString(p: Params, name: string): string {
  if (!present(p, name)) throw missing(name);
  return optString(p, name) as string;
}

/** Id fields for which a JSON number is accepted as its text (clients send experiment ids both ways). */
const ID_FIELDS: ReadonlySet<string> = new Set(["experiment_id", "run_id", "run_uuid", "version"]);

/** An optional string parameter; a number only for id fields, otherwise MLflow's type error. */
export function optString(p: Params, name: string): string | undefined {
  const v = p[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v === "string") return v;
  if (typeof v === "number" && Number.isSafeInteger(v) && ID_FIELDS.has(name)) return String(v);
  throw invalid(name, v);
}

/** An optional int64 parameter (a JSON number or digit string). */
export function optInt(p: Params, name: string): number | undefined {
  const v = p[name];
  if (v === undefined || v === null || v === "") return undefined;
  const n = typeof v === "number" ? v : typeof v === "string" && /^-?\d+$/.test(v.trim()) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n)) throw invalid(name, v);
  return n;
}

/** A required int64 parameter. */
export function reqInt(p: Params, name: string): number {
  if (!present(p, name)) throw missing(name);
  return optInt(p, name) as number;
}

/** A required double parameter (numbers, or "NaN"/"Infinity"/"-Infinity" strings). */
export function reqDouble(p: Params, name: string): number {
  if (!present(p, name)) throw missing(name);
  const v = p[name];
  if (typeof v === "number") return v;
  if (typeof v === "string") {
    if (v === "NaN") return NaN;
    if (v === "Infinity" || v === "inf") return Infinity;
    if (v === "-Infinity" || v === "-inf") return -Infinity;
    const n = Number(v);
    if (v.trim() !== "" && Number.isFinite(n)) return n;
  }
  throw invalid(name, v);
}

/** An optional boolean parameter (`true`/`false`, also as strings from a query). */
export function optBool(p: Params, name: string): boolean | undefined {
  const v = p[name];
  if (v === undefined || v === null || v === "") return undefined;
  if (typeof v === "boolean") return v;
  if (v === "true" || v === "True") return true;
  if (v === "false" || v === "False") return false;
  throw invalid(name, v);
}

/** An optional list of strings (a query repeats the key; JSON sends an array). */
export function optStringList(p: Params, name: string): string[] | undefined {
  const v = p[name];
  if (v === undefined || v === null) return undefined;
  const list = Array.isArray(v) ? v : [v];
  for (const item of list) if (typeof item !== "string" && typeof item !== "number") throw invalid(name, v);
  return list.map(String);
}

/** An optional list of objects (tags, metrics, params in a body). */
export function optObjectList(p: Params, name: string): Params[] {
  const v = p[name];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw invalid(name, v);
  for (const item of v) if (item === null || typeof item !== "object" || Array.isArray(item)) throw invalid(name, v);
  return v as Params[];
}

/** Key/value pairs such as tags: each needs a string key and value. */
export function keyValues(p: Params, name: string): Array<{ key: string; value: string }> {
  return optObjectList(p, name).map((item) => ({ key: reqString(item, "key"), value: optString(item, "value") ?? "" }));
}

/** One of a fixed set of strings (view types, run statuses). */
export function optEnum<T extends string>(p: Params, name: string, allowed: readonly T[]): T | undefined {
  const v = optString(p, name);
  if (v === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(v)) throw invalid(name, v);
  return v as T;
}
