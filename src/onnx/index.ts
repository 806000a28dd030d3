/** The fitted pipeline as ONNX, and onnxruntime-web to run it. */
export { exportOnnx, ONNX_OUTPUT, ONNX_FORMAT_VERSION } from "./exportOnnx";
export type { JsonEstimator, OnnxExport, OnnxInput, OnnxPipeline } from "./exportOnnx";
export { ONNX_MODEL_KINDS } from "./modelGraph";
export type { ColumnKind } from "./preprocessGraph";
export { loadOnnxPredictor, onnxRuntimeVersion } from "./runtime";
export type { OnnxInputValue, OnnxPredictor } from "./runtime";
