/**
 * Loading a model as ONNX for serving: a `.onnx` file, or a logged model's `onnx` flavor, or
 * (when it has none) its saved pipeline exported on the fly. Predictions come from
 * onnxruntime-web, not from our TypeScript models.
 */
import { existsSync, readFileSync } from "node:fs";
import type { EstimatorJSON } from "../models/base";
import { exportOnnx } from "../onnx/exportOnnx";
import { loadOnnxPredictor } from "../onnx/runtime";
import type { MlflowClient } from "../tracking/client";
import { getClient } from "../tracking/fluent";
import { ONNX_FLAVOR } from "../tracking/model/flavors/onnxFlavor";
import { readDownloadedModel } from "../tracking/model/loadModel";
import { readModelInfo, readSavedEstimators } from "../tracking/model/mlmodel";
import { modelFilePath } from "../tracking/model/modelFiles";
import { enforceSignature, recordsToTable, type InputTable, type InputValue, type ModelSignature } from "../tracking/model/signature";
import type { YamlValue } from "../tracking/yaml";

/** A model that predicts through onnxruntime; the shape `startScoringServer` serves. */
export interface OnnxLoadedModel {
  /** The raw-column signature of the logged model (null for a bare `.onnx` file). */
  readonly signature: ModelSignature | null;
  /** Where the ONNX graph came from: "file", "onnx flavor" or "exported from mlflow_demo_ts". */
  readonly source: string;
  predict(input: InputTable | ReadonlyArray<Readonly<Record<string, InputValue>>>): Promise<Float64Array>;
  close(): Promise<void>;
}

/** The ONNX bytes of a downloaded model folder, and its signature. */
function onnxOfFolder(dir: string): { bytes: Uint8Array; signature: ModelSignature | null; source: string } {
  const info = readModelInfo(dir);
  const flavor = info.flavors[ONNX_FLAVOR] as { [key: string]: YamlValue } | undefined;
  if (flavor !== undefined) return { bytes: readFileSync(modelFilePath(dir, String(flavor.data ?? "model.onnx"))), signature: info.signature, source: "onnx flavor" };
  const saved = readSavedEstimators(dir);
  const names = saved.info.signature?.inputs.map((c) => c.name ?? "");
  const exported = exportOnnx({
    model: saved.model as EstimatorJSON,
    ...(saved.preprocessor === null ? (names !== undefined && names.every((n) => n !== "") ? { featureNames: names } : {}) : { preprocessor: saved.preprocessor as EstimatorJSON }),
  });
  return { bytes: exported.bytes, signature: info.signature, source: "exported from mlflow_demo_ts" };
}

/**
 * Loads `uri` (a `.onnx` file, `runs:/...` or `models:/...`) as ONNX: the model's `onnx`
 * flavor when it has one, else its pipeline exported now. Input is checked against the
 * model's signature, then fed to onnxruntime column by column.
 */
export async function loadOnnxModel(uri: string, client?: MlflowClient): Promise<OnnxLoadedModel> {
  const found = uri.endsWith(".onnx") && existsSync(uri)
    ? { bytes: readFileSync(uri), signature: null, source: "file" }
    : await readDownloadedModel(uri, client ?? getClient(), onnxOfFolder);
  const predictor = await loadOnnxPredictor(found.bytes);
  const { signature, source } = found;
  return {
    signature,
    source,
    predict(input) {
      let table: InputTable = Array.isArray(input) ? recordsToTable(input as ReadonlyArray<Readonly<Record<string, InputValue>>>) : (input as InputTable);
      if (signature !== null) table = enforceSignature(table, signature);
      return predictor.predict(table);
    },
    close: () => predictor.close(),
  };
}

/** The bytes of `uri`'s model as ONNX (its `onnx` flavor, else its pipeline exported now). */
export async function modelAsOnnx(uri: string, client?: MlflowClient): Promise<{ bytes: Uint8Array; source: string }> {
  const { bytes, source } = await readDownloadedModel(uri, client ?? getClient(), onnxOfFolder);
  return { bytes, source };
}
