import { ValueError } from "../../errors";
import type { Matrix } from "../../util/matrix";
import { QuantizedMatrix, quantize } from "./quantized";

/** Options of a {@link DMatrix}: labels, weights, the missing-value marker, names. */
export interface DMatrixOptions {
  /** One target per row. */
  label?: ArrayLike<number>;
  /** One non-negative weight per row (default 1). */
  weight?: ArrayLike<number>;
  /** Value that marks a missing entry besides NaN (XGBoost's `missing`, default NaN). */
  missing?: number;
  /** Feature names, used by feature importance (default f0, f1, ...). */
  featureNames?: string[];
}

/**
 * The booster's data container, after XGBoost's `DMatrix`: features stored as float32
 * (as XGBoost stores them), labels and weights as float32, and the quantized
 * (histogram-binned) form computed once per `max_bin` and cached.
 */
export class DMatrix {
  /** Number of rows. */
  readonly rows: number;
  /** Number of features. */
  readonly cols: number;
  /** Row-major float32 feature values; missing entries are NaN. */
  readonly values: Float32Array;
  /** Labels as float32, or null when none were given. */
  readonly label: Float32Array | null;
  /** Weights as float32, or null when none were given (all 1). */
  readonly weight: Float32Array | null;
  /** Feature names. */
  readonly featureNames: string[];
  private readonly quantizedByMaxBin = new Map<number, QuantizedMatrix>();

  /** Wraps `X` (rows x features), validating shapes and labels. */
  constructor(X: Matrix, options: DMatrixOptions = {}) {
    if (!Number.isInteger(X.rows) || !Number.isInteger(X.cols) || X.data.length !== X.rows * X.cols) {
      throw new ValueError(`DMatrix: X has ${X.data.length} values, expected rows x cols = ${X.rows} x ${X.cols}`);
    }
    this.rows = X.rows;
    this.cols = X.cols;
    const values = new Float32Array(X.data.length);
    values.set(X.data);
    markMissing(X.data, values, options.missing ?? NaN);
    this.values = values;
    this.label = options.label === undefined ? null : checkedVector(options.label, X.rows, "label", false);
    this.weight = options.weight === undefined ? null : checkedVector(options.weight, X.rows, "weight", true);
    const names = options.featureNames ?? Array.from({ length: X.cols }, (_, j) => `f${j}`);
    if (names.length !== X.cols) {
      throw new ValueError(`DMatrix: featureNames has ${names.length} names, X has ${X.cols} columns`);
    }
    this.featureNames = [...names];
  }

  /** Builds a DMatrix straight from float32 parts (used by slicing). */
  static fromParts(rows: number, cols: number, values: Float32Array, label: Float32Array | null,
    weight: Float32Array | null, featureNames: string[]): DMatrix {
    const m = Object.create(DMatrix.prototype) as DMatrix;
    Object.assign(m, { rows, cols, values, label, weight, featureNames, quantizedByMaxBin: new Map() });
    return m;
  }

  /** The rows at `indices`, in that order, as a new DMatrix (XGBoost's `slice`). */
  slice(indices: ArrayLike<number>): DMatrix {
    const n = indices.length;
    const values = new Float32Array(n * this.cols);
    const label = this.label === null ? null : new Float32Array(n);
    const weight = this.weight === null ? null : new Float32Array(n);
    for (let k = 0; k < n; k++) {
      const i = indices[k] as number;
      if (!Number.isInteger(i) || i < 0 || i >= this.rows) {
        throw new ValueError(`slice: row index ${i} at position ${k} is outside [0, ${this.rows})`);
      }
      values.set(this.values.subarray(i * this.cols, (i + 1) * this.cols), k * this.cols);
      if (label !== null) label[k] = (this.label as Float32Array)[i] as number;
      if (weight !== null) weight[k] = (this.weight as Float32Array)[i] as number;
    }
    return DMatrix.fromParts(n, this.cols, values, label, weight, this.featureNames);
  }

  /** The labels, throwing when the matrix has none. */
  requireLabel(): Float32Array {
    if (this.label === null) throw new ValueError("DMatrix: label is required for training and evaluation");
    return this.label;
  }

  /** The histogram-binned form for `maxBin`, computed once and cached. */
  quantized(maxBin: number): QuantizedMatrix {
    let q = this.quantizedByMaxBin.get(maxBin);
    if (q === undefined) {
      q = quantize(this.values, this.rows, this.cols, maxBin, this.weight);
      this.quantizedByMaxBin.set(maxBin, q);
    }
    return q;
  }
}

function checkedVector(v: ArrayLike<number>, rows: number, name: string, nonNegative: boolean): Float32Array {
  if (v.length !== rows) {
    throw new ValueError(`DMatrix: ${name} has ${v.length} values, X has ${rows} rows`);
  }
  const out = new Float32Array(rows);
  for (let i = 0; i < rows; i++) {
    const x = v[i] as number;
    if (typeof x !== "number" || !Number.isFinite(x) || (nonNegative && x < 0)) {
      throw new ValueError(`DMatrix: ${name} at row ${i} is ${String(x)}; expected a finite${nonNegative ? " non-negative" : ""} number`);
    }
    out[i] = x;
  }
  return out;
}

/** Sets `values[i]` to NaN where `source[i]` is infinite or the `missing` marker (a scan, then rare writes). */
function markMissing(source: ArrayLike<number>, values: Float32Array, missing: number): void {
  const checkMarker = missing === missing;
  for (let i = 0; i < values.length; i++) {
    const v = source[i] as number;
    if (v - v !== 0 || (checkMarker && v === missing)) values[i] = NaN;
  }
}
