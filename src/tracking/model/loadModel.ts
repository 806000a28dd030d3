/**
 * `loadModel`: resolves `models:/<model_id>` (an MLflow 3 logged model), `runs:/<id>/<path>`,
 * `models:/<name>/<version>`, `models:/<name>/<stage>`, `models:/<name>/latest` or
 * `models:/<name>@<alias>` to the model files, and rebuilds the model and preprocessor with
 * a loader the caller supplies. Model files are data: loading parses JSON and never executes
 * code from them.
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { MlflowError } from "../errors";
import { makeOwnedTempDir } from "../../util/orphanFiles";
import { MlflowClient } from "../client";
import { getClient } from "../fluent";
import { getArtifactRepository } from "../artifacts/artifactRepository";
import { matrix, type Matrix } from "../../util/matrix";
import { modelIdOfUri } from "../loggedModelRules";
import type { LoggedModel } from "../entities";
import { readSavedEstimators, type ModelInfo, type SavedEstimatorJSON } from "./mlmodel";
import { enforceSignature, recordsToTable, type InputTable, type InputValue, type ModelSignature } from "./signature";

/** A rebuilt estimator: a model has `predict`, a preprocessor has `transform`. */
export interface LoadedEstimator {
  predict?(input: never): ArrayLike<number>;
  transform?(input: never): unknown;
}

/** Options of {@link loadModel}. */
export interface LoadModelOptions {
  /**
   * Rebuilds an estimator from its saved JSON (e.g. a switch over `json.kind` calling
   * each class's `fromJSON`). Called for the model and for the preprocessor.
   */
  readonly fromJSON: (json: SavedEstimatorJSON) => LoadedEstimator;
  /** Resolve URIs with this client (default: the fluent API's tracking URI). */
  readonly client?: MlflowClient;
}

/** A loaded model: checks input against the signature, applies the preprocessor, predicts. */
export interface LoadedModel {
  readonly info: ModelInfo;
  readonly signature: ModelSignature | null;
  /**
   * Predicts one value per row. Input: a table (pandas split orientation) or row objects.
   * With a preprocessor, it receives the checked table and its output goes to the model;
   * without one, the model receives the table's columns as a numeric matrix.
   */
  predict(input: InputTable | ReadonlyArray<Readonly<Record<string, InputValue>>>): Float64Array;
}

/**
 * The logged model MLflow 3 means by `runs:/<run>/<name>` when the run has no artifacts at
 * that path: the run's model of that name, the one output at the latest step when several.
 */
async function runLoggedModel(client: MlflowClient, runId: string, name: string): Promise<LoggedModel | null> {
  const run = await client.getRun(runId);
  const steps = new Map((run.outputs?.modelOutputs ?? []).map((o) => [o.modelId, o.step]));
  const found: LoggedModel[] = [];
  let pageToken: string | null = null;
  do {
    const page: Awaited<ReturnType<MlflowClient["searchLoggedModels"]>> = await client.searchLoggedModels({
      experimentIds: [run.info.experimentId],
      filterString: `name = '${name.replace(/'/g, "")}'`,
      pageToken,
    });
    found.push(...page.items.filter((m) => m.sourceRunId === runId));
    pageToken = page.nextPageToken;
  } while (pageToken !== null);
  return found.reduce<LoggedModel | null>((best, m) => (best === null || (steps.get(m.modelId) ?? 0) > (steps.get(best.modelId) ?? 0) ? m : best), null);
}

/** Where the files of a model URI are (an artifact URI). */
export async function resolveModelUri(uri: string, client: MlflowClient): Promise<string> {
  const modelId = modelIdOfUri(uri);
  if (modelId !== null) return (await client.getLoggedModel(modelId)).artifactLocation;
  const runs = /^runs:\/([^/]+)\/(.+)$/.exec(uri);
  if (runs !== null) {
    const runId = runs[1] as string;
    const path = (runs[2] as string).replace(/^\/+|\/+$/g, "");
    const run = await client.getRun(runId);
    const location = `${run.info.artifactUri.replace(/\/+$/, "")}/${path}`;
    // MLflow 3 keeps a run's models outside its artifacts, as logged models named by the path.
    if ((run.outputs?.modelOutputs.length ?? 0) > 0 && !(await client.listArtifacts(runId, path)).some((f) => f.path.endsWith("MLmodel"))) {
      const logged = await runLoggedModel(client, runId, path);
      if (logged !== null) return logged.artifactLocation;
    }
    return location;
  }
  const alias = /^models:\/([^/@]+)@([^/]+)$/.exec(uri);
  if (alias !== null) {
    const version = await client.getModelVersionByAlias(alias[1] as string, alias[2] as string);
    return client.getModelVersionDownloadUri(version.name, version.version);
  }
  const models = /^models:\/([^/@]+)\/([^/]+)$/.exec(uri);
  if (models !== null) {
    const name = models[1] as string;
    const which = models[2] as string;
    if (/^\d+$/.test(which)) return client.getModelVersionDownloadUri(name, which);
    const versions =
      which.toLowerCase() === "latest" ? await client.getLatestVersions(name) : await client.getLatestVersions(name, [which]);
    if (versions.length === 0) throw MlflowError.notFound(`No versions of model '${name}' found for '${which}' (URI ${uri}).`);
    const latest = versions.reduce((a, b) => (Number(b.version) > Number(a.version) ? b : a));
    return client.getModelVersionDownloadUri(latest.name, latest.version);
  }
  if (/^(runs|models):/.test(uri)) {
    throw MlflowError.invalidParameterValue(
      `Invalid model URI '${uri}'. Use models:/<model_id>, runs:/<run_id>/<path>, models:/<name>/<version|stage|latest> or models:/<name>@<alias>.`,
    );
  }
  return uri;
}

function toMatrix(table: InputTable): Matrix {
  const rows = table.data.length;
  const cols = table.columns.length;
  const out = matrix(rows, cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const v = (table.data[i] as readonly InputValue[])[j];
      if (typeof v !== "number" && v !== null) {
        throw MlflowError.invalidParameterValue(
          `Column '${table.columns[j]}' holds ${typeof v} values; a model without a preprocessor needs numbers.`,
        );
      }
      out.data[i * cols + j] = v === null ? NaN : v;
    }
  }
  return out;
}

/**
 * Downloads the model folder of `uri` into a temporary directory, reads it with `read`, and
 * removes the directory again.
 */
export async function readDownloadedModel<T>(uri: string, client: MlflowClient, read: (dir: string) => T): Promise<T> {
  const location = await resolveModelUri(uri, client);
  const tmp = makeOwnedTempDir("mlflow-load-");
  try {
    return read(await getArtifactRepository(location).downloadArtifacts("", join(tmp, "model")));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Loads a model logged by {@link logModel}; see {@link LoadedModel}. */
export async function loadModel(uri: string, options: LoadModelOptions): Promise<LoadedModel> {
  const saved = await readDownloadedModel(uri, options.client ?? getClient(), readSavedEstimators);
  const model = options.fromJSON(saved.model);
  if (typeof model.predict !== "function") {
    throw MlflowError.invalidParameterValue(`fromJSON returned no predict() for model kind '${saved.model.kind}'.`);
  }
  const pre = saved.preprocessor === null ? null : options.fromJSON(saved.preprocessor);
  if (pre !== null && typeof pre.transform !== "function") {
    throw MlflowError.invalidParameterValue(`fromJSON returned no transform() for preprocessor kind '${saved.preprocessor?.kind}'.`);
  }
  const signature = saved.info.signature;
  const predict = model.predict.bind(model) as (x: unknown) => ArrayLike<number>;
  const transform = pre === null ? null : ((pre.transform as (x: unknown) => unknown).bind(pre));
  return {
    info: saved.info,
    signature,
    predict(input) {
      let table: InputTable = Array.isArray(input)
        ? recordsToTable(input as ReadonlyArray<Readonly<Record<string, InputValue>>>)
        : (input as InputTable);
      if (signature !== null) table = enforceSignature(table, signature);
      const features = transform === null ? toMatrix(table) : transform(table);
      return Float64Array.from(predict(features));
    },
  };
}
