/**
 * The GP's input coordinates, as Optuna 4.5's `_gp/search_space.py`: a numerical parameter maps
 * to [0, 1] over [low - step/2, high + step/2] (in log space when log-scaled), a categorical one
 * to its choice index. Integers and stepped floats are discrete: their coordinates are the
 * normalised grid points.
 */
import { Distribution, ParamValue } from "../../distributions";
import { Random } from "../../../util/random";
import { Sobol, SOBOL_MAX_DIM } from "./sobol";

interface Dim {
  name: string;
  dist: Distribution;
  categorical: boolean;
  /** Bounds of the normalised interval in the (log-)transformed space. */
  lo: number;
  hi: number;
  step: number;
}

/** Normalised GP coordinates of a search space. */
export class GPSearchSpace {
  readonly dims: Dim[];
  readonly isCategorical: boolean[];
  /** Indices of the continuous coordinates (floats without a step). */
  readonly continuousIndices: number[];
  /** Indices of the discrete coordinates (categoricals, integers, stepped floats). */
  readonly discreteIndices: number[];

  constructor(space: Record<string, Distribution>) {
    this.dims = Object.entries(space).map(([name, dist]) => {
      if (dist.kind === "categorical") return { name, dist, categorical: true, lo: 0, hi: dist.choices.length, step: 1 };
      const step = dist.step ?? 0;
      const lo = dist.low - 0.5 * step;
      const hi = dist.high + 0.5 * step;
      return { name, dist, categorical: false, lo: dist.log ? Math.log(lo) : lo, hi: dist.log ? Math.log(hi) : hi, step };
    });
    this.isCategorical = this.dims.map((d) => d.categorical);
    this.continuousIndices = this.dims.flatMap((d, i) => (d.step === 0 ? [i] : []));
    this.discreteIndices = this.dims.flatMap((d, i) => (d.step > 0 ? [i] : []));
  }

  get dim(): number {
    return this.dims.length;
  }

  private normalizeOne(value: number, d: Dim): number {
    if (d.categorical) return value;
    const t = d.dist.kind !== "categorical" && d.dist.log ? Math.log(value) : value;
    return d.hi === d.lo ? 0.5 : (t - d.lo) / (d.hi - d.lo);
  }

  private unnormalizeOne(u: number, d: Dim): number {
    const t = u * (d.hi - d.lo) + d.lo;
    return d.dist.kind !== "categorical" && d.dist.log ? Math.exp(t) : t;
  }

  /** External parameter values to coordinates. */
  normalize(params: Record<string, ParamValue>): Float64Array {
    return Float64Array.from(this.dims, (d) => {
      const v = params[d.name] as ParamValue;
      return d.categorical ? d.dist.toInternalRepr(v) : this.normalizeOne(v as number, d);
    });
  }

  /** Coordinates to external values: clipped to the range, integers rounded. */
  unnormalize(x: ArrayLike<number>): Record<string, ParamValue> {
    const out: Record<string, ParamValue> = {};
    this.dims.forEach((d, i) => {
      const dist = d.dist;
      if (dist.kind === "categorical") {
        out[d.name] = dist.toExternalRepr(x[i] as number);
        return;
      }
      const v = Math.min(dist.high, Math.max(dist.low, this.unnormalizeOne(x[i] as number, d)));
      out[d.name] = dist.kind === "int" ? Math.round(v) : v;
    });
    return out;
  }

  /** A discrete coordinate snapped to its nearest grid point (Optuna's `_round_one_normalized_param`). */
  private roundOne(u: number, d: Dim): number {
    const dist = d.dist;
    if (dist.kind === "categorical" || d.step === 0) return u;
    const v = this.unnormalizeOne(u, d);
    const snapped = Math.min(dist.high, Math.max(dist.low, Math.floor((v - dist.low + 0.5 * d.step) / d.step) * d.step + dist.low));
    return this.normalizeOne(snapped, d);
  }

  /** The normalised grid of each discrete coordinate (choice indices for categoricals). */
  discreteChoices(): Float64Array[] {
    return this.discreteIndices.map((i) => {
      const d = this.dims[i] as Dim;
      const dist = d.dist;
      if (dist.kind === "categorical") return Float64Array.from(dist.choices, (_, c) => c);
      const count = Math.floor((dist.high - dist.low) / d.step + 1e-9) + 1;
      return Float64Array.from({ length: count }, (_, k) => this.normalizeOne(dist.low + k * d.step, d));
    });
  }

  /**
   * `n` coordinate vectors, row-major n x dim: a freshly scrambled Sobol' sequence (Optuna's
   * `sample_normalized_params`; uniform draws beyond {@link SOBOL_MAX_DIM} dimensions), with
   * categorical coordinates floored to a choice and discrete ones snapped to their grid.
   */
  sample(n: number, rng: Random): Float64Array {
    const out = this.dim <= SOBOL_MAX_DIM ? new Sobol(this.dim, rng).random(n) : Float64Array.from({ length: n * this.dim }, () => rng.random());
    for (let s = 0; s < n; s++) {
      this.dims.forEach((d, i) => {
        const u = out[s * this.dim + i] as number;
        out[s * this.dim + i] = d.categorical ? Math.floor(u * d.hi) : this.roundOne(u, d);
      });
    }
    return out;
  }
}
