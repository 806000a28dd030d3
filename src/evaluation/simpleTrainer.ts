import { KNeighborsRegressor } from "../models/kNeighbors";
import { LinearSVR } from "../models/linearSvr";
import { RandomForestRegressor } from "../models/randomForest";
import { Ridge } from "../models/ridge";
import { prepareOlx, type PreparedOlx } from "../preprocess/prepareOlx";
import { compareModels, type CompareModelsOptions, type ModelComparison, type ModelSpec } from "./compareModels";

/** The original Python project's random seed for the split and the preprocessing (`SEED = 111`). */
export const SIMPLE_TRAINER_SEED = 111;

/** The experiment the original Python project logs to. */
export const SIMPLE_TRAINER_EXPERIMENT = "godel_cozy_ds-simple_trainer";

/**
 * The original Python project's four models with scikit-learn's defaults, and how each uses the cores: the forest
 * grows its trees on all cores, k-NN runs folds on all cores, Ridge and LinearSVR are too quick
 * for worker start-up to pay off.
 */
export function simpleTrainerModels(seed = 0): ModelSpec[] {
  return [
    { name: "Ridge", estimator: new Ridge(), nJobs: 1 },
    { name: "RandomForest", estimator: new RandomForestRegressor({ seed, nJobs: -1 }), nJobs: 1 },
    { name: "LinearSVR", estimator: new LinearSVR({ seed }), nJobs: 1 },
    { name: "KNN", estimator: new KNeighborsRegressor(), nJobs: -1 },
  ];
}

/** One model's figures in the trainer's JSON (positive errors, mean over folds). */
export interface SimpleTrainerModelFigures {
  test_rmse: number;
  test_mape: number;
  train_rmse: number;
  train_mape: number;
  /** Mean seconds per fold spent fitting. */
  fit_s: number;
}

/** The trainer's result, as its `--json` line. */
export interface SimpleTrainerResult {
  models: Record<string, SimpleTrainerModelFigures>;
  best: string;
  wall_s: number;
}

/** Options of {@link runSimpleTrainer}. */
export interface SimpleTrainerOptions extends Pick<CompareModelsOptions, "onModelDone" | "onProgress" | "refit"> {
  /** The OLX CSV (default: as `prepareOlx`). */
  csv?: string;
  /** Seed of split and preprocessing (default 111, the original Python project's). */
  seed?: number;
  /** Folds (default 5). */
  cv?: number;
  /** The models (default {@link simpleTrainerModels}). */
  models?: ModelSpec[];
  /** Already prepared data (then `csv` and `seed` are not used). */
  data?: PreparedOlx;
}

/**
 * The original Python project's `simple_trainer.py`: preprocess, 80/20 split, 5-fold cross-validation of the
 * four models on the training part, best model by mean test RMSE.
 */
export async function runSimpleTrainer(options: SimpleTrainerOptions = {}): Promise<{ result: SimpleTrainerResult; comparison: ModelComparison; data: PreparedOlx }> {
  const start = performance.now();
  const seed = options.seed ?? SIMPLE_TRAINER_SEED;
  const data = options.data ?? prepareOlx({ csv: options.csv, seed });
  const comparison = await compareModels(options.models ?? simpleTrainerModels(), data.XTrain, data.yTrain, {
    cv: options.cv ?? 5,
    onModelDone: options.onModelDone,
    onProgress: options.onProgress,
    refit: options.refit,
  });
  const models: Record<string, SimpleTrainerModelFigures> = {};
  for (const r of comparison.rows) {
    models[r.name] = { test_rmse: r.testRmse, test_mape: r.testMape, train_rmse: r.trainRmse, train_mape: r.trainMape, fit_s: r.fitTime };
  }
  const result = { models, best: comparison.best, wall_s: (performance.now() - start) / 1000 };
  return { result, comparison, data };
}
