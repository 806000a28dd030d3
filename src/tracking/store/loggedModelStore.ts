/**
 * What MLflow 3 added to the tracking store (`AbstractStore`): logged models as entities
 * of an experiment, a run's outputs (the models it produced) and inputs (datasets, as in
 * MLflow 2.x, and models). Every tracking backend implements it: the FileStore in MLflow
 * 3's layout, the SQL store in MLflow's tables, the REST store over the server's API.
 */
import type {
  DatasetInput,
  LoggedModel,
  LoggedModelParam,
  LoggedModelStatus,
  LoggedModelTag,
  ModelInput,
  ModelOutput,
  PagedList,
} from "../entities";

/** Arguments of {@link LoggedModelStore.createLoggedModel}. */
export interface CreateLoggedModelRequest {
  readonly experimentId: string;
  /** Default: a generated name such as "bright-owl-123". No `/ : . % " '`. */
  readonly name?: string | null;
  readonly modelType?: string | null;
  /** The run that produces the model. */
  readonly sourceRunId?: string | null;
  readonly params?: readonly LoggedModelParam[];
  readonly tags?: readonly LoggedModelTag[];
}

/** Restricts metric filters (and metric ordering) to metrics computed on a dataset. */
export interface LoggedModelDatasetFilter {
  readonly datasetName: string;
  readonly datasetDigest?: string | null;
}

/** One ordering clause of {@link LoggedModelStore.searchLoggedModels}. */
export interface LoggedModelOrderBy {
  /** An attribute (`name`, `creation_timestamp`, ...) or `metrics.<key>`. */
  readonly fieldName: string;
  /** Default true. */
  readonly ascending?: boolean;
  /** For a metric: only values on this dataset count. */
  readonly datasetName?: string | null;
  readonly datasetDigest?: string | null;
}

/** Options of {@link LoggedModelStore.searchLoggedModels}. */
export interface SearchLoggedModelsOptions {
  readonly experimentIds: readonly string[];
  /** e.g. `name = 'model' AND metrics.rmse < 50000 AND params.eta = '0.1'`. */
  readonly filterString?: string | null;
  readonly datasets?: readonly LoggedModelDatasetFilter[] | null;
  /** Default 100 (the store's default; the REST API's is 50). */
  readonly maxResults?: number | null;
  readonly orderBy?: readonly LoggedModelOrderBy[] | null;
  readonly pageToken?: string | null;
}

/** Logged models, run outputs and run inputs. */
export interface LoggedModelStore {
  /** Creates a PENDING logged model in an active experiment (INVALID_STATE otherwise). */
  createLoggedModel(request: CreateLoggedModelRequest): Promise<LoggedModel>;
  /** RESOURCE_DOES_NOT_EXIST for unknown or deleted models. */
  getLoggedModel(modelId: string): Promise<LoggedModel>;
  /** Sets the status to READY or FAILED. */
  finalizeLoggedModel(modelId: string, status: LoggedModelStatus): Promise<LoggedModel>;
  /** Sets (or overwrites) tags. */
  setLoggedModelTags(modelId: string, tags: readonly LoggedModelTag[]): Promise<void>;
  /** RESOURCE_DOES_NOT_EXIST when the model has no such tag. */
  deleteLoggedModelTag(modelId: string, key: string): Promise<void>;
  /** Adds params to a model. */
  logLoggedModelParams(modelId: string, params: readonly LoggedModelParam[]): Promise<void>;
  /** Marks a model deleted: it is no longer found or searched. */
  deleteLoggedModel(modelId: string): Promise<void>;
  /** One page of the live models of some experiments matching a filter. */
  searchLoggedModels(options: SearchLoggedModelsOptions): Promise<PagedList<LoggedModel>>;
  /** Records that a run produced these models (at a step). */
  logOutputs(runId: string, models: readonly ModelOutput[]): Promise<void>;
  /** Records datasets (with their input tags) and models that a run used; a dataset already logged to the run is kept once. */
  logInputs(runId: string, datasets: readonly DatasetInput[], models?: readonly ModelInput[]): Promise<void>;
}

/**
 * A store whose logged models, inputs and outputs live in a helper object (the FileStore's
 * and the SQL store's keep them in their own modules): every method is forwarded to it.
 */
export abstract class LoggedModelStoreDelegate implements LoggedModelStore {
  /** The object that does the work. */
  protected abstract readonly loggedModels: LoggedModelStore;

  createLoggedModel(request: CreateLoggedModelRequest): Promise<LoggedModel> {
    return this.loggedModels.createLoggedModel(request);
  }

  getLoggedModel(modelId: string): Promise<LoggedModel> {
    return this.loggedModels.getLoggedModel(modelId);
  }

  finalizeLoggedModel(modelId: string, status: LoggedModelStatus): Promise<LoggedModel> {
    return this.loggedModels.finalizeLoggedModel(modelId, status);
  }

  setLoggedModelTags(modelId: string, tags: readonly LoggedModelTag[]): Promise<void> {
    return this.loggedModels.setLoggedModelTags(modelId, tags);
  }

  deleteLoggedModelTag(modelId: string, key: string): Promise<void> {
    return this.loggedModels.deleteLoggedModelTag(modelId, key);
  }

  logLoggedModelParams(modelId: string, params: readonly LoggedModelParam[]): Promise<void> {
    return this.loggedModels.logLoggedModelParams(modelId, params);
  }

  deleteLoggedModel(modelId: string): Promise<void> {
    return this.loggedModels.deleteLoggedModel(modelId);
  }

  searchLoggedModels(options: SearchLoggedModelsOptions): Promise<PagedList<LoggedModel>> {
    return this.loggedModels.searchLoggedModels(options);
  }

  logOutputs(runId: string, models: readonly ModelOutput[]): Promise<void> {
    return this.loggedModels.logOutputs(runId, models);
  }

  logInputs(runId: string, datasets: readonly DatasetInput[], models: readonly ModelInput[] = []): Promise<void> {
    return this.loggedModels.logInputs(runId, datasets, models);
  }
}
