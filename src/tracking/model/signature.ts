/**
 * Model signatures in MLflow's column-based form (`mlflow/types/schema.py`): a list of
 * named, typed input columns, stored in `MLmodel` as a JSON string such as
 * `[{"type": "double", "name": "area", "required": true}]`.
 */
import { MlflowError } from "../errors";
import { pythonJsonDumps, type JsonValue } from "../pythonRepr";

/** MLflow's column data types. */
export type ColumnType = "double" | "float" | "long" | "integer" | "string" | "boolean";

/** One column of a signature (`ColSpec`). */
export interface ColSpec {
  readonly type: ColumnType;
  /** Absent for unnamed outputs. */
  readonly name?: string;
  /** Default true. */
  readonly required?: boolean;
}

/** A model's inputs (and optionally outputs). */
export interface ModelSignature {
  readonly inputs: readonly ColSpec[];
  readonly outputs?: readonly ColSpec[];
}

/** A value in an input table. */
export type InputValue = number | string | boolean | null;

/** Tabular input in pandas' "split" orientation: column names and rows. */
export interface InputTable {
  readonly columns: readonly string[];
  readonly data: ReadonlyArray<readonly InputValue[]>;
}

const COLUMN_TYPES: readonly ColumnType[] = ["double", "float", "long", "integer", "string", "boolean"];

/** Serialises a schema as MLflow writes it into `MLmodel` (Python `json.dumps` of `to_dict()` entries). */
export function schemaToJson(columns: readonly ColSpec[]): string {
  const items: JsonValue[] = columns.map((c) => {
    const d: { [key: string]: JsonValue } = { type: c.type };
    if (c.name !== undefined) d.name = c.name;
    d.required = c.required ?? true;
    return d;
  });
  return pythonJsonDumps(items);
}

/** Parses a schema JSON string from `MLmodel`. */
export function schemaFromJson(text: string): ColSpec[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw MlflowError.invalidParameterValue(`Invalid model signature JSON: ${text.slice(0, 80)}`);
  }
  if (!Array.isArray(parsed)) throw MlflowError.invalidParameterValue("A model signature schema must be a JSON list.");
  return parsed.map((item: unknown, i: number) => {
    const c = item as { type?: unknown; name?: unknown; required?: unknown };
    if (typeof c.type !== "string" || !COLUMN_TYPES.includes(c.type as ColumnType)) {
      throw MlflowError.invalidParameterValue(`Signature column ${i} has unsupported type '${String(c.type)}' (tensor specs are not supported).`);
    }
    return {
      type: c.type as ColumnType,
      ...(typeof c.name === "string" ? { name: c.name } : {}),
      required: c.required !== false,
    };
  });
}

/** Infers a signature from an example table: numbers are double, strings string, booleans boolean. */
export function inferSignature(example: InputTable, outputs?: readonly ColSpec[]): ModelSignature {
  const inputs: ColSpec[] = example.columns.map((name, j) => {
    const values = example.data.map((row) => row[j]).filter((v) => v !== null && v !== undefined);
    const first = values[0];
    let type: ColumnType = "double";
    if (typeof first === "string") type = "string";
    else if (typeof first === "boolean") type = "boolean";
    for (const v of values) {
      const t = typeof v === "number" ? "double" : typeof v === "string" ? "string" : "boolean";
      if (t !== type) {
        throw MlflowError.invalidParameterValue(`Cannot infer a signature: column '${name}' mixes ${type} and ${t} values.`);
      }
    }
    return { type, name, required: true };
  });
  return outputs === undefined ? { inputs } : { inputs, outputs };
}

/** Converts row objects to an {@link InputTable} with the given column order. */
export function recordsToTable(records: ReadonlyArray<Readonly<Record<string, InputValue>>>, columns?: readonly string[]): InputTable {
  const names = columns ?? [...new Set(records.flatMap((r) => Object.keys(r)))];
  return { columns: names, data: records.map((r) => names.map((n) => (r[n] === undefined ? null : (r[n] as InputValue)))) };
}

/**
 * Checks `input` against the signature's inputs, MLflow-style: every required column
 * present, values of the declared type (null allowed as missing); extra columns are
 * dropped. Resolves to the table with columns in signature order.
 */
export function enforceSignature(input: InputTable, signature: ModelSignature): InputTable {
  const index = new Map(input.columns.map((c, j) => [c, j]));
  const named = signature.inputs.filter((c) => c.name !== undefined);
  const missing = named.filter((c) => c.required !== false && !index.has(c.name as string)).map((c) => c.name as string);
  if (missing.length > 0) {
    const extra = input.columns.filter((c) => !named.some((s) => s.name === c));
    throw MlflowError.invalidParameterValue(
      `Model is missing inputs ${JSON.stringify(missing)}.` + (extra.length > 0 ? ` Note that there were extra inputs: ${JSON.stringify(extra)}.` : ""),
    );
  }
  const present = named.filter((c) => index.has(c.name as string));
  const data = input.data.map((row, i) =>
    present.map((spec) => {
      const v = row[index.get(spec.name as string) as number] ?? null;
      if (v === null) return null;
      const ok =
        spec.type === "string" ? typeof v === "string"
        : spec.type === "boolean" ? typeof v === "boolean"
        : spec.type === "long" || spec.type === "integer" ? typeof v === "number" && Number.isInteger(v)
        : typeof v === "number";
      if (!ok) {
        throw MlflowError.invalidParameterValue(
          `Incompatible input types for column ${spec.name}: row ${i} has ${JSON.stringify(v)} (${typeof v}), the signature requires ${spec.type}.`,
        );
      }
      return v;
    }),
  );
  return { columns: present.map((c) => c.name as string), data };
}
