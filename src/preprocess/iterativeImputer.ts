import { Frame, type Column } from "../data/frame";
import { ValueError } from "../errors";
import { checkIsFitted, type EstimatorJSON } from "../models/base";
import type { Matrix } from "../util/matrix";
import { BayesianRidge } from "./bayesianRidge";
import type { FrameTransformer } from "./frameTransformer";

/** Options of {@link IterativeImputer} (scikit-learn 1.2's names; BayesianRidge as the model). */
export interface IterativeImputerOptions {
  /** Rounds over all features (default 10, the seed uses 5). */
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
    const { values, missing } = toColumns(input, names);
    const n = input.nRows;
    const d = names.length;
    const initialFill = values.map((col, j) => {
      const present = col.filter((_, i) => !(missing[j] as Uint8Array)[i]);
      if (present.length === 0) throw new ValueError(`IterativeImputer: column "${names[j]}" has no observed value`);
      return this.options.initialStrategy === "median" ? medianOf(present) : present.reduce((a, b) => a + b, 0) / present.length;
    });
    const filled = values.map((col, j) => col.map((v, i) => ((missing[j] as Uint8Array)[i] ? (initialFill[j] as number) : v)));
    const sequence: ImputationStep[] = [];
    this.models = [];
    let nIter = 0;
    if (this.options.maxIter > 0 && d > 1 && !missing.every((m) => m.every((x) => x === 1))) {
      const fraction = missing.map((m) => m.reduce((a, b) => a + b, 0) / n);
      const order = names.map((_, j) => j).sort((a, b) => (fraction[a] as number) - (fraction[b] as number) || a - b);
      let maxAbsObserved = 0;
      values.forEach((col, j) => col.forEach((v, i) => {
        if (!(missing[j] as Uint8Array)[i]) maxAbsObserved = Math.max(maxAbsObserved, Math.abs(v));
      }));
      const normalizedTol = this.options.tol * maxAbsObserved;
      let previous = filled.map((c) => Float64Array.from(c));
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
        previous = filled.map((c) => Float64Array.from(c));
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
    const p = others.length;
    const rowsOf = (want: number): Matrix => {
      const idx: number[] = [];
      for (let i = 0; i < n; i++) if (missingJ[i] === want) idx.push(i);
      const data = new Float64Array(idx.length * p);
      idx.forEach((i, r) => others.forEach((c, k) => (data[r * p + k] = c[i] as number)));
      return { rows: idx.length, cols: p, data };
    };
    let fitted = model;
    if (fitted === null) {
      const target = (filled[j] as Float64Array).filter((_, i) => missingJ[i] === 0);
      fitted = new BayesianRidge().fit(rowsOf(0), target);
    }
    if (missingJ.some((m) => m === 1)) {
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
    const filled = values.map((col, j) => col.map((v, i) => ((missing[j] as Uint8Array)[i] ? (state.initialFill[j] as number) : v)));
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

function toColumns(input: Frame, names: readonly string[]): { values: Float64Array[]; missing: Uint8Array[] } {
  const values = names.map((name) => {
    const col = input.get(name);
    if (!(col instanceof Float64Array)) throw new ValueError(`IterativeImputer: column "${name}" holds text; it imputes numeric columns`);
    return col;
  });
  return { values, missing: values.map((c) => Uint8Array.from(c, (v) => (Number.isNaN(v) ? 1 : 0))) };
}

function toFrame(names: readonly string[], columns: Float64Array[]): Frame {
  return new Frame(new Map(names.map((name, j) => [name, columns[j] as Column] as [string, Column])));
}

function medianOf(values: Float64Array): number {
  const s = Float64Array.from(values).sort();
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}
