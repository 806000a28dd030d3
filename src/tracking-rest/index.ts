/**
 * The REST store: MLflow's REST API 2.0 as a tracking and registry store, with the
 * `mlflow-artifacts` proxy repository. Importing this barrel registers the `http(s)` scheme.
 */
import { registerRestStores } from "./register";

registerRestStores();

export { RestStore, chunkBatch, API_PREFIX } from "./restStore";
export type { BatchChunk } from "./restStore";
export { RestClient, MlflowRestError } from "./restClient";
export type { RestClientOptions, QueryValue } from "./restClient";
export { MlflowArtifactsRepository, ARTIFACTS_PREFIX, resolveMlflowArtifactsUri } from "./mlflowArtifactsRepository";
export { registerRestStores } from "./register";
