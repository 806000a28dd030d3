/**
 * The names of MLflow's `mlruns/` layout (as in MLflow's `file_store.py`), and the
 * conversion between a store root and its `file://` URI.
 */
import { existsSync, statSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { MlflowError } from "../errors";

/** Every metadata file's name. */
export const META_DATA_FILE_NAME = "meta.yaml";
/** Where deleted experiments go. */
export const TRASH_FOLDER_NAME = ".trash";
/** The registry's folder under the root; in an experiment, its logged models (MLflow 3). */
export const MODELS_FOLDER_NAME = "models";
/** A run's metric files, one per key (`a/b` nests). */
export const METRICS_FOLDER_NAME = "metrics";
/** A run's param files. */
export const PARAMS_FOLDER_NAME = "params";
/** Tag files of a run, an experiment, a registered model or a version. */
export const TAGS_FOLDER_NAME = "tags";
/** A run's artifact root. */
export const ARTIFACTS_FOLDER_NAME = "artifacts";
/** An experiment's logged datasets. */
export const DATASETS_FOLDER_NAME = "datasets";
/** A run's dataset (and model) inputs. */
export const INPUTS_FOLDER_NAME = "inputs";
/** Folders inside an experiment that are not runs (MLflow 3 adds `models/` for logged models and `traces/`). */
export const RESERVED_EXPERIMENT_FOLDERS: ReadonlySet<string> = new Set([TAGS_FOLDER_NAME, DATASETS_FOLDER_NAME, MODELS_FOLDER_NAME, "traces"]);
/** Experiment 0, created with every store. */
export const DEFAULT_EXPERIMENT_ID = "0";
/** Experiment 0's name. */
export const DEFAULT_EXPERIMENT_NAME = "Default";
/** `source_type` of a run's meta.yaml: 4 is LOCAL. */
export const SOURCE_TYPE_LOCAL = 4;

/** The local directory of a `file:` URI or a plain path (relative paths resolve against the cwd). */
export function localPathOfUri(uri: string): string {
  if (uri.startsWith("file:")) {
    if (uri.startsWith("file://")) return fileURLToPath(uri);
    // "file:./mlruns" or "file:mlruns": a relative path after the scheme.
    return resolve(uri.slice("file:".length));
  }
  if (/^[a-zA-Z][\w+.-]+:/.test(uri)) {
    throw MlflowError.invalidParameterValue(`'${uri}' is not a file URI or a local path.`);
  }
  return isAbsolute(uri) ? uri : resolve(uri);
}

/** `file:///abs/path` for a local directory, as MLflow's `path_to_local_file_uri`. */
export function fileUriOfPath(path: string): string {
  return pathToFileURL(resolve(path)).href;
}

/**
 * True when `dir` holds an MLflow FileStore: MLflow and this library create `.trash/` and
 * experiment 0 (`0/meta.yaml`) when they open a new store, so a store has one or the other.
 */
export function isFileStoreRoot(dir: string): boolean {
  const trash = statSync(join(dir, TRASH_FOLDER_NAME), { throwIfNoEntry: false });
  return trash?.isDirectory() === true || existsSync(join(dir, DEFAULT_EXPERIMENT_ID, META_DATA_FILE_NAME));
}

/** Throws RESOURCE_DOES_NOT_EXIST unless `dir` holds a FileStore, saying what is there instead. */
export function requireFileStoreRoot(dir: string): void {
  if (isFileStoreRoot(dir)) return;
  const what = statSync(dir, { throwIfNoEntry: false });
  const reason =
    what === undefined ? "the folder does not exist" : !what.isDirectory() ? "it is not a folder" : `it has neither ${TRASH_FOLDER_NAME}/ nor ${DEFAULT_EXPERIMENT_ID}/${META_DATA_FILE_NAME}`;
  throw MlflowError.notFound(`No MLflow store at ${dir}: ${reason} (nothing was written there).`);
}
