import { Frame, type Column } from "../data/frame";
import { ValueError } from "../errors";
import { checkIsFitted, type EstimatorJSON } from "../estimator";
import { countAndSumPresent, deviationSums, standardised } from "./columnKernels";
import type { FrameTransformer } from "./frameTransformer";

/** Options of {@link StandardScaler}. */
export interface StandardScalerOptions {
  readonly withMean?: boolean;
  readonly withStd?: boolean;
}

interface StandardScalerState {
  readonly featureNamesIn: string[];
  readonly mean: number[];
  readonly variance: number[];
  /** sqrt(variance), with 1 where the variance is zero. */
  readonly scale: number[];
}

/** scikit-learn's StandardScaler: (x - mean) / population standard deviation, NaN ignored. */
export class StandardScaler implements FrameTransformer {
  readonly kind = "StandardScaler";
  private readonly options: Required<StandardScalerOptions>;
  private state: StandardScalerState | null = null;

  constructor(options: StandardScalerOptions = {}) {
    this.options = { withMean: true, withStd: true, ...options };
  }

  getParams(): StandardScalerOptions {
    return { ...this.options };
  }

  fit(input: Frame): this {
    const names = [...input.columnNames];
    const mean: number[] = [];
    const variance: number[] = [];
    const sums = new Float64Array(2);
    for (const name of names) {
      const col = numericColumn(input, name);
      countAndSumPresent(col, sums);
      const n = sums[0] as number;
      const m = (sums[1] as number) / n;
      // scikit-learn's two-pass variance with its correction term.
      deviationSums(col, m, sums);
      const sq = sums[0] as number;
      const correction = sums[1] as number;
      mean.push(m);
      variance.push((sq - (correction * correction) / n) / n);
    }
    const scale = variance.map((v) => (v === 0 || !Number.isFinite(Math.sqrt(v)) ? 1 : Math.sqrt(v)));
    this.state = { featureNamesIn: names, mean, variance, scale };
    return this;
  }

  transform(input: Frame): Frame {
    const state = this.state;
    checkIsFitted(state, this.kind);
    const out = new Map<string, Column>();
    state.featureNamesIn.forEach((name, j) => {
      const col = numericColumn(input, name);
      const m = this.options.withMean ? (state.mean[j] as number) : 0;
      const s = this.options.withStd ? (state.scale[j] as number) : 1;
      out.set(name, standardised(col, m, s));
    });
    return new Frame(out);
  }

  fitTransform(input: Frame): Frame {
    return this.fit(input).transform(input);
  }

  /** Learned means, variances and scales, per input column. */
  get fitted(): StandardScalerState {
    checkIsFitted(this.state, this.kind);
    return this.state;
  }

  getFeatureNamesOut(): string[] {
    checkIsFitted(this.state, this.kind);
    return [...this.state.featureNamesIn];
  }

  toJSON(): EstimatorJSON<StandardScalerOptions, StandardScalerState> {
    return { kind: this.kind, params: this.getParams(), state: this.state };
  }

  static fromJSON(json: EstimatorJSON): StandardScaler {
    const scaler = new StandardScaler(json.params as StandardScalerOptions);
    scaler.state = json.state as StandardScalerState | null;
    return scaler;
  }
}

function numericColumn(input: Frame, name: string): Float64Array {
  const col = input.get(name);
  if (!(col instanceof Float64Array)) throw new ValueError(`StandardScaler: column "${name}" holds text; it scales numeric columns`);
  return col;
}
