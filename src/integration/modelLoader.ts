import { Frame } from "../data/frame";
import { ColumnTransformer } from "../preprocess/columnTransformer";
import { transformerFromJSON } from "../preprocess/registry";
import { regressorFromJSON } from "../models/registry";
import type { EstimatorJSON } from "../models/base";
import { fromXGBoostJSON } from "../models/boosting/xgboostJson";
import { XGBOOST_MODEL_KIND } from "../tracking/model/flavors/xgboostFlavor";
import { loadModel, type LoadedEstimator, type LoadedModel } from "../tracking/model/loadModel";
import type { MlflowClient } from "../tracking/client";
import type { InputTable } from "../tracking/model/signature";
import type { SavedEstimatorJSON } from "../tracking/model/mlmodel";
import { fromColumns, type Matrix } from "../util/matrix";
import { tableToFrame } from "./tables";

const PREPROCESSOR_KINDS = new Set(["Pipeline", "SimpleImputer", "OneHotEncoder", "IterativeImputer", "StandardScaler"]);

/** A frame transformer's all-numeric output as the model's input matrix. */
function frameToMatrix(frame: Frame): Matrix {
  return fromColumns(frame.columnNames.map((name) => frame.numeric(name)), frame.nRows);
}

/**
 * Rebuilds a saved estimator of this library from its JSON, for {@link loadModel}: the
 * preprocessor takes a serving table and hands the model a matrix; a booster MLflow's Python
 * logged (`xgboost` flavor, XGBoost's JSON model) predicts as XGBoost does. Only known kinds
 * load; nothing in a model file is executed.
 */
export function estimatorFromJSON(json: SavedEstimatorJSON): LoadedEstimator {
  const saved = json as unknown as EstimatorJSON;
  if (saved.kind === XGBOOST_MODEL_KIND) {
    const booster = fromXGBoostJSON(saved.state);
    return { predict: (X: Matrix): Float64Array => Float64Array.from(booster.predict(X)) };
  }
  if (saved.kind === "ColumnTransformer") {
    const pre = ColumnTransformer.fromJSON(saved);
    return { transform: (table: InputTable): Matrix => pre.transform(tableToFrame(table)) };
  }
  if (PREPROCESSOR_KINDS.has(saved.kind)) {
    const pre = transformerFromJSON(saved);
    return { transform: (table: InputTable): Matrix => frameToMatrix(pre.transform(tableToFrame(table))) };
  }
  const model = regressorFromJSON(saved);
  return { predict: (X: Matrix): Float64Array => model.predict(X) };
}

/**
 * Loads a model logged by this library: `runs:/<id>/<path>`, `models:/<name>/<version>`
 * or `models:/<name>@<alias>`. The predictor checks input against the signature, applies the
 * logged preprocessor and predicts.
 */
export function loadLibraryModel(uri: string, client?: MlflowClient): Promise<LoadedModel> {
  return loadModel(uri, { fromJSON: estimatorFromJSON, client });
}
