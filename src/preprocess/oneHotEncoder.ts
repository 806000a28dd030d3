import { Frame, type Column } from "../data/frame";
import { ValueError } from "../errors";
import { checkIsFitted, type EstimatorJSON } from "../estimator";
import type { FrameTransformer } from "./frameTransformer";

/** Options of {@link OneHotEncoder}, with scikit-learn 1.2's names and meanings. */
export interface OneHotEncoderOptions {
  /** "first" drops each feature's first category (sorted order); default: drop nothing. */
  readonly drop?: "first" | null;
  /**
   * "error" (default) rejects unknown categories at transform; "ignore" encodes them as all
   * zeros; "infrequent_if_exist" sends them to the infrequent column when there is one.
   */
  readonly handleUnknown?: "error" | "ignore" | "infrequent_if_exist";
  /** Categories seen fewer times than this (a count, or a fraction of the rows below 1) are infrequent. */
  readonly minFrequency?: number | null;
}

/** Per input column: what was learned. */
interface EncodedFeature {
  readonly name: string;
  /** All categories seen at fit, sorted. */
  readonly categories: string[];
  /** The infrequent ones, in sorted order (empty when none). */
  readonly infrequent: string[];
  /** Output column labels: frequent categories, then "infrequent_sklearn" if any, minus the dropped one. */
  readonly outputs: string[];
}

interface OneHotState {
  readonly features: EncodedFeature[];
}

/** The label scikit-learn gives the column that gathers infrequent categories. */
export const INFREQUENT_LABEL = "infrequent_sklearn";

/**
 * scikit-learn's OneHotEncoder for text columns: one 0/1 column per category, with
 * infrequent categories grouped into one column and optional dropping of the first category.
 */
export class OneHotEncoder implements FrameTransformer {
  readonly kind = "OneHotEncoder";
  private readonly options: Required<OneHotEncoderOptions>;
  private state: OneHotState | null = null;

  constructor(options: OneHotEncoderOptions = {}) {
    const handleUnknown = options.handleUnknown ?? "error";
    if (!["error", "ignore", "infrequent_if_exist"].includes(handleUnknown)) {
      throw new ValueError(`OneHotEncoder: handleUnknown must be error, ignore or infrequent_if_exist; got "${handleUnknown}"`);
    }
    const minFrequency = options.minFrequency ?? null;
    if (minFrequency !== null && !(minFrequency > 0)) {
      throw new ValueError(`OneHotEncoder: minFrequency must be positive; got ${minFrequency}`);
    }
    const drop = options.drop ?? null;
    if (drop !== null && drop !== "first") throw new ValueError(`OneHotEncoder: drop must be "first" or null; got "${drop}"`);
    this.options = { drop, handleUnknown, minFrequency };
  }

  getParams(): OneHotEncoderOptions {
    return { ...this.options };
  }

  fit(input: Frame): this {
    const features = input.columnNames.map((name) => this.fitFeature(name, textColumn(input, name)));
    this.state = { features };
    return this;
  }

  private fitFeature(name: string, values: string[]): EncodedFeature {
    const counts = countValues(values);
    const categories = [...counts.keys()].sort(compareCodeUnits);
    const { minFrequency, drop } = this.options;
    const threshold = minFrequency === null ? 0 : minFrequency >= 1 ? minFrequency : minFrequency * values.length;
    const infrequent = categories.filter((c) => (counts.get(c) as number) < threshold);
    const frequent = categories.filter((c) => (counts.get(c) as number) >= threshold);
    let outputs = infrequent.length > 0 ? [...frequent, INFREQUENT_LABEL] : frequent;
    if (drop === "first" && categories.length > 0) {
      const first = categories[0] as string;
      const dropped = infrequent.includes(first) ? INFREQUENT_LABEL : first;
      outputs = outputs.filter((o) => o !== dropped);
    }
    return { name, categories, infrequent, outputs };
  }

  transform(input: Frame): Frame {
    const state = this.state;
    checkIsFitted(state, this.kind);
    const out = new Map<string, Column>();
    for (const f of state.features) {
      const values = textColumn(input, f.name);
      const { slots, infrequentSlot } = outputSlots(f);
      const columns = f.outputs.map(() => new Float64Array(values.length));
      const unknownSlot = this.options.handleUnknown === "infrequent_if_exist" ? infrequentSlot : NO_OUTPUT;
      const unknownAt = setOnes(values, slots, columns, this.options.handleUnknown === "error" ? UNKNOWN_IS_ERROR : unknownSlot);
      if (unknownAt >= 0) {
        throw new ValueError(`OneHotEncoder: unknown category "${values[unknownAt]}" in column "${f.name}" (row ${unknownAt + 1})`);
      }
      f.outputs.forEach((o, k) => out.set(`${f.name}_${o}`, columns[k] as Float64Array));
    }
    return new Frame(out);
  }

  fitTransform(input: Frame): Frame {
    return this.fit(input).transform(input);
  }

  /** The sorted categories of each input column (scikit-learn's `categories_`). */
  get categories(): Record<string, string[]> {
    checkIsFitted(this.state, this.kind);
    return Object.fromEntries(this.state.features.map((f) => [f.name, [...f.categories]]));
  }

  /** The infrequent categories of each input column (`infrequent_categories_`). */
  get infrequentCategories(): Record<string, string[]> {
    checkIsFitted(this.state, this.kind);
    return Object.fromEntries(this.state.features.map((f) => [f.name, [...f.infrequent]]));
  }

  getFeatureNamesOut(): string[] {
    checkIsFitted(this.state, this.kind);
    return this.state.features.flatMap((f) => f.outputs.map((o) => `${f.name}_${o}`));
  }

  toJSON(): EstimatorJSON<OneHotEncoderOptions, OneHotState> {
    return { kind: this.kind, params: this.getParams(), state: this.state };
  }

  static fromJSON(json: EstimatorJSON): OneHotEncoder {
    const encoder = new OneHotEncoder(json.params as OneHotEncoderOptions);
    encoder.state = json.state as OneHotState | null;
    return encoder;
  }
}

/** A category with no output column (the dropped one, or unknown ones that are ignored). */
const NO_OUTPUT = -1;

/** Output column of each category seen at fit (its own, the infrequent one, or NO_OUTPUT), and the infrequent column. */
function outputSlots(f: EncodedFeature): { slots: Map<string, number>; infrequentSlot: number } {
  const ownSlot = new Map<string, number>();
  f.outputs.forEach((o, k) => ownSlot.set(o, k));
  const infrequentSlot = ownSlot.get(INFREQUENT_LABEL) ?? NO_OUTPUT;
  const infrequent = new Set(f.infrequent);
  const slots = new Map<string, number>();
  for (const c of f.categories) slots.set(c, infrequent.has(c) ? infrequentSlot : (ownSlot.get(c) ?? NO_OUTPUT));
  return { slots, infrequentSlot };
}

/** Passed to setOnes as the slot of unknown categories: stop at the first one. */
const UNKNOWN_IS_ERROR = -2;

/**
 * Sets row i of the output column of each value to 1; unknown values go to `unknownSlot`.
 * Returns the first row with an unknown value when `unknownSlot` is UNKNOWN_IS_ERROR, else -1.
 */
function setOnes(values: readonly string[], slots: Map<string, number>, columns: Float64Array[], unknownSlot: number): number {
  for (let i = 0; i < values.length; i++) {
    let k = slots.get(values[i] as string);
    if (k === undefined) {
      if (unknownSlot === UNKNOWN_IS_ERROR) return i;
      k = unknownSlot;
    }
    if (k !== NO_OUTPUT) (columns[k] as Float64Array)[i] = 1;
  }
  return -1;
}

/** How often each value occurs. */
function countValues(values: readonly string[]): Map<string, number> {
  const index = new Map<string, number>();
  const counts: number[] = [];
  tally(values, index, counts);
  const out = new Map<string, number>();
  for (const [v, k] of index) out.set(v, counts[k] as number);
  return out;
}

/** Numbers the distinct values in `index` (first seen first) and counts them in `counts`. */
function tally(values: readonly string[], index: Map<string, number>, counts: number[]): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as string;
    const k = index.get(v);
    if (k === undefined) {
      index.set(v, counts.length);
      counts.push(1);
    } else counts[k] = (counts[k] as number) + 1;
  }
}

/** numpy sorts unicode strings by code point; for the BMP that is UTF-16 code-unit order. */
function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function textColumn(input: Frame, name: string): string[] {
  const col = input.get(name);
  if (col instanceof Float64Array) {
    throw new ValueError(`OneHotEncoder: column "${name}" holds numbers; encode text columns (convert or impute first)`);
  }
  const missing = col.indexOf(null);
  if (missing !== -1) {
    throw new ValueError(`OneHotEncoder: column "${name}" has a missing value at row ${missing + 1}; impute it first`);
  }
  return col as string[];
}
