/**
 * Parameter distributions, after Optuna 3.1's `optuna/distributions.py`: the same validation
 * errors, internal (float) versus external representations, and JSON form.
 */
import { ValueError } from "../errors";
import { JsonValue, pythonJsonDumps, pythonJsonLoads } from "./json";

/** A value a categorical parameter may take (what persistent storage accepts). */
export type CategoricalChoice = null | boolean | number | string;

/** The value of any suggested parameter. */
export type ParamValue = CategoricalChoice;

/** Options of {@link FloatDistribution}. */
export interface FloatOptions {
  /** Sample in log space (requires `low > 0`). */
  log?: boolean;
  /** Discretisation step; not allowed together with `log`. */
  step?: number | null;
}

/** Options of {@link IntDistribution}. */
export interface IntOptions {
  /** Sample in log space (requires `low >= 1`, `step` 1). */
  log?: boolean;
  /** Spacing between allowed integers (default 1). */
  step?: number;
}

/** A floating-point range, optionally log-scaled or discretised (Optuna's `FloatDistribution`). */
export class FloatDistribution {
  /** Discriminant for narrowing. */
  readonly kind = "float" as const;
  readonly low: number;
  readonly high: number;
  readonly log: boolean;
  readonly step: number | null;

  constructor(low: number, high: number, options: FloatOptions = {}) {
    const log = options.log ?? false;
    const step = options.step ?? null;
    if (log && step !== null) throw new ValueError("The parameter `step` is not supported when `log` is true.");
    if (low > high) {
      throw new ValueError(
        `The \`low\` value must be smaller than or equal to the \`high\` value (low=${low}, high=${high}).`,
      );
    }
    if (log && low <= 0) {
      throw new ValueError(`The \`low\` value must be larger than 0 for a log distribution (low=${low}, high=${high}).`);
    }
    if (step !== null && step <= 0) {
      throw new ValueError(`The \`step\` value must be non-zero positive value, but step=${step}.`);
    }
    this.low = low;
    this.high = step === null ? high : adjustDiscreteHigh(low, high, step);
    this.log = log;
    this.step = step;
  }

  /** True when only one value can be drawn. */
  single(): boolean {
    if (this.step === null) return this.low === this.high;
    if (this.low === this.high) return true;
    return this.high - this.low < this.step * (1 - 1e-10);
  }

  /** Whether an internal value lies in the distribution. */
  contains(internal: number): boolean {
    if (this.step === null) return this.low <= internal && internal <= this.high;
    const k = (internal - this.low) / this.step;
    return this.low <= internal && internal <= this.high && Math.abs(k - Math.round(k)) < 1e-8;
  }

  /** External (user) value to the float stored in the RDB. */
  toInternalRepr(external: ParamValue): number {
    const v = castFloat(external);
    if (this.log && v <= 0) throw new ValueError(`\`${String(external)}\` is invalid value for the case log=True.`);
    return v;
  }

  /** Stored float to the user value. */
  toExternalRepr(internal: number): number {
    return internal;
  }

  /** Attributes in the order Optuna 3.1 serialises them. */
  toAttributes(): { [key: string]: JsonValue } {
    return { step: this.step, low: this.low, high: this.high, log: this.log };
  }
}

/** An integer range, optionally log-scaled or with a step (Optuna's `IntDistribution`). */
export class IntDistribution {
  /** Discriminant for narrowing. */
  readonly kind = "int" as const;
  readonly low: number;
  readonly high: number;
  readonly log: boolean;
  readonly step: number;

  constructor(low: number, high: number, options: IntOptions = {}) {
    const log = options.log ?? false;
    const step = options.step ?? 1;
    if (log && step !== 1) {
      throw new ValueError("Samplers and other components in Optuna only accept step is 1 when `log` argument is True.");
    }
    if (low > high) {
      throw new ValueError(
        `The \`low\` value must be smaller than or equal to the \`high\` value (low=${low}, high=${high}).`,
      );
    }
    if (log && low < 1) {
      throw new ValueError(
        `The \`low\` value must be equal to or greater than 1 for a log distribution (low=${low}, high=${high}).`,
      );
    }
    if (step <= 0) throw new ValueError(`The \`step\` value must be non-zero positive value, but step=${step}.`);
    for (const [name, v] of [["low", low], ["high", high], ["step", step]] as const) {
      if (!Number.isInteger(v)) throw new ValueError(`IntDistribution: \`${name}\` must be an integer, got ${v}.`);
    }
    this.low = low;
    this.step = step;
    this.log = log;
    const r = high - low;
    this.high = r % step === 0 ? high : Math.floor(r / step) * step + low;
  }

  /** True when only one value can be drawn. */
  single(): boolean {
    if (this.log) return this.low === this.high;
    return this.low === this.high || this.high - this.low < this.step;
  }

  /** Whether an internal value lies in the distribution. */
  contains(internal: number): boolean {
    return this.low <= internal && internal <= this.high && (internal - this.low) % this.step === 0;
  }

  /** External (user) value to the float stored in the RDB. */
  toInternalRepr(external: ParamValue): number {
    const v = castFloat(external);
    if (this.log && v <= 0) throw new ValueError(`\`${String(external)}\` is invalid value for the case log=True.`);
    return v;
  }

  /** Stored float to the user value (truncated like Python's `int()`). */
  toExternalRepr(internal: number): number {
    return Math.trunc(internal);
  }

  /** Attributes in the order Optuna 3.1 serialises them. */
  toAttributes(): { [key: string]: JsonValue } {
    return { log: this.log, step: this.step, low: this.low, high: this.high };
  }
}

/** A finite set of choices, stored as the index of the choice (Optuna's `CategoricalDistribution`). */
export class CategoricalDistribution {
  /** Discriminant for narrowing. */
  readonly kind = "categorical" as const;
  readonly choices: readonly CategoricalChoice[];

  constructor(choices: readonly CategoricalChoice[]) {
    if (choices.length === 0) throw new ValueError("The `choices` must contain one or more elements.");
    for (const c of choices) {
      if (c !== null && !["boolean", "number", "string"].includes(typeof c)) {
        throw new ValueError(
          `Choices for a categorical distribution should be a tuple of None, bool, int, float and str for persistent storage but contains ${String(c)} which is of type ${typeof c}.`,
        );
      }
    }
    this.choices = [...choices];
  }

  /** True when there is one choice. */
  single(): boolean {
    return this.choices.length === 1;
  }

  /** Whether an index is a valid choice. */
  contains(internal: number): boolean {
    const index = Math.trunc(internal);
    return index >= 0 && index < this.choices.length;
  }

  /** The index of a choice; throws when absent. */
  toInternalRepr(external: ParamValue): number {
    const index = this.choices.findIndex((c) => choiceEqual(c, external));
    if (index < 0) throw new ValueError(`'${String(external)}' not in [${this.choices.map(String).join(", ")}].`);
    return index;
  }

  /** Index to choice. */
  toExternalRepr(internal: number): CategoricalChoice {
    return this.choices[Math.trunc(internal)] as CategoricalChoice;
  }

  /** Attributes as Optuna serialises them. */
  toAttributes(): { [key: string]: JsonValue } {
    return { choices: [...this.choices] };
  }
}

/** Any parameter distribution. */
export type Distribution = FloatDistribution | IntDistribution | CategoricalDistribution;

const CLASS_NAMES = { float: "FloatDistribution", int: "IntDistribution", categorical: "CategoricalDistribution" };

/** Equality of choices as Optuna defines it (NaN equals NaN; Python's `1 == True`). */
export function choiceEqual(a: CategoricalChoice, b: CategoricalChoice): boolean {
  if (typeof a === "number" && typeof b === "number" && Number.isNaN(a) && Number.isNaN(b)) return true;
  const numeric = (v: CategoricalChoice): number | undefined =>
    typeof v === "boolean" ? Number(v) : typeof v === "number" ? v : undefined;
  const na = numeric(a);
  const nb = numeric(b);
  if (na !== undefined && nb !== undefined) return na === nb;
  return a === b;
}

/** Structural equality of two distributions (Optuna's `__eq__`). */
export function distributionsEqual(a: Distribution, b: Distribution): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === "categorical" && b.kind === "categorical") {
    return a.choices.length === b.choices.length && a.choices.every((c, i) => choiceEqual(c, b.choices[i] as CategoricalChoice));
  }
  if (a.kind === "categorical" || b.kind === "categorical") return false;
  return a.low === b.low && a.high === b.high && a.log === b.log && a.step === b.step;
}

/** Throws Optuna's errors when a parameter is suggested again with an incompatible distribution. */
export function checkDistributionCompatibility(oldDist: Distribution, newDist: Distribution, name = ""): void {
  const where = name === "" ? "" : ` (parameter "${name}")`;
  if (oldDist.kind !== newDist.kind) {
    throw new ValueError(`Cannot set different distribution kind to the same parameter name${where}.`);
  }
  if (oldDist.kind !== "categorical" && newDist.kind !== "categorical" && oldDist.log !== newDist.log) {
    throw new ValueError(`Cannot set different log configuration to the same parameter name${where}.`);
  }
  if (oldDist.kind === "categorical" && !distributionsEqual(oldDist, newDist)) {
    throw new ValueError(`CategoricalDistribution does not support dynamic value space${where}.`);
  }
}

/** The only value of a single-valued distribution. */
export function singleValue(distribution: Distribution): ParamValue {
  return distribution.kind === "categorical" ? (distribution.choices[0] as CategoricalChoice) : distribution.low;
}

/** `distribution_to_json`: the text Optuna stores in `trial_params.distribution_json`. */
export function distributionToJson(distribution: Distribution): string {
  const floatKeys = distribution.kind === "float" ? new Set(["low", "high", "step"]) : new Set<string>();
  return pythonJsonDumps({ name: CLASS_NAMES[distribution.kind], attributes: distribution.toAttributes() }, floatKeys);
}

/** `json_to_distribution`, including Optuna's legacy distribution names. */
export function jsonToDistribution(text: string): Distribution {
  const parsed = pythonJsonLoads(text);
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new ValueError(`distribution_json is not an object: ${text}`);
  }
  const name = parsed["name"];
  const a = (parsed["attributes"] ?? {}) as { [key: string]: JsonValue };
  const num = (k: string): number => a[k] as number;
  const optNum = (k: string): number | null => (a[k] === undefined || a[k] === null ? null : (a[k] as number));
  switch (name) {
    case "FloatDistribution":
      return new FloatDistribution(num("low"), num("high"), { log: a["log"] === true, step: optNum("step") });
    case "IntDistribution":
      return new IntDistribution(num("low"), num("high"), { log: a["log"] === true, step: optNum("step") ?? 1 });
    case "CategoricalDistribution":
      return new CategoricalDistribution(a["choices"] as CategoricalChoice[]);
    case "UniformDistribution":
      return new FloatDistribution(num("low"), num("high"));
    case "LogUniformDistribution":
      return new FloatDistribution(num("low"), num("high"), { log: true });
    case "DiscreteUniformDistribution":
      return new FloatDistribution(num("low"), num("high"), { step: num("q") });
    case "IntUniformDistribution":
      return new IntDistribution(num("low"), num("high"), { step: optNum("step") ?? 1 });
    case "IntLogUniformDistribution":
      return new IntDistribution(num("low"), num("high"), { log: true });
    default:
      throw new ValueError(`Unknown distribution class: ${String(name)}`);
  }
}

function castFloat(external: ParamValue): number {
  const v = typeof external === "boolean" ? Number(external) : typeof external === "number" ? external : typeof external === "string" && external.trim() !== "" ? Number(external) : NaN;
  if (typeof external !== "number" && typeof external !== "boolean" && Number.isNaN(v)) {
    throw new ValueError(`'${String(external)}' is not a valid type. float-castable value is expected.`);
  }
  if (Number.isNaN(v)) throw new ValueError(`\`${String(external)}\` is invalid value.`);
  return v;
}

/** Optuna's `_adjust_discrete_uniform_high`, with a relative tolerance instead of `Decimal`. */
function adjustDiscreteHigh(low: number, high: number, step: number): number {
  const r = high - low;
  const k = Math.round(r / step);
  if (Math.abs(k * step - r) <= 1e-10 * Math.max(step, Math.abs(r))) return high;
  const n = Math.floor(r / step);
  return Number((n * step + low).toPrecision(15));
}

/** Python's `repr(float)`: shortest round-trip digits, exponent form below 1e-4 and from 1e16. */
export function pythonFloatRepr(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const [mantissa, exp] = x.toExponential().split("e") as [string, string];
  const e = Number(exp);
  if (e < -4 || e >= 16) return `${mantissa}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
  const fixed = Number.isInteger(x) ? x.toFixed(0) : x.toFixed(Math.max(0, (mantissa.split(".")[1]?.length ?? 0) - e));
  return fixed.includes(".") ? fixed : `${fixed}.0`;
}

function pythonValueRepr(v: CategoricalChoice, asFloat: boolean): string {
  if (v === null) return "None";
  if (typeof v === "boolean") return v ? "True" : "False";
  if (typeof v === "string") return `'${v.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
  return asFloat || !Number.isInteger(v) ? pythonFloatRepr(v) : String(v);
}

/**
 * Python's `repr(distribution)` in Optuna 3.1, e.g. `FloatDistribution(high=0.3, log=False, low=0.001, step=None)`:
 * the form optuna-integration's MLflowCallback writes in its `<param>_distribution` tags.
 */
export function distributionRepr(distribution: Distribution): string {
  if (distribution.kind === "categorical") {
    const items = distribution.choices.map((c) => pythonValueRepr(c, false));
    return `CategoricalDistribution(choices=(${items.join(", ")}${items.length === 1 ? "," : ""}))`;
  }
  const asFloat = distribution.kind === "float";
  const step = distribution.step === null ? "None" : pythonValueRepr(distribution.step, asFloat);
  return `${CLASS_NAMES[distribution.kind]}(high=${pythonValueRepr(distribution.high, asFloat)}, log=${distribution.log ? "True" : "False"}, low=${pythonValueRepr(distribution.low, asFloat)}, step=${step})`;
}
