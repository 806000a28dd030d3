import { ValueError } from "../errors";
import { hasFitAsync } from "../models/asyncFit";
import type { Regressor } from "../models/base";
import type { Matrix } from "../util/matrix";
import { crossValidate, resolveFolds, type CrossValidateResult } from "./crossValidate";
import { materializeFold, type FoldData } from "./foldRunner";
import type { Fold, Splitter } from "./kFold";

/** One model to compare. */
export interface ModelSpec {
  /** Display name, e.g. "RandomForest". */
  readonly name: string;
  /** The (unfitted) estimator; each fold fits a clone. */
  readonly estimator: Regressor;
  /** Worker threads over folds for this model (overrides the comparison's `nJobs`). */
  readonly nJobs?: number;
}

/** Mean cross-validated figures of one model, the trainer's comparison row. */
export interface ModelComparisonRow {
  readonly name: string;
  readonly kind: string;
  readonly params: object;
  /** Mean over folds of the test RMSE (positive). */
  readonly testRmse: number;
  readonly testMape: number;
  readonly trainRmse: number;
  readonly trainMape: number;
  /** Mean seconds per fold spent fitting. */
  readonly fitTime: number;
  /** Mean seconds per fold spent scoring the test rows. */
  readonly scoreTime: number;
  /** Wall-clock seconds of this model's whole cross-validation. */
  readonly wallTime: number;
  /** When this model's cross-validation started (milliseconds since the epoch). */
  readonly startedAt: number;
  /** The per-fold details. */
  readonly cv: CrossValidateResult;
}

/** Options of {@link compareModels}. */
export interface CompareModelsOptions {
  /** Folds as in `crossValidate` (default 5 unshuffled folds). */
  cv?: number | Splitter | readonly Fold[];
  /** Worker threads over folds, for models that do not set their own (default 1). */
  nJobs?: number;
  /** Fit each estimator on all of `X` after its cross-validation, so `onModelDone` gets a fitted model (default false). */
  refit?: boolean;
  /**
   * Called after each model, in order, with its estimator (fitted on all rows with `refit`)
   * and its row: the seam where tracking logs one run per model. Awaited.
   */
  onModelDone?: (name: string, model: Regressor, result: ModelComparisonRow) => void | Promise<void>;
  /**
   * Progress for bars: called when each model starts and as each of its folds finishes, with
   * `done` out of `total` folds so far and the model being cross-validated.
   */
  onProgress?: (done: number, total: number, model: string) => void;
}

/** The result of {@link compareModels}. */
export interface ModelComparison {
  /** One row per model, in the order given. */
  readonly rows: ModelComparisonRow[];
  /** Name of the model with the lowest mean test RMSE. */
  readonly best: string;
}

const mean = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0) / values.length;

/**
 * Cross-validates each model on MAPE and RMSE (train and test), as the original Python project's
 * `simple_trainer.py` does with scikit-learn's `cross_validate`, and picks the best by test RMSE.
 */
export async function compareModels(models: readonly ModelSpec[], X: Matrix, y: ArrayLike<number>, options: CompareModelsOptions = {}): Promise<ModelComparison> {
  if (models.length === 0) throw new ValueError("compareModels: no models given");
  const names = new Set<string>();
  for (const m of models) {
    if (names.has(m.name)) throw new ValueError(`compareModels: model name "${m.name}" is given twice`);
    names.add(m.name);
  }
  const folds = resolveFolds(options.cv ?? 5, X.rows);
  // Models run on this thread share the folds' rows, taken out once.
  let foldData: FoldData[] | null = null;
  const total = folds.length * models.length;
  let done = 0;
  const rows: ModelComparisonRow[] = [];
  for (const spec of models) {
    const start = performance.now();
    const startedAt = Date.now();
    options.onProgress?.(done, total, spec.name);
    const nJobs = spec.nJobs ?? options.nJobs ?? 1;
    if (nJobs === 1 && foldData === null) foldData = folds.map((fold) => materializeFold(X, y, fold));
    const result = await crossValidate(spec.estimator, X, y, {
      cv: nJobs === 1 ? (foldData as FoldData[]) : folds,
      scoring: ["neg_root_mean_squared_error", "neg_mean_absolute_percentage_error"],
      returnTrainScore: true,
      nJobs,
      onFold: () => options.onProgress?.(++done, total, spec.name),
    });
    const train = result.train as Record<string, number[]>;
    const json = spec.estimator.toJSON();
    const row: ModelComparisonRow = {
      name: spec.name,
      kind: json.kind,
      params: json.params,
      testRmse: -mean(result.test.neg_root_mean_squared_error as number[]),
      testMape: -mean(result.test.neg_mean_absolute_percentage_error as number[]),
      trainRmse: -mean(train.neg_root_mean_squared_error as number[]),
      trainMape: -mean(train.neg_mean_absolute_percentage_error as number[]),
      fitTime: mean(result.fitTime),
      scoreTime: mean(result.scoreTime),
      wallTime: (performance.now() - start) / 1000,
      startedAt,
      cv: result,
    };
    rows.push(row);
    if (options.onModelDone !== undefined) {
      let model = spec.estimator;
      if (options.refit === true) {
        model = spec.estimator.clone();
        if (hasFitAsync(model)) await model.fitAsync(X, y);
        else model.fit(X, y);
      }
      await options.onModelDone(spec.name, model, row);
    }
  }
  let best = rows[0] as ModelComparisonRow;
  for (const r of rows) if (r.testRmse < best.testRmse) best = r;
  return { rows, best: best.name };
}
