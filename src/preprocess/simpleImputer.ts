import { Frame, type Column } from "../data/frame";
import { ValueError } from "../errors";
import { checkIsFitted, type EstimatorJSON } from "../estimator";
import type { FrameTransformer } from "./frameTransformer";

/** How {@link SimpleImputer} fills missing values (scikit-learn's names). */
export type ImputeStrategy = "mean" | "median" | "most_frequent" | "constant";

/** Options of {@link SimpleImputer}. */
export interface SimpleImputerOptions {
  readonly strategy?: ImputeStrategy;
  /** The fill value for "constant": default 0 for numeric columns, "missing_value" for text. */
  readonly fillValue?: number | string;
}

interface SimpleImputerState {
  readonly featureNamesIn: string[];
  /** Per column: the value that replaces a missing one. */
  readonly statistics: Array<number | string>;
}

/**
 * scikit-learn's SimpleImputer: fills NaN (numbers) or null (text) with a per-column
 * statistic learned at fit, or a constant.
 */
export class SimpleImputer implements FrameTransformer {
  readonly kind = "SimpleImputer";
  private readonly options: Required<Pick<SimpleImputerOptions, "strategy">> & SimpleImputerOptions;
  private state: SimpleImputerState | null = null;

  constructor(options: SimpleImputerOptions = {}) {
    const strategy = options.strategy ?? "mean";
    if (!["mean", "median", "most_frequent", "constant"].includes(strategy)) {
      throw new ValueError(`SimpleImputer: strategy must be one of mean, median, most_frequent, constant; got "${strategy}"`);
    }
    this.options = { ...options, strategy };
  }

  /** A copy of the constructor options. */
  getParams(): SimpleImputerOptions {
    return { ...this.options };
  }

  /** Learns each column's fill value. */
  fit(input: Frame): this {
    const statistics = input.columnNames.map((name) => {
      const col = input.get(name);
      const numeric = col instanceof Float64Array;
      const { strategy, fillValue } = this.options;
      if (strategy === "constant") {
        const value = fillValue ?? (numeric ? 0 : "missing_value");
        if (numeric && typeof value !== "number") {
          throw new ValueError(`SimpleImputer: fillValue "${value}" is text but column "${name}" is numeric`);
        }
        return value;
      }
      if (!numeric) {
        if (strategy !== "most_frequent") {
          throw new ValueError(`SimpleImputer: strategy "${strategy}" needs numbers, but column "${name}" holds text`);
        }
        return mostFrequent(col.filter((v): v is string => v !== null), name);
      }
      const present = col.filter((v) => v === v);
      if (present.length === 0) throw new ValueError(`SimpleImputer: column "${name}" has no observed value to compute a ${strategy}`);
      if (strategy === "mean") return present.reduce((a, b) => a + b, 0) / present.length;
      if (strategy === "median") return median(present);
      return mostFrequent(Array.from(present), name);
    });
    this.state = { featureNamesIn: [...input.columnNames], statistics };
    return this;
  }

  /** Replaces missing values by the learned fill values. */
  transform(input: Frame): Frame {
    const state = this.state;
    checkIsFitted(state, this.kind);
    const out = new Map<string, Column>();
    state.featureNamesIn.forEach((name, j) => {
      const col = input.get(name);
      const fill = state.statistics[j] as number | string;
      if (col instanceof Float64Array) {
        if (typeof fill !== "number") throw new ValueError(`SimpleImputer: column "${name}" was text at fit, numbers now`);
        const filled = col.slice();
        for (let i = 0; i < filled.length; i++) if (filled[i] !== filled[i]) filled[i] = fill;
        out.set(name, filled);
      } else {
        if (typeof fill === "number" && this.options.strategy !== "constant") {
          throw new ValueError(`SimpleImputer: column "${name}" was numeric at fit, text now`);
        }
        out.set(name, fillNulls(col, String(fill)));
      }
    });
    return new Frame(out);
  }

  fitTransform(input: Frame): Frame {
    return this.fit(input).transform(input);
  }

  /** The learned fill values, one per input column. */
  get statistics(): Array<number | string> {
    checkIsFitted(this.state, this.kind);
    return [...this.state.statistics];
  }

  getFeatureNamesOut(): string[] {
    checkIsFitted(this.state, this.kind);
    return [...this.state.featureNamesIn];
  }

  toJSON(): EstimatorJSON<SimpleImputerOptions, SimpleImputerState> {
    return { kind: this.kind, params: this.getParams(), state: this.state };
  }

  /** Restores a saved imputer. */
  static fromJSON(json: EstimatorJSON): SimpleImputer {
    const imputer = new SimpleImputer(json.params as SimpleImputerOptions);
    imputer.state = json.state as SimpleImputerState | null;
    return imputer;
  }
}

/** A copy of the text column with `fill` for each null (a plain loop: no callback per value). */
function fillNulls(col: ReadonlyArray<string | null>, fill: string): string[] {
  const out = new Array<string>(col.length);
  for (let i = 0; i < col.length; i++) {
    const v = col[i] as string | null;
    out[i] = v === null ? fill : v;
  }
  return out;
}

function median(values: Float64Array): number {
  const s = values.slice().sort();
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** The most frequent value; ties go to the smallest, as scikit-learn breaks them. */
function mostFrequent<T extends number | string>(values: T[], column: string): T {
  if (values.length === 0) throw new ValueError(`SimpleImputer: column "${column}" has no observed value`);
  const counts = new Map<T, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: T | undefined;
  let bestCount = -1;
  for (const [v, c] of counts) {
    if (c > bestCount || (c === bestCount && best !== undefined && v < best)) {
      best = v;
      bestCount = c;
    }
  }
  return best as T;
}
