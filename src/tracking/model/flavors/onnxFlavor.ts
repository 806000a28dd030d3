/**
 * MLflow's `onnx` flavor (`mlflow/onnx/__init__.py`): `model.onnx`, `MLmodel` fields `data`,
 * `onnx_version`, `providers`, and a `python_function` loaded by `mlflow.onnx` (which feeds
 * each DataFrame column to the graph input of the same name and needs onnxruntime).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { FlavorConfig, ModelFlavor } from "./modelFlavor";

/** The flavor's name in `MLmodel`. */
export const ONNX_FLAVOR = "onnx";
const MODEL_FILE = "model.onnx";

/** What the `onnx` flavor is written from. */
export interface OnnxFlavorSource {
  /** The serialised ONNX `ModelProto`. */
  readonly bytes: Uint8Array;
  /** The onnx version whose checker accepts the file, e.g. "1.12.0". */
  readonly onnxVersion: string;
  /** The pip requirements of a Python environment that runs it (onnx, onnxruntime). */
  readonly pipRequirements: readonly string[];
}

/** MLflow's `onnx` flavor; its `python_function` takes the model's own input (raw columns). */
export function onnxFlavor(source: OnnxFlavorSource): ModelFlavor {
  return {
    name: ONNX_FLAVOR,
    write(dir: string): FlavorConfig {
      writeFileSync(join(dir, MODEL_FILE), source.bytes);
      return {
        code: null,
        data: MODEL_FILE,
        onnx_session_options: null,
        onnx_version: source.onnxVersion,
        providers: ["CUDAExecutionProvider", "CPUExecutionProvider"],
      };
    },
    pyfunc: { loaderModule: "mlflow.onnx", data: MODEL_FILE, pipRequirements: source.pipRequirements },
  };
}
