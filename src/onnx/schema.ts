/**
 * ONNX's protobuf types, parsed once from {@link ONNX_ML_PROTO} with protobufjs. protobufjs is
 * loaded on the first export, not when the library is imported (it is a fifth of the import's time).
 */
import type protobuf from "protobufjs";
import { ONNX_ML_PROTO } from "./onnxMlProto";

let root: protobuf.Root | null = null;

function onnxRoot(): protobuf.Root {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  root ??= (require("protobufjs") as typeof protobuf).parse(ONNX_ML_PROTO, { keepCase: true }).root;
  return root;
}

/** `onnx.ModelProto`: encodes and decodes whole models. */
export function modelProtoType(): protobuf.Type {
  return onnxRoot().lookupType("onnx.ModelProto");
}

/** ONNX's tensor element types (`TensorProto.DataType`) that the export uses. */
export const ELEM = { FLOAT: 1, STRING: 8, INT64: 7, DOUBLE: 11 } as const;

/** One of {@link ELEM}'s values. */
export type ElemType = (typeof ELEM)[keyof typeof ELEM];

/** `AttributeProto.AttributeType` values. */
export const ATTR = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7, STRINGS: 8 } as const;
