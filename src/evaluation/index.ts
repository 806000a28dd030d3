/** Metrics, cross-validation splitters, `crossValidate` and the model comparison of the simple trainer (issue 4). */
export { mse, rmse, mae, mape, r2, FLOAT64_EPSILON } from "./metrics";
export { getScorer, SCORING_NAMES } from "./scoring";
export type { Scorer } from "./scoring";
export { KFold, RepeatedKFold, foldsFromOrder } from "./kFold";
export type { Fold, Splitter, KFoldOptions, RepeatedKFoldOptions } from "./kFold";
export { trainTestSplit } from "../data/split";
export { crossValidate } from "./crossValidate";
export type { CrossValidateOptions, CrossValidateResult } from "./crossValidate";
export type { FoldOutcome, FoldData } from "./foldRunner";
export { materializeFold } from "./foldRunner";
export { compareModels } from "./compareModels";
export type { ModelSpec, ModelComparisonRow, CompareModelsOptions, ModelComparison } from "./compareModels";
export { runSimpleTrainer, simpleTrainerModels, SIMPLE_TRAINER_SEED, SIMPLE_TRAINER_EXPERIMENT } from "./simpleTrainer";
export type { SimpleTrainerOptions, SimpleTrainerResult, SimpleTrainerModelFigures } from "./simpleTrainer";
export { addCrossValidateListener } from "./listeners";
export type { CrossValidateListener } from "./listeners";
