/**
 * Registering a version from a logged model, as MLflow 3's server does on
 * `model-versions/create`: a `models:/m-<id>` source is stored with the logged model's
 * artifact location as its storage location (what `get-download-uri` answers) and the
 * model's source run as its run; with a `model_id`, the version is recorded on the model's
 * `mlflow.modelVersions` tag. The server runs it, and the client runs it for local stores.
 */
import { MlflowError } from "./errors";
import type { ModelVersion } from "./entities";
import { addModelVersionToTag, modelIdOfUri, MODEL_VERSIONS_TAG } from "./loggedModelRules";
import type { CreateModelVersionRequest, RegistryStore } from "./store/registryStore";
import type { TrackingStore } from "./store/trackingStore";

/** Creates the version, resolving a logged-model source and linking the model to it. */
export async function createLinkedModelVersion(tracking: TrackingStore, registry: RegistryStore, request: CreateModelVersionRequest): Promise<ModelVersion> {
  let storageLocation = request.storageLocation ?? null;
  let runId = request.runId || null;
  const sourceModelId = modelIdOfUri(request.source);
  if (sourceModelId !== null) {
    try {
      const model = await tracking.getLoggedModel(sourceModelId);
      storageLocation = model.artifactLocation;
      runId = runId ?? model.sourceRunId ?? null;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      throw new MlflowError(`Unable to fetch model from model URI source artifact location '${request.source}'.Error: ${message}`, "INTERNAL_ERROR");
    }
  }
  const modelId = request.modelId || null;
  if (modelId !== null && runId === null) runId = (await tracking.getLoggedModel(modelId)).sourceRunId || null;
  const version = await registry.createModelVersion({ ...request, runId, modelId, storageLocation });
  if (modelId !== null) {
    const model = await tracking.getLoggedModel(modelId);
    const existing = model.tags.find((t) => t.key === MODEL_VERSIONS_TAG)?.value;
    await tracking.setLoggedModelTags(modelId, [{ key: MODEL_VERSIONS_TAG, value: addModelVersionToTag(existing, version.name, version.version) }]);
  }
  return version;
}
