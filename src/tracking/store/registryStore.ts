/**
 * The model registry store interface (MLflow's registry `AbstractStore`), implemented
 * by the FileStore (`mlruns/models/`) here and by a REST store later.
 */
import type { ModelVersion, ModelVersionStage, ModelVersionTag, PagedList, RegisteredModel, RegisteredModelTag } from "../entities";

/** Options of the registry searches. */
export interface SearchRegistryOptions {
  /** e.g. `name LIKE 'olx%'`, `tags.team = 'ml'`; for versions also `run_id = '...'`. */
  readonly filterString?: string;
  readonly maxResults?: number;
  /** e.g. `["name ASC"]`, `["last_updated_timestamp DESC"]`. */
  readonly orderBy?: readonly string[];
  readonly pageToken?: string | null;
}

/** Arguments of {@link RegistryStore.createModelVersion}. */
export interface CreateModelVersionRequest {
  readonly name: string;
  /** Where the model files are, e.g. `runs:/<id>/model` resolved to a `file://` URI. */
  readonly source: string;
  readonly runId?: string | null;
  readonly tags?: readonly ModelVersionTag[];
  readonly runLink?: string | null;
  readonly description?: string | null;
  /** MLflow 3: the logged model this version is made from. */
  readonly modelId?: string | null;
  /** Where the files are when `source` is not a location (a `models:/m-...` source); default `source`. */
  readonly storageLocation?: string | null;
}

/** The operations every registry backend provides. */
export interface RegistryStore {
  createRegisteredModel(name: string, tags?: readonly RegisteredModelTag[], description?: string | null): Promise<RegisteredModel>;
  getRegisteredModel(name: string): Promise<RegisteredModel>;
  renameRegisteredModel(name: string, newName: string): Promise<RegisteredModel>;
  updateRegisteredModel(name: string, description: string | null): Promise<RegisteredModel>;
  deleteRegisteredModel(name: string): Promise<void>;
  searchRegisteredModels(options?: SearchRegistryOptions): Promise<PagedList<RegisteredModel>>;
  /** The latest version in each of `stages` (default: every stage). Deprecated in MLflow, still used. */
  getLatestVersions(name: string, stages?: readonly string[]): Promise<ModelVersion[]>;
  setRegisteredModelTag(name: string, tag: RegisteredModelTag): Promise<void>;
  deleteRegisteredModelTag(name: string, key: string): Promise<void>;

  createModelVersion(request: CreateModelVersionRequest): Promise<ModelVersion>;
  getModelVersion(name: string, version: string): Promise<ModelVersion>;
  updateModelVersion(name: string, version: string, description: string | null): Promise<ModelVersion>;
  deleteModelVersion(name: string, version: string): Promise<void>;
  /** Moves a version to `stage`; with `archiveExistingVersions`, other versions in that stage become Archived. */
  transitionModelVersionStage(
    name: string,
    version: string,
    stage: ModelVersionStage | string,
    archiveExistingVersions: boolean,
  ): Promise<ModelVersion>;
  searchModelVersions(options?: SearchRegistryOptions): Promise<PagedList<ModelVersion>>;
  setModelVersionTag(name: string, version: string, tag: ModelVersionTag): Promise<void>;
  deleteModelVersionTag(name: string, version: string, key: string): Promise<void>;
  setRegisteredModelAlias(name: string, alias: string, version: string): Promise<void>;
  deleteRegisteredModelAlias(name: string, alias: string): Promise<void>;
  getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion>;
  /** Where the files of a version are (its `storage_location`, else its `source`). */
  getModelVersionDownloadUri(name: string, version: string): Promise<string>;
}
