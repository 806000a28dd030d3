/**
 * mlflow-demo-ts: the public API. Data flows one way:
 * data -> preprocess -> models -> evaluation -> tuning; tracking is entered through callbacks
 * (integration), and the case study's two experiments sit on top.
 */
export { ValueError, NotFittedError, DataError } from "./errors";
export { MissingDependencyError } from "./util/optionalDependency";
export { Random } from "./util/random";
export type { Matrix } from "./util/matrix";
export { decodeUbjson } from "./util/ubjson";
export type { UbjsonValue } from "./util/ubjson";
export { matrix, fromRows, fromColumns, row, column, takeRows, takeValues, toRows } from "./util/matrix";
export * from "./data";
export * from "./preprocess";
export * from "./models";
export * from "./evaluation";
export * from "./tracking";
export * from "./tuning";
export * from "./onnx";
export * from "./integration";
export * from "./experiments";
export { RestStore, RestClient, MlflowRestError, MlflowArtifactsRepository, registerRestStores, chunkBatch } from "./tracking-rest";
export * from "./display";
