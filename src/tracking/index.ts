/**
 * Tracking: MLflow's fluent API, client, stores (FileStore, registry) and model format.
 * Imports no ML code; estimators enter through `toJSON()` and loader callbacks.
 */
export { MlflowError } from "./errors";
export type { MlflowErrorCode } from "./errors";
export type {
  Dataset,
  DatasetInput,
  Experiment,
  ExperimentTag,
  FileInfo,
  InputTag,
  LifecycleStage,
  LoggedModel,
  LoggedModelParam,
  LoggedModelStatus,
  LoggedModelTag,
  Metric,
  ModelInput,
  ModelOutput,
  ModelVersion,
  ModelVersionStage,
  ModelVersionTag,
  PagedList,
  Param,
  RegisteredModel,
  RegisteredModelAlias,
  RegisteredModelTag,
  Run,
  RunData,
  RunInfo,
  RunInputs,
  RunOutputs,
  RunStatus,
  RunTag,
  ViewType,
} from "./entities";
export { EMPTY_RUN_INPUTS, EMPTY_RUN_OUTPUTS, RUN_STATUS_CODES, metricsToRecord, tagsToRecord } from "./entities";
export type {
  CreateLoggedModelRequest,
  LoggedModelDatasetFilter,
  LoggedModelOrderBy,
  LoggedModelStore,
  SearchLoggedModelsOptions,
} from "./store/loggedModelStore";
export { filterLoggedModels, parseLoggedModelFilter, searchLoggedModelList, sortLoggedModels } from "./loggedModelSearch";
export type { LoggedModelComparison, LoggedModelEntity } from "./loggedModelSearch";
export {
  LOGGED_MODEL_STATUS_CODES,
  MODEL_VERSIONS_TAG,
  loggedModelArtifactLocation,
  modelIdOfUri,
  newLoggedModelId,
  validateLoggedModelName,
} from "./loggedModelRules";
export { createLinkedModelVersion } from "./modelVersionLink";
export { validateDatasetInputs } from "./datasetRules";
export type {
  CreateRunRequest,
  LogBatchRequest,
  SearchExperimentsOptions,
  SearchRunsOptions,
  TrackingStore,
  UpdateRunRequest,
} from "./store/trackingStore";
export type { CreateModelVersionRequest, RegistryStore, SearchRegistryOptions } from "./store/registryStore";
export { FileStore, latestMetric, parseMetricLines } from "./store/fileStore";
export { FileRegistryStore } from "./store/fileRegistryStore";
export { openStores, registerStoreScheme, resolveTrackingUri } from "./store/storeRegistry";
export type { OpenStoresOptions } from "./store/storeRegistry";
export type { StoreFactory, Stores } from "./store/storeRegistry";
export {
  LocalArtifactRepository,
  getArtifactRepository,
  registerArtifactRepository,
} from "./artifacts/artifactRepository";
export type { ArtifactRepository, ArtifactRepositoryFactory } from "./artifacts/artifactRepository";
export { S3ArtifactRepository } from "./artifacts/s3ArtifactRepository";
export type { S3ArtifactRepositoryOptions } from "./artifacts/s3ArtifactRepository";
export { S3ObjectStore, S3_PART_SIZE } from "./artifacts/s3ObjectStore";
export type { S3Listing, S3ObjectEntry, S3ObjectStoreOptions } from "./artifacts/s3ObjectStore";
export { S3ArtifactError, describeS3Error } from "./artifacts/s3Errors";
export type { S3ErrorContext, S3FailureKind } from "./artifacts/s3Errors";
export { s3SettingsFromEnv } from "./artifacts/s3Settings";
export type { S3Settings } from "./artifacts/s3Settings";
export type { S3UploadExtraArgs } from "./artifacts/s3UploadArgs";
export { parseS3Uri } from "./artifacts/s3Location";
export type { S3Location } from "./artifacts/s3Location";
export { MlflowClient } from "./client";
export type {
  ClientSearchRunsOptions,
  CreateLoggedModelOptions,
  CreateModelVersionOptions,
  CreateRunOptions,
  LogInputOptions,
  LogMetricOptions,
} from "./client";
export {
  activeRun,
  deleteTag,
  endRun,
  getArtifactUri,
  getClient,
  getTrackingUri,
  lastActiveRunId,
  logInBackground,
  logArtifact,
  logArtifacts,
  logDict,
  logInput,
  logMetric,
  logMetrics,
  logParam,
  logParams,
  logText,
  searchRuns,
  setExperiment,
  setTag,
  setTags,
  setTrackingUri,
  startRun,
  withRun,
} from "./fluent";
export type { FluentMetricOptions, FluentSearchRunsOptions, StartRunOptions } from "./fluent";
export { DATASET_CONTEXT_TAG, parseFilter, parseOrderBy, filterRuns, sortRuns } from "./search";
export type { Comparator, FilterClause, OrderByClause } from "./search";
export { MLFLOW_TAGS, defaultRunTags } from "./systemTags";
export { generateRunName } from "./runNames";
export { dumpYaml, loadYaml } from "./yaml";
export type { YamlValue } from "./yaml";
export { formatPythonFloat } from "./pythonRepr";
export { inferSignature, recordsToTable } from "./model/signature";
export type { ColSpec, ColumnType, InputTable, InputValue, ModelSignature } from "./model/signature";
export { FLAVOR_NAME, MLFLOW3_FORMAT_VERSION, MLFLOW_FORMAT_VERSION, readModelInfo, saveModel } from "./model/mlmodel";
export type { ModelInfo, SavedEstimatorJSON, SaveModelOptions, SerializableEstimator } from "./model/mlmodel";
export { logModel, logModelToRun, registerModel } from "./model/logModel";
export type { LogModelOptions, LogModelResult } from "./model/logModel";
export { chooseModelLogFormat } from "./model/modelLogFormat";
export type { ModelLogFormat } from "./model/modelLogFormat";
export { loadModel, readDownloadedModel, resolveModelUri } from "./model/loadModel";
export type { LoadedEstimator, LoadedModel, LoadModelOptions } from "./model/loadModel";
export { registerModelFlavorProvider } from "./model/flavors/registry";
export type { FlavorRequest, ModelFlavorProvider } from "./model/flavors/registry";
export type { FlavorConfig, ModelFlavor, PyfuncEntry } from "./model/flavors/modelFlavor";
export { xgboostFlavor, readXGBoostFlavor, XGBOOST_FLAVOR, XGBOOST_MODEL_KIND } from "./model/flavors/xgboostFlavor";
export type { XGBoostFlavorSource } from "./model/flavors/xgboostFlavor";
export { onnxFlavor, ONNX_FLAVOR } from "./model/flavors/onnxFlavor";
export type { OnnxFlavorSource } from "./model/flavors/onnxFlavor";
export { autolog, autologActive, autologCrossValidate, autologFit, cvMetrics, flattenParams, registerAutologIntegration } from "./autolog";
export type { AutologCvResult, AutologEstimator, AutologOptions } from "./autolog";
