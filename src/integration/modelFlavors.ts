/**
 * The flavors this library's models are logged with next to ours: a fitted `XGBRegressor` gets
 * MLflow's `xgboost` flavor (its `python_function` predicts from the preprocessed features), and
 * with `onnx: true` the whole pipeline is written as ONNX (MLflow's `onnx` flavor, raw columns).
 * Importing this module registers the provider with tracking's `logModel`.
 */
import { ValueError } from "../errors";
import { XGBRegressor } from "../models/boosting/xgbRegressor";
import { XGBOOST_FORMAT_VERSION, xgboostJsonText } from "../models/boosting/xgboostJson";
import type { EstimatorJSON } from "../models/base";
import { exportOnnx, ONNX_FORMAT_VERSION } from "../onnx/exportOnnx";
import { onnxRuntimeVersion } from "../onnx/runtime";
import type { ModelFlavor, PyfuncEntry } from "../tracking/model/flavors/modelFlavor";
import { registerModelFlavorProvider, type FlavorRequest } from "../tracking/model/flavors/registry";
import { onnxFlavor } from "../tracking/model/flavors/onnxFlavor";
import { xgboostFlavor } from "../tracking/model/flavors/xgboostFlavor";
import type { SerializableEstimator } from "../tracking/model/mlmodel";
import type { InputValue } from "../tracking/model/signature";
import type { Matrix } from "../util/matrix";
import { estimatorFromJSON } from "./modelLoader";

/** The names of the signature's columns when they name every feature, else null. */
function signatureNames(request: FlavorRequest, count: number): string[] | null {
  const names = request.signature?.inputs.map((c) => c.name);
  return names !== undefined && names.length === count && names.every((n): n is string => n !== undefined) ? names : null;
}

/**
 * The booster's features and the input its `python_function` takes: with a preprocessor, the
 * preprocessed features (named as the preprocessor names them, all double; the example rows
 * are the raw example transformed); without one, the model's own input.
 */
function boosterInput(numFeature: number, request: FlavorRequest): { featureNames: string[] | null; input?: PyfuncEntry["input"] } {
  const pre = request.preprocessor;
  if (pre === undefined) return { featureNames: signatureNames(request, numFeature) };
  const namer = pre as Partial<{ getFeatureNamesOut(): string[] }>;
  if (typeof namer.getFeatureNamesOut !== "function") throw new ValueError("logModel: the preprocessor has no getFeatureNamesOut(); the xgboost flavor names its features with it");
  const featureNames = namer.getFeatureNamesOut();
  const signature = { inputs: featureNames.map((name) => ({ type: "double" as const, name })), outputs: [{ type: "float" as const }] };
  if (request.inputExample === undefined) return { featureNames, input: { signature } };
  const transform = estimatorFromJSON(pre.toJSON()).transform as (t: unknown) => Matrix;
  const X = transform(request.inputExample);
  const data: InputValue[][] = [];
  for (let i = 0; i < X.rows; i++) data.push(Array.from(X.data.subarray(i * X.cols, (i + 1) * X.cols)));
  return { featureNames, input: { signature, example: { columns: featureNames, data } } };
}

function xgboostFlavorOf(model: XGBRegressor, request: FlavorRequest): ModelFlavor {
  const booster = model.predictionBooster();
  const { featureNames, input } = boosterInput(booster.numFeature, request);
  return xgboostFlavor({ modelJson: xgboostJsonText(booster, featureNames ?? booster.featureNames), xgbVersion: XGBOOST_FORMAT_VERSION, input });
}

function onnxFlavorOf(model: SerializableEstimator, request: FlavorRequest): ModelFlavor {
  const json = model.toJSON() as EstimatorJSON;
  const pre = request.preprocessor?.toJSON() as EstimatorJSON | undefined;
  const names = pre === undefined ? signatureNames(request, (request.signature?.inputs ?? []).length) : null;
  const exported = exportOnnx({ model: json, preprocessor: pre, ...(names === null ? {} : { featureNames: names }) });
  return onnxFlavor({
    bytes: exported.bytes,
    onnxVersion: ONNX_FORMAT_VERSION,
    pipRequirements: [`onnx==${ONNX_FORMAT_VERSION}`, `onnxruntime==${onnxRuntimeVersion()}`],
  });
}

/** The extra flavors of one of this library's models (the provider registered with `logModel`). */
export function libraryModelFlavors(model: SerializableEstimator, request: FlavorRequest): ModelFlavor[] {
  const flavors: ModelFlavor[] = [];
  if (model instanceof XGBRegressor && model.booster_ !== null) flavors.push(xgboostFlavorOf(model, request));
  if (request.onnx === true) flavors.push(onnxFlavorOf(model, request));
  return flavors;
}

registerModelFlavorProvider(libraryModelFlavors);
