/**
 * Optuna-style hyper-parameter tuning: studies, trials, samplers (random, grid, TPE, CMA-ES, GP),
 * pruners, in-memory and Optuna-compatible RDB storages, and plotly visualisations.
 */
export type { TrialState as TrialStateName, StudyDirection } from "./state";
export { TrialState, isFinished } from "./state";
export { TrialPruned, DuplicatedStudyError, KeyError, StorageInternalError, UpdateFinishedTrialError } from "./errors";
export type { JsonValue } from "./json";
export type { CategoricalChoice, ParamValue, FloatOptions, IntOptions, Distribution } from "./distributions";
export {
  FloatDistribution,
  IntDistribution,
  CategoricalDistribution,
  distributionToJson,
  jsonToDistribution,
  checkDistributionCompatibility,
  distributionRepr,
  pythonFloatRepr,
} from "./distributions";
export type { FrozenTrial } from "./frozenTrial";
export type { CreateTrialOptions } from "./frozenTrial";
export { lastStep, durationSeconds, createTrial } from "./frozenTrial";
export type { StudyView, TrialFilter } from "./studyView";
export { Trial } from "./trial";
export type { CreateStudyOptions, LoadStudyOptions, EnqueueOptions, StudyCallback, OptimizeOptions } from "./study";
export type { SamplerFactory, ExistingTrials } from "./resume";
export { resumeSeed } from "./resume";
export { Study, createStudy, loadStudy, deleteStudy, STUDY_TELL_WARNING_KEY } from "./study";
export type { Objective, ErrorClass, LoopCallback, LoopOptions, OptimizableStudy } from "./optimize";
export type { TrialHost } from "./trialHost";
export type { TrialsRow } from "./dataframe";
export { trialsDataFrame } from "./dataframe";
export type { Sampler, SearchSpace } from "./samplers/base";
export type { RandomSamplerOptions } from "./samplers/random";
export { RandomSampler } from "./samplers/random";
export type { GridSamplerOptions } from "./samplers/grid";
export { GridSampler } from "./samplers/grid";
export type { TPESamplerOptions } from "./samplers/tpe/sampler";
export { TPESampler, defaultGamma, defaultWeights, hyperoptDefaultGamma } from "./samplers/tpe/sampler";
export type { CmaEsSamplerOptions } from "./samplers/cmaes/sampler";
export { CmaEsSampler } from "./samplers/cmaes/sampler";
export type { GPSamplerOptions } from "./samplers/gp/sampler";
export { GPSampler } from "./samplers/gp/sampler";
export type { SamplerName } from "./samplers/byName";
export { SAMPLER_NAMES, createSampler, isSamplerName } from "./samplers/byName";
export type { Pruner } from "./pruners/base";
export { NopPruner } from "./pruners/nop";
export type { PercentilePrunerOptions } from "./pruners/percentile";
export { PercentilePruner } from "./pruners/percentile";
export { MedianPruner } from "./pruners/median";
export type { SuccessiveHalvingOptions } from "./pruners/successiveHalving";
export { SuccessiveHalvingPruner } from "./pruners/successiveHalving";
export type { HyperbandOptions } from "./pruners/hyperband";
export { HyperbandPruner } from "./pruners/hyperband";
export type { ThresholdPrunerOptions } from "./pruners/threshold";
export { ThresholdPruner } from "./pruners/threshold";
export type { Storage, StudySummary, GetTrialsOptions, FailedTrialCallback } from "./storages/base";
export { InMemoryStorage } from "./storages/inMemory";
export type { RDBStorageOptions } from "./storages/rdb/storage";
export { RDBStorage } from "./storages/rdb/storage";
export type { SqlDriver, Row as SqlRow, SqlValue, RunResult as SqlRunResult } from "./storages/rdb/driver";
export type { SqliteDriverOptions } from "./storages/rdb/sqliteDriver";
export { SqliteDriver } from "./storages/rdb/sqliteDriver";
export { PostgresDriver } from "./storages/rdb/postgresDriver";
export type { PostgresPool, PostgresPoolClient, PostgresQueryable } from "./storages/rdb/postgresDriver";
export { MissingDependencyError } from "../util/optionalDependency";
export { getStorage } from "./storages/factory";
export { failStaleTrials } from "./storages/heartbeat";
export type { HeartbeatStudy } from "./storages/heartbeat";
export { WORKER_PROCESS_KEY } from "./storages/workerProcess";
export type { WorkerProcess } from "./storages/workerProcess";
export type { PlotlyFigure, PlotlyTrace, TargetOptions } from "./visualization/figure";
export { titledAxis, titleText } from "./visualization/figure";
export { plotOptimizationHistory } from "./visualization/optimizationHistory";
export { plotIntermediateValues } from "./visualization/intermediateValues";
export type { IntermediateValuesOptions } from "./visualization/intermediateValues";
export { plotParallelCoordinate } from "./visualization/parallelCoordinate";
export { plotSlice } from "./visualization/slice";
export { plotContour } from "./visualization/contour";
export { plotParamImportances } from "./visualization/paramImportances";
export { plotEdf } from "./visualization/edf";
export type { ImportanceOptions } from "./importance/pedAnova";
export { getParamImportances } from "./importance/pedAnova";
