/**
 * Optuna's `_SearchSpaceTransform` for numerical parameters (what CMA-ES and the Gaussian
 * process search in): log-scaled parameters in log space, discrete ones widened by half a step
 * on each side (a log-scaled integer k covers [log(k - 1/2), log(k + 1/2)]), optionally
 * rescaled to [0, 1]; back again by rounding to the step and clipping to the range.
 */
import { Distribution, FloatDistribution, IntDistribution, ParamValue } from "../distributions";

/** A numerical distribution. */
export type NumericalDistribution = FloatDistribution | IntDistribution;

/** True for float and int distributions. */
export function isNumerical(d: Distribution): d is NumericalDistribution {
  return d.kind !== "categorical";
}

/** The largest double below `x` (numpy's `nextafter(x, -inf)`). */
export function previousDouble(x: number): number {
  if (x === 0) return -Number.MIN_VALUE;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  view.setBigUint64(0, x > 0 ? bits - 1n : bits + 1n);
  return view.getFloat64(0);
}

/** Maps named numerical parameters to a vector and back. */
export class SearchSpaceTransform {
  /** Parameter names in vector order. */
  readonly names: string[];
  /** Bounds of each coordinate before any [0, 1] rescaling. */
  readonly rawLow: Float64Array;
  readonly rawHigh: Float64Array;

  constructor(
    readonly space: Record<string, NumericalDistribution>,
    private readonly options: { transformStep?: boolean; transform01?: boolean } = {},
  ) {
    this.names = Object.keys(space);
    this.rawLow = new Float64Array(this.names.length);
    this.rawHigh = new Float64Array(this.names.length);
    const halfSteps = options.transformStep ?? true;
    this.names.forEach((name, i) => {
      const d = space[name] as NumericalDistribution;
      const half = d.step !== null && halfSteps ? 0.5 * d.step : 0;
      if (d.kind === "int" && d.log) {
        this.rawLow[i] = Math.log(d.low - half);
        this.rawHigh[i] = Math.log(d.high + half);
      } else {
        this.rawLow[i] = toCoordinate(d.low, d) - half;
        this.rawHigh[i] = toCoordinate(d.high, d) + half;
      }
    });
  }

  /** Number of coordinates. */
  get dim(): number {
    return this.names.length;
  }

  /** The coordinates' bounds: [0, 1] each when rescaled. */
  get low(): Float64Array {
    return this.options.transform01 ? new Float64Array(this.dim) : this.rawLow;
  }

  get high(): Float64Array {
    return this.options.transform01 ? new Float64Array(this.dim).fill(1) : this.rawHigh;
  }

  /** External parameter values to a vector. */
  transform(params: Record<string, ParamValue>): Float64Array {
    return Float64Array.from(this.names, (name, i) => {
      const value = params[name];
      if (typeof value !== "number") throw new Error(`SearchSpaceTransform: parameter "${name}" must be a number, got ${String(value)}`);
      const x = toCoordinate(value, this.space[name] as NumericalDistribution);
      if (!this.options.transform01) return x;
      const lo = this.rawLow[i] as number;
      const hi = this.rawHigh[i] as number;
      return lo === hi ? 0.5 : (x - lo) / (hi - lo);
    });
  }

  /** A vector back to external values: rounded to each step and clipped to each range. */
  untransform(vector: ArrayLike<number>): Record<string, number> {
    const out: Record<string, number> = {};
    this.names.forEach((name, i) => {
      const lo = this.rawLow[i] as number;
      const hi = this.rawHigh[i] as number;
      const x = this.options.transform01 ? lo + (vector[i] as number) * (hi - lo) : (vector[i] as number);
      out[name] = fromCoordinate(x, this.space[name] as NumericalDistribution);
    });
    return out;
  }
}

function toCoordinate(value: number, d: NumericalDistribution): number {
  return d.log ? Math.log(value) : value;
}

function clip(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

function fromCoordinate(x: number, d: NumericalDistribution): number {
  if (d.kind === "int") {
    if (d.log) return clip(Math.round(Math.exp(x)), d.low, d.high);
    return clip(Math.round((x - d.low) / d.step) * d.step + d.low, d.low, d.high);
  }
  if (d.step !== null) return clip(Math.round((x - d.low) / d.step) * d.step + d.low, d.low, d.high);
  const v = d.log ? Math.exp(x) : x;
  return d.single() ? v : clip(v, d.low, previousDouble(d.high));
}
