/**
 * Runs an exported ONNX model with onnxruntime-web's WebAssembly backend (in Node, no native
 * binary): the independent runtime our tests check the export against, and what `serve`
 * predicts with when it serves ONNX.
 */
import type { InferenceSession, Tensor } from "onnxruntime-web";
import { ValueError } from "../errors";
import { declaredPeerVersion, MissingDependencyError, requireOptional } from "../util/optionalDependency";

/** A value of an input row. */
export type OnnxInputValue = number | string | boolean | null;

/** A loaded ONNX model. */
export interface OnnxPredictor {
  /** The graph inputs: name and "number" (double) or "text" (string). */
  readonly inputs: ReadonlyArray<{ readonly name: string; readonly kind: "number" | "text" }>;
  /** One prediction per row of a table in pandas "split" orientation (extra columns ignored). */
  predict(table: { readonly columns: readonly string[]; readonly data: ReadonlyArray<readonly OnnxInputValue[]> }): Promise<Float64Array>;
  /** Frees the session. */
  close(): Promise<void>;
}

type Ort = typeof import("onnxruntime-web");
let ortModule: Ort | null = null;

function ort(): Ort {
  if (ortModule === null) {
    ortModule = requireOptional<Ort>("onnxruntime-web", "Running an ONNX model (loadOnnxPredictor, serve --flavor onnx)");
    // One thread: no worker threads to leave behind, and predictable on a shared machine.
    ortModule.env.wasm.numThreads = 1;
  }
  return ortModule;
}

/**
 * The version of onnxruntime that runs the models here (its WebAssembly build, same core as the
 * Python wheel); when onnxruntime-web is not installed, the lowest version this library declares
 * for it (what a logged model's requirements then name).
 */
export function onnxRuntimeVersion(): string {
  let runtime: Ort;
  try {
    runtime = ort();
  } catch (err) {
    if (!(err instanceof MissingDependencyError)) throw err;
    return declaredPeerVersion("onnxruntime-web") ?? "unknown";
  }
  return runtime.env.versions.web ?? runtime.env.versions.common;
}

function column(table: Parameters<OnnxPredictor["predict"]>[0], name: string, kind: "number" | "text"): Tensor {
  const j = table.columns.indexOf(name);
  if (j < 0) throw new ValueError(`ONNX model input "${name}" is missing from the columns [${table.columns.join(", ")}]`);
  const rows = table.data.length;
  const { Tensor } = ort();
  if (kind === "number") {
    const values = new Float64Array(rows);
    table.data.forEach((row, i) => {
      const v = row[j] ?? null;
      if (v !== null && typeof v !== "number" && typeof v !== "boolean") {
        throw new ValueError(`ONNX model input "${name}": row ${i} has ${JSON.stringify(v)}, a number is needed`);
      }
      values[i] = v === null ? NaN : Number(v);
    });
    return new Tensor("float64", values, [rows]);
  }
  const values = table.data.map((row, i) => {
    const v = row[j] ?? null;
    if (v !== null && typeof v !== "string") throw new ValueError(`ONNX model input "${name}": row ${i} has ${JSON.stringify(v)}, text is needed`);
    return v ?? "";
  });
  return new Tensor("string", values, [rows]);
}

function kindOf(session: InferenceSession, name: string): "number" | "text" {
  const meta = session.inputMetadata.find((m) => m.name === name);
  const type = meta !== undefined && meta.isTensor ? meta.type : "unknown";
  if (type === "string") return "text";
  if (type === "float64") return "number";
  throw new ValueError(`ONNX model input "${name}" has type ${type}; only double and string inputs are fed`);
}

/** Loads an ONNX model (bytes of a `.onnx` file) for prediction; its first output is the prediction. */
export async function loadOnnxPredictor(bytes: Uint8Array): Promise<OnnxPredictor> {
  const session = await ort().InferenceSession.create(bytes);
  const inputs = session.inputNames.map((name) => ({ name, kind: kindOf(session, name) }));
  const output = session.outputNames[0] as string;
  return {
    inputs,
    async predict(table) {
      const feeds: Record<string, Tensor> = {};
      for (const { name, kind } of inputs) feeds[name] = column(table, name, kind);
      const result = await session.run(feeds);
      return Float64Array.from((result[output] as Tensor).data as Float32Array);
    },
    close: () => session.release(),
  };
}
