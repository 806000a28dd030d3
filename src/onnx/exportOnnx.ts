/**
 * `exportOnnx`: the whole fitted pipeline (preprocessor and model) as one ONNX graph, one
 * graph input per raw column named as the column (double or string, shape [N]) and one
 * output `variable` (float [N, 1]), with ONNX's `ai.onnx.ml` operators for encoding, trees
 * and linear models. Encoded with protobufjs from ONNX's own schema.
 */
import { ValueError } from "../errors";
import type { EstimatorJSON } from "../models/base";
import { getLibraryVersion } from "../tracking/model/mlmodel";
import { GraphBuilder } from "./graphBuilder";
import { modelGraph } from "./modelGraph";
import { preprocessorGraph, preprocessorInputs, type ColumnKind } from "./preprocessGraph";
import { ELEM } from "./schema";

/** Something saved as `{kind, params, state}`: every estimator and transformer of the library. */
export interface JsonEstimator {
  toJSON(): EstimatorJSON;
}

/** What {@link exportOnnx} converts. */
export interface OnnxPipeline {
  /** The fitted regressor (XGBRegressor, DecisionTreeRegressor, RandomForestRegressor, Ridge, LinearSVR), or its saved JSON. */
  readonly model: JsonEstimator | EstimatorJSON;
  /** The fitted ColumnTransformer whose output the model takes, or its saved JSON. */
  readonly preprocessor?: JsonEstimator | EstimatorJSON;
  /** Without a preprocessor: the names of the model's feature columns (default f0, f1, ...). */
  readonly featureNames?: readonly string[];
}

/** One graph input: a raw column. */
export interface OnnxInput {
  readonly name: string;
  /** "number": double [N] (NaN is missing); "text": string [N] ("" is missing). */
  readonly kind: ColumnKind;
}

/** The exported model. */
export interface OnnxExport {
  /** The `ModelProto` bytes (a `.onnx` file). */
  readonly bytes: Uint8Array;
  readonly inputs: readonly OnnxInput[];
  /** The output's name: float [N, 1]. */
  readonly output: string;
  /** The features the model takes, as the preprocessor names them. */
  readonly featureNames: readonly string[];
}

/** The graph output's name (as skl2onnx names a regressor's). */
export const ONNX_OUTPUT = "variable";
/** The onnx release whose schema and opsets the export follows (IR 8, ai.onnx 17, ai.onnx.ml 3). */
export const ONNX_FORMAT_VERSION = "1.12.0";

function asJson(x: JsonEstimator | EstimatorJSON): EstimatorJSON {
  return typeof (x as JsonEstimator).toJSON === "function" ? (x as JsonEstimator).toJSON() : (x as EstimatorJSON);
}

function featureCount(json: EstimatorJSON): number {
  const s = json.state as { numFeature?: number; nFeatures?: number; coef?: number[] } | null;
  const n = s?.numFeature ?? s?.nFeatures ?? s?.coef?.length;
  if (n === undefined) throw new ValueError(`ONNX export: cannot tell how many features the ${json.kind} takes (is it fitted?)`);
  return n;
}

/** Exports the fitted pipeline as ONNX; throws `ValueError` naming what has no conversion. */
export function exportOnnx(pipeline: OnnxPipeline): OnnxExport {
  const model = asJson(pipeline.model);
  const pre = pipeline.preprocessor === undefined ? null : asJson(pipeline.preprocessor);
  const g = new GraphBuilder();
  let inputs: OnnxInput[];
  let features: { value: string; featureNames: string[] };
  if (pre !== null) {
    inputs = preprocessorInputs(pre);
    const values = new Map(inputs.map((i) => [i.name, { kind: i.kind, value: g.input(i.name, i.kind === "number" ? ELEM.DOUBLE : ELEM.STRING, ["N"]) }]));
    features = preprocessorGraph(g, pre, values);
  } else {
    const n = featureCount(model);
    const names = pipeline.featureNames ?? Array.from({ length: n }, (_, j) => `f${j}`);
    if (names.length !== n) throw new ValueError(`ONNX export: ${names.length} feature names for a model of ${n} features`);
    inputs = names.map((name) => ({ name, kind: "number" }));
    const axis = g.constant("axes", ELEM.INT64, [1]);
    const columns = names.map((name) => g.node("Unsqueeze", [g.input(name, ELEM.DOUBLE, ["N"]), axis]));
    features = { value: columns.length === 1 ? (columns[0] as string) : g.node("Concat", columns, { axis: { int: 1 } }), featureNames: [...names] };
  }
  g.output(modelGraph(g, model, features.value), ONNX_OUTPUT, ELEM.FLOAT, ["N", 1]);
  const bytes = g.encode("mlflow_demo_ts_pipeline", {
    producerVersion: getLibraryVersion(),
    docString: `${pre === null ? "" : `${pre.kind} then `}${model.kind}, exported by mlflow-demo-ts`,
    metadata: { model_kind: model.kind, feature_names: JSON.stringify(features.featureNames) },
  });
  return { bytes, inputs, output: ONNX_OUTPUT, featureNames: features.featureNames };
}
