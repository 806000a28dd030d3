/**
 * Builds one ONNX graph node by node and encodes it as a `ModelProto` with protobufjs.
 * Values are named by the builder (`name_1`, `name_2`, ...), inputs and outputs by the caller.
 */
import { modelProtoType, ATTR, ELEM, type ElemType } from "./schema";

/** An attribute value, tagged with its ONNX type. */
export type AttributeValue =
  | { readonly int: number }
  | { readonly ints: readonly number[] }
  | { readonly float: number }
  | { readonly floats: ArrayLike<number> }
  | { readonly string: string }
  | { readonly strings: readonly string[] }
  | { readonly doubles: ArrayLike<number> };

/** One dimension: a fixed size or a symbolic name such as "N". */
export type Dim = number | string;

interface ValueInfo {
  name: string;
  type: { tensor_type: { elem_type: number; shape: { dim: Array<{ dim_value?: number; dim_param?: string }> } } };
}

const utf8 = new TextEncoder();

function valueInfo(name: string, elem: ElemType, shape: readonly Dim[]): ValueInfo {
  return {
    name,
    type: { tensor_type: { elem_type: elem, shape: { dim: shape.map((d) => (typeof d === "number" ? { dim_value: d } : { dim_param: d })) } } },
  };
}

function attribute(name: string, v: AttributeValue): object {
  if ("int" in v) return { name, type: ATTR.INT, i: v.int };
  if ("ints" in v) return { name, type: ATTR.INTS, ints: [...v.ints] };
  if ("float" in v) return { name, type: ATTR.FLOAT, f: v.float };
  if ("floats" in v) return { name, type: ATTR.FLOATS, floats: Array.from(v.floats) };
  if ("string" in v) return { name, type: ATTR.STRING, s: utf8.encode(v.string) };
  if ("strings" in v) return { name, type: ATTR.STRINGS, strings: v.strings.map((s) => utf8.encode(s)) };
  return { name, type: ATTR.TENSOR, t: { dims: [v.doubles.length], data_type: ELEM.DOUBLE, double_data: Array.from(v.doubles) } };
}

/** What the encoded model says about itself. */
export interface ModelMeta {
  readonly producerVersion: string;
  readonly docString: string;
  readonly metadata: Readonly<Record<string, string>>;
}

/** An ONNX graph under construction (opsets: ai.onnx 17 and ai.onnx.ml 3, IR version 8). */
export class GraphBuilder {
  private readonly nodes: object[] = [];
  private readonly initializers: object[] = [];
  private readonly inputs: ValueInfo[] = [];
  private readonly outputs: ValueInfo[] = [];
  private counter = 0;

  /** A fresh value name. */
  fresh(hint: string): string {
    return `${hint}_${++this.counter}`;
  }

  /** Declares a graph input. */
  input(name: string, elem: ElemType, shape: readonly Dim[]): string {
    this.inputs.push(valueInfo(name, elem, shape));
    return name;
  }

  /**
   * Declares `value` as the graph output called `name`, renaming the node output (no Identity
   * node: onnx 1.12's checker cannot infer the type of some ai.onnx.ml outputs it would copy).
   */
  output(value: string, name: string, elem: ElemType, shape: readonly Dim[]): void {
    for (const node of this.nodes as Array<{ input: string[]; output: string[] }>) {
      node.input = node.input.map((v) => (v === value ? name : v));
      node.output = node.output.map((v) => (v === value ? name : v));
    }
    this.outputs.push(valueInfo(name, elem, shape));
  }

  /** A constant tensor (an initializer); `dims` defaults to a vector. */
  constant(hint: string, elem: typeof ELEM.DOUBLE | typeof ELEM.INT64 | typeof ELEM.FLOAT, values: ArrayLike<number>, dims: readonly number[] = [values.length]): string {
    const name = this.fresh(hint);
    const data = Array.from(values);
    const field = elem === ELEM.DOUBLE ? "double_data" : elem === ELEM.INT64 ? "int64_data" : "float_data";
    this.initializers.push({ name, dims: [...dims], data_type: elem, [field]: data });
    return name;
  }

  /** Adds a node; resolves to its (first) output's name. */
  node(op: string, inputs: readonly string[], attributes: Readonly<Record<string, AttributeValue>> = {}, domain = ""): string {
    const out = this.fresh(op.toLowerCase());
    this.nodes.push({
      op_type: op,
      domain,
      name: out,
      input: [...inputs],
      output: [out],
      attribute: Object.entries(attributes).map(([k, v]) => attribute(k, v)),
    });
    return out;
  }

  /** Adds a node of the `ai.onnx.ml` domain. */
  mlNode(op: string, inputs: readonly string[], attributes: Readonly<Record<string, AttributeValue>>): string {
    return this.node(op, inputs, attributes, "ai.onnx.ml");
  }

  /** The model as ONNX protobuf bytes. */
  encode(graphName: string, meta: ModelMeta): Uint8Array {
    const type = modelProtoType();
    const model = {
      ir_version: 8,
      producer_name: "mlflow-demo-ts",
      producer_version: meta.producerVersion,
      domain: "mlflow_demo_ts",
      model_version: 1,
      doc_string: meta.docString,
      opset_import: [{ domain: "", version: 17 }, { domain: "ai.onnx.ml", version: 3 }],
      metadata_props: Object.entries(meta.metadata).map(([key, value]) => ({ key, value })),
      graph: { name: graphName, node: this.nodes, initializer: this.initializers, input: this.inputs, output: this.outputs },
    };
    const problem = type.verify(model);
    if (problem !== null) throw new Error(`ONNX export: the model does not fit ONNX's schema: ${problem}`);
    return type.encode(type.fromObject(model)).finish();
  }
}
