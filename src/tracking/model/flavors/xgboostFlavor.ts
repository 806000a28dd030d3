/**
 * MLflow's `xgboost` flavor (`mlflow/xgboost/__init__.py`): the booster in XGBoost's own model
 * format, `MLmodel` fields `data`, `model_class`, `model_format`, `xgb_version`, and a
 * `python_function` loaded by `mlflow.xgboost`, so MLflow's Python client can
 * `mlflow.xgboost.load_model` and `mlflow.pyfunc.load_model` it. Reading goes the other way:
 * a model real MLflow logged with this flavor (JSON or UBJSON file) becomes a saved estimator
 * of kind {@link XGBOOST_MODEL_KIND} for the caller's loader.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { modelFilePath, readModelJson } from "../modelFiles";
import { join } from "node:path";
import { MlflowError } from "../../errors";
import { decodeUbjson } from "../../../util/ubjson";
import type { YamlValue } from "../../yaml";
import type { InputTable, ModelSignature } from "../signature";
import type { FlavorConfig, ModelFlavor } from "./modelFlavor";

/** The flavor's name in `MLmodel`. */
export const XGBOOST_FLAVOR = "xgboost";
/** The `kind` of the saved estimator {@link readXGBoostFlavor} returns: `state` is XGBoost's JSON model. */
export const XGBOOST_MODEL_KIND = "XGBoostModel";
const MODEL_FILE = "model.json";

/** What the `xgboost` flavor is written from. */
export interface XGBoostFlavorSource {
  /** The booster in XGBoost's JSON model format (`Booster.save_model("model.json")`). */
  readonly modelJson: string;
  /** The xgboost version whose format the file follows and that loads it, e.g. "1.7.4". */
  readonly xgbVersion: string;
  /**
   * The booster's input when it is not the model's own input: with a preprocessor, the
   * preprocessed features (named as the booster's `feature_names`, all double).
   */
  readonly input?: { readonly signature: ModelSignature; readonly example?: InputTable };
}

/** MLflow's `xgboost` flavor for a booster, with `python_function` loaded by `mlflow.xgboost`. */
export function xgboostFlavor(source: XGBoostFlavorSource): ModelFlavor {
  return {
    name: XGBOOST_FLAVOR,
    write(dir: string): FlavorConfig {
      writeFileSync(join(dir, MODEL_FILE), source.modelJson);
      return { code: null, data: MODEL_FILE, model_class: "xgboost.core.Booster", model_format: "json", xgb_version: source.xgbVersion };
    },
    pyfunc: {
      loaderModule: "mlflow.xgboost",
      data: MODEL_FILE,
      pipRequirements: [`xgboost==${source.xgbVersion}`],
      ...(source.input === undefined ? {} : { input: source.input }),
    },
  };
}

/**
 * Reads the booster of a model folder's `xgboost` flavor (`model_format` json or ubj; the old
 * binary `xgb` format is refused with a clear error) as XGBoost's JSON model.
 */
export function readXGBoostFlavor(dir: string, config: { [key: string]: YamlValue }): { kind: string; params: { model_format: string }; state: object } {
  const format = String(config.model_format ?? "xgb");
  const name = String(config.data ?? `model.${format}`);
  const file = join(dir, name);
  let state: unknown;
  if (format === "json") {
    // Inside the folder only, and a parse error names the file, never its content.
    state = readModelJson(dir, name);
  } else if (format === "ubj") {
    const path = modelFilePath(dir, name);
    try {
      state = decodeUbjson(readFileSync(path), file);
    } catch (err) {
      throw MlflowError.invalidParameterValue(`Cannot read the xgboost model ${file}: ${err instanceof Error ? err.message : String(err)}`);
    }
  } else {
    throw MlflowError.invalidParameterValue(
      `The xgboost model ${file} has model_format '${format}'; only 'json' and 'ubj' are read (log it with mlflow.xgboost.log_model(..., model_format="json")).`,
    );
  }
  if (state === null || typeof state !== "object" || Array.isArray(state)) {
    throw MlflowError.invalidParameterValue(`The xgboost model ${file} is not an XGBoost model (no JSON object).`);
  }
  return { kind: XGBOOST_MODEL_KIND, params: { model_format: format }, state };
}
