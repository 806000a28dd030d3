/**
 * Flavors other than ours in a model folder (MLflow's `xgboost`, `onnx`, ...): what a flavor
 * writes and whether it offers MLflow's `python_function`. `saveModel` writes them next to ours.
 */
import type { YamlValue } from "../../yaml";
import type { InputTable, ModelSignature } from "../signature";

/** A flavor's `MLmodel` configuration (the mapping under `flavors.<name>`). */
export type FlavorConfig = { [key: string]: YamlValue };

/** MLflow's `python_function` entry offered by a flavor: what `mlflow.pyfunc.load_model` uses. */
export interface PyfuncEntry {
  /** The Python module whose `_load_pyfunc` loads the model, e.g. `mlflow.xgboost`. */
  readonly loaderModule: string;
  /** The model file the loader reads, relative to the model folder. */
  readonly data: string;
  /** The pip requirements of an environment that loads it (`requirements.txt`), e.g. `xgboost==1.7.4`. */
  readonly pipRequirements: readonly string[];
  /**
   * The input the Python model predicts from, when it is not the input of our flavor: the
   * `xgboost` flavor's booster takes the preprocessed features, not the raw columns.
   * `MLmodel`'s signature and input example then describe this input (MLflow enforces them on
   * `pyfunc` input) and our flavor keeps its own.
   */
  readonly input?: { readonly signature: ModelSignature; readonly example?: InputTable };
}

/** One more flavor to write into a model folder. */
export interface ModelFlavor {
  /** The flavor's name in `MLmodel`, e.g. `xgboost`. */
  readonly name: string;
  /** Writes the flavor's files into the model folder `dir`; returns its configuration. */
  write(dir: string): FlavorConfig;
  /** Set when the flavor offers MLflow's `python_function`. */
  readonly pyfunc?: PyfuncEntry;
}
