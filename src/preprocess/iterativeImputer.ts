import { Frame, type Column } from "../data/frame";
import { ValueError } from "../errors";
import { checkIsFitted, type EstimatorJSON } from "../estimator";
import type { Matrix } from "../util/matrix";
import { BayesianRidge, type CentredMoments } from "./bayesianRidge";
import type { FrameTransformer } from "./frameTransformer";

/** Options of {@link IterativeImputer} (scikit-learn 1.2's names; BayesianRidge as the model). */
export interface IterativeImputerOptions {
  /** Rounds over all features (default 10, the original Python project uses 5). */
  readonly maxIter?: number;
  /** Stop when the change between rounds falls below tol x max |observed value| (default 1e-3). */
  readonly tol?: number;
  /** Initial fill before the rounds: "mean" (default) or "median". */
  readonly initialStrategy?: "mean" | "median";
  /** Accepted for parity with scikit-learn; this deterministic variant draws no random numbers. */
  readonly randomState?: number;
}

interface ImputationStep {
  readonly feature: number;
  readonly model: ReturnType<BayesianRidge["toJSON"]>;
}

interface IterativeImputerState {
  readonly featureNamesIn: string[];
  readonly initialFill: number[];
  readonly nIter: number;
  /** The fitted model of each feature in each round, in the order they ran. */
  readonly sequence: ImputationStep[];
}

/**
 * scikit-learn's IterativeImputer with its defaults: after an initial mean fill, each feature in
 * ascending order of missingness is regressed on all the others (BayesianRidge) and its missing
 * entries replaced by the prediction, for up to `maxIter` rounds.
 */
export class IterativeImputer implements FrameTransformer {
  readonly kind = "IterativeImputer";
  private readonly options: Required<Omit<IterativeImputerOptions, "randomState">> & IterativeImputerOptions;
  private state: IterativeImputerState | null = null;
  private models: BayesianRidge[] = [];

  constructor(options: IterativeImputerOptions = {}) {
    this.options = { maxIter: 10, tol: 1e-3, initialStrategy: "mean", ...options };
    if (!Number.isInteger(this.options.maxIter) || this.options.maxIter < 0) {
      throw new ValueError(`IterativeImputer: maxIter must be a non-negative integer, got ${this.options.maxIter}`);
    }
  }

  getParams(): IterativeImputerOptions {
    return { ...this.options };
  }

  fit(input: Frame): this {
    this.fitImpute(input);
    return this;
  }

  fitTransform(input: Frame): Frame {
    return this.fitImpute(input);
  }

  private fitImpute(input: Frame): Frame {
    const names = [...input.columnNames];
    const { values, missing, summaries } = toColumns(input, names);
    const n = input.nRows;
    const d = names.length;
    const nMissing = summaries.map((m) => m.missing);
    const initialFill = values.map((col, j) => {
      if (nMissing[j] === n) throw new ValueError(`IterativeImputer: column "${names[j]}" has no observed value`);
      if (this.options.initialStrategy === "median") return medianOf(observed(col, missing[j] as Uint8Array));
      return (summaries[j] as ObservedSummary).sum / (n - (nMissing[j] as number));
    });
    const filled = fillMissing(values, missing, initialFill);
    const sequence: ImputationStep[] = [];
    this.models = [];
    let nIter = 0;
    if (this.options.maxIter > 0 && d > 1 && !nMissing.every((c) => c === n)) {
      const fraction = nMissing.map((c) => c / n);
      const order = names.map((_, j) => j).sort((a, b) => (fraction[a] as number) - (fraction[b] as number) || a - b);
      let maxAbsObserved = 0;
      for (const m of summaries) maxAbsObserved = Math.max(maxAbsObserved, m.maxAbs);
      const normalizedTol = this.options.tol * maxAbsObserved;
      const complete = nMissing.every((c) => c === 0);
      let previous = complete ? filled : filled.map((c) => c.slice());
      if (complete && normalizedTol > 0) {
        // Nothing to impute: one round of regressions over the same rows, whose imputations change
        // nothing, so the change is 0 and the loop stops. One pass for all their moments instead of d.
        const moments = centredMoments(filled, summaries.map((m) => m.sum));
        for (const j of order) {
          const model = new BayesianRidge().fitMoments(subMoments(moments, j));
          sequence.push({ feature: j, model: model.toJSON() });
          this.models.push(model);
        }
        this.state = { featureNamesIn: names, initialFill, nIter: 1, sequence };
        return toFrame(names, filled);
      }
      for (nIter = 1; nIter <= this.options.maxIter; nIter++) {
        for (const j of order) {
          const model = this.imputeFeature(filled, missing[j] as Uint8Array, j, null);
          sequence.push({ feature: j, model: model.toJSON() });
          this.models.push(model);
        }
        // numpy's norm(ord=inf) of a matrix: the largest row sum of absolute changes.
        let infNorm = 0;
        for (let i = 0; i < n; i++) {
          let rowSum = 0;
          for (let j = 0; j < d; j++) rowSum += Math.abs(((filled[j] as Float64Array)[i] as number) - ((previous[j] as Float64Array)[i] as number));
          infNorm = Math.max(infNorm, rowSum);
        }
        if (infNorm < normalizedTol) break;
        previous = filled.map((c) => c.slice());
      }
      nIter = Math.min(nIter, this.options.maxIter);
    }
    this.state = { featureNamesIn: names, initialFill, nIter, sequence };
    return toFrame(names, filled);
  }

  /** Fits (when `model` is null) a regression of feature j on the others and fills its missing rows. */
  private imputeFeature(filled: Float64Array[], missingJ: Uint8Array, j: number, model: BayesianRidge | null): BayesianRidge {
    const n = missingJ.length;
    const others = filled.filter((_, k) => k !== j);
    const rowsOf = (want: number): Matrix => rowsWhere(others, missingJ, want);
    let fitted = model;
    if (fitted === null) {
      const target = observed(filled[j] as Float64Array, missingJ);
      fitted = new BayesianRidge().fit(rowsOf(0), target);
    }
    if (countOnes(missingJ) > 0) {
      const predicted = fitted.predict(rowsOf(1));
      let r = 0;
      const col = filled[j] as Float64Array;
      for (let i = 0; i < n; i++) if (missingJ[i] === 1) col[i] = predicted[r++] as number;
    }
    return fitted;
  }

  transform(input: Frame): Frame {
    const state = this.state;
    checkIsFitted(state, this.kind);
    const names = state.featureNamesIn;
    const { values, missing } = toColumns(input, names);
    const filled = fillMissing(values, missing, state.initialFill);
    if (state.nIter > 0) {
      if (this.models.length !== state.sequence.length) this.models = state.sequence.map((s) => BayesianRidge.fromJSON(s.model));
      state.sequence.forEach((step, k) => this.imputeFeature(filled, missing[step.feature] as Uint8Array, step.feature, this.models[k] as BayesianRidge));
    }
    return toFrame(names, filled);
  }

  /** Rounds run at fit (scikit-learn's `n_iter_`). */
  get nIter(): number {
    checkIsFitted(this.state, this.kind);
    return this.state.nIter;
  }

  getFeatureNamesOut(): string[] {
    checkIsFitted(this.state, this.kind);
    return [...this.state.featureNamesIn];
  }

  toJSON(): EstimatorJSON<IterativeImputerOptions, IterativeImputerState> {
    return { kind: this.kind, params: this.getParams(), state: this.state };
  }

  static fromJSON(json: EstimatorJSON): IterativeImputer {
    const imputer = new IterativeImputer(json.params as IterativeImputerOptions);
    imputer.state = json.state as IterativeImputerState | null;
    return imputer;
  }
}

/** Per column: how many values are missing, and the sum (row order) and largest |value| of the others. */
interface ObservedSummary {
  readonly missing: number;
  readonly sum: number;
  readonly maxAbs: number;
}

function toColumns(input: Frame, names: readonly string[]): { values: Float64Array[]; missing: Uint8Array[]; summaries: ObservedSummary[] } {
  const values = names.map((name) => {
    const col = input.get(name);
    if (!(col instanceof Float64Array)) throw new ValueError(`IterativeImputer: column "${name}" holds text; it imputes numeric columns`);
    return col;
  });
  const missing = values.map((c) => new Uint8Array(c.length));
  const out = new Float64Array(3);
  const summaries = values.map((c, j) => {
    summarise(c, missing[j] as Uint8Array, out);
    return { missing: out[0] as number, sum: out[1] as number, maxAbs: out[2] as number };
  });
  return { values, missing, summaries };
}

/** One pass: marks the NaN values in `mask`; writes [missing count, sum of the others, max |other|] to `out`. */
function summarise(col: Float64Array, mask: Uint8Array, out: Float64Array): void {
  let missing = 0;
  let sum = 0;
  let maxAbs = 0;
  for (let i = 0; i < col.length; i++) {
    const v = col[i] as number;
    if (v !== v) {
      mask[i] = 1;
      missing++;
    } else {
      sum += v;
      maxAbs = Math.max(maxAbs, Math.abs(v));
    }
  }
  out[0] = missing;
  out[1] = sum;
  out[2] = maxAbs;
}

/**
 * Means and the centred cross-products of all columns, summed in row order as BayesianRidge.fit
 * sums them; `sums` are the columns' sums in row order.
 */
function centredMoments(columns: readonly Float64Array[], sums: readonly number[]): { n: number; mean: Float64Array; gram: Float64Array } {
  const d = columns.length;
  const n = (columns[0] as Float64Array).length;
  const mean = Float64Array.from(sums, (s) => s / n);
  const gram = new Float64Array(d * d);
  for (let a = 0; a < d; a++) {
    for (let b = a; b < d; b++) gram[a * d + b] = centredDot(columns[a] as Float64Array, mean[a] as number, columns[b] as Float64Array, mean[b] as number);
  }
  for (let a = 0; a < d; a++) for (let b = 0; b < a; b++) gram[a * d + b] = gram[b * d + a] as number;
  return { n, mean, gram };
}

/** Sum over rows, in order, of (x - xMean)(y - yMean). */
function centredDot(x: Float64Array, xMean: number, y: Float64Array, yMean: number): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += ((x[i] as number) - xMean) * ((y[i] as number) - yMean);
  return s;
}

/** The moments of regressing column `j` on all the others. */
function subMoments(m: { n: number; mean: Float64Array; gram: Float64Array }, j: number): CentredMoments {
  const d = m.mean.length;
  const others: number[] = [];
  for (let k = 0; k < d; k++) if (k !== j) others.push(k);
  const p = others.length;
  const gram = new Float64Array(p * p);
  const xty = new Float64Array(p);
  others.forEach((a, r) => {
    xty[r] = m.gram[a * d + j] as number;
    others.forEach((b, c) => (gram[r * p + c] = m.gram[a * d + b] as number));
  });
  return { n: m.n, xMean: Float64Array.from(others, (a) => m.mean[a] as number), yMean: m.mean[j] as number, gram, xty, yy: m.gram[j * d + j] as number };
}

/** The rows where `mask` equals `want`, of the given columns, as a row-major matrix. */
function rowsWhere(columns: readonly Float64Array[], mask: Uint8Array, want: number): Matrix {
  const n = mask.length;
  const p = columns.length;
  let count = 0;
  for (let i = 0; i < n; i++) if (mask[i] === want) count++;
  const data = new Float64Array(count * p);
  for (let k = 0; k < p; k++) {
    const c = columns[k] as Float64Array;
    for (let i = 0, r = 0; i < n; i++) if (mask[i] === want) data[r++ * p + k] = c[i] as number;
  }
  return { rows: count, cols: p, data };
}

function countOnes(mask: Uint8Array): number {
  let count = 0;
  for (let i = 0; i < mask.length; i++) count += mask[i] as number;
  return count;
}

function observed(col: Float64Array, missing: Uint8Array): Float64Array {
  let count = 0;
  for (let i = 0; i < missing.length; i++) count += missing[i] as number;
  if (count === 0) return col;
  const out = new Float64Array(col.length - count);
  for (let i = 0, r = 0; i < col.length; i++) if (missing[i] === 0) out[r++] = col[i] as number;
  return out;
}

function fillMissing(values: Float64Array[], missing: Uint8Array[], fill: readonly number[]): Float64Array[] {
  return values.map((col, j) => fillWhere(col.slice(), missing[j] as Uint8Array, fill[j] as number));
}

/** Sets `out[i] = fill` where the mask is 1; returns `out`. */
function fillWhere(out: Float64Array, mask: Uint8Array, fill: number): Float64Array {
  for (let i = 0; i < out.length; i++) if (mask[i] === 1) out[i] = fill;
  return out;
}

function toFrame(names: readonly string[], columns: Float64Array[]): Frame {
  return new Frame(new Map(names.map((name, j) => [name, columns[j] as Column] as [string, Column])));
}

function medianOf(values: Float64Array): number {
  const s = values.slice().sort();
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}
