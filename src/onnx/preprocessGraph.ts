/**
 * The fitted preprocessor as ONNX nodes, from its saved JSON (the same data `loadModel` reads):
 * ColumnTransformer, Pipeline, SimpleImputer, IterativeImputer, StandardScaler, OneHotEncoder.
 * Numbers stay double all the way, with the same operations in the same order as the
 * TypeScript transformers, so the features come out bit for bit as ours (see docs/decisions.md).
 */
import { ValueError } from "../errors";
import type { EstimatorJSON } from "../models/base";
import { INFREQUENT_LABEL } from "../preprocess/oneHotEncoder";
import type { GraphBuilder } from "./graphBuilder";
import { ELEM } from "./schema";

/** A numeric block: `names.length` columns of one double tensor [N, width]. */
interface NumberBlock {
  readonly kind: "number";
  readonly names: readonly string[];
  readonly value: string;
}

/**
 * A text column: a string tensor [N] where "" is a missing value, and the substitutions
 * earlier imputers asked for (folded into the encoder's lookup table, since ONNX has no
 * string operator that passes unknown strings through).
 */
interface TextColumn {
  readonly kind: "text";
  readonly names: readonly [string];
  readonly value: string;
  readonly substitute: ReadonlyMap<string, string>;
}

type Block = NumberBlock | TextColumn;

/** Input column kinds: "number" (a double input) or "text" (a string input). */
export type ColumnKind = "number" | "text";

const PREPROCESSOR_KINDS = ["ColumnTransformer", "Pipeline", "SimpleImputer", "IterativeImputer", "StandardScaler", "OneHotEncoder"];

function unsupported(kind: string): never {
  throw new ValueError(`ONNX export: the transformer kind "${kind}" has no ONNX conversion (supported: ${PREPROCESSOR_KINDS.join(", ")})`);
}

interface ColumnTransformerJSON {
  readonly params: { readonly parts: ReadonlyArray<readonly [string, EstimatorJSON, readonly string[]]> };
  readonly state: { readonly featureNamesOut: readonly string[] } | null;
}

function state<S>(json: EstimatorJSON): S {
  if (json.state === null) throw new ValueError(`ONNX export: the ${json.kind} is not fitted`);
  return json.state as S;
}

/** What kind of values a transformer takes in each of its input columns. */
function inputKinds(json: EstimatorJSON, columns: readonly string[]): ColumnKind[] {
  switch (json.kind) {
    case "Pipeline":
      return inputKinds((json.params as { steps: Array<[string, EstimatorJSON]> }).steps[0]?.[1] ?? unsupported("empty Pipeline"), columns);
    case "SimpleImputer": {
      const { statistics } = state<{ statistics: Array<number | string> }>(json);
      return columns.map((_, j) => (typeof statistics[j] === "number" ? "number" : "text"));
    }
    case "IterativeImputer":
    case "StandardScaler":
      return columns.map(() => "number");
    case "OneHotEncoder":
      return columns.map(() => "text");
    default:
      return unsupported(json.kind);
  }
}

/** The graph inputs a saved ColumnTransformer needs: its required columns and their kinds, in order. */
export function preprocessorInputs(json: EstimatorJSON): Array<{ name: string; kind: ColumnKind }> {
  if (json.kind !== "ColumnTransformer") {
    throw new ValueError(`ONNX export: the preprocessor must be a ColumnTransformer (it names its input columns), got "${json.kind}"`);
  }
  const kinds = new Map<string, ColumnKind>();
  for (const [, t, cols] of (json as unknown as ColumnTransformerJSON).params.parts) {
    inputKinds(t, cols).forEach((k, j) => {
      const name = cols[j] as string;
      const seen = kinds.get(name);
      if (seen !== undefined && seen !== k) throw new ValueError(`ONNX export: column "${name}" is used as ${seen} and as ${k}`);
      kinds.set(name, k);
    });
  }
  return [...kinds].map(([name, kind]) => ({ name, kind }));
}

/** The column `name` of `blocks` as one [N,1] double tensor. */
function numberColumn(g: GraphBuilder, blocks: readonly Block[], name: string, who: string): string {
  for (const b of blocks) {
    const k = b.names.indexOf(name);
    if (k < 0) continue;
    if (b.kind === "text") throw new ValueError(`ONNX export: ${who} needs numbers in column "${name}", which holds text`);
    if (b.names.length === 1) return b.value;
    const at = (v: number): string => g.constant("at", ELEM.INT64, [v]);
    return g.node("Slice", [b.value, at(k), at(k + 1), at(1)]);
  }
  throw new ValueError(`ONNX export: ${who} needs column "${name}", which its input lacks`);
}

function textColumn(blocks: readonly Block[], name: string, who: string): TextColumn {
  const b = blocks.find((x) => x.names.includes(name));
  if (b === undefined) throw new ValueError(`ONNX export: ${who} needs column "${name}", which its input lacks`);
  if (b.kind !== "text") throw new ValueError(`ONNX export: ${who} needs text in column "${name}", which holds numbers`);
  return b;
}

function number(g: GraphBuilder, v: number): string {
  return g.constant("c", ELEM.DOUBLE, [v], []);
}

function simpleImputer(g: GraphBuilder, json: EstimatorJSON, input: readonly Block[]): Block[] {
  const { featureNamesIn, statistics } = state<{ featureNamesIn: string[]; statistics: Array<number | string> }>(json);
  return featureNamesIn.map((name, j): Block => {
    const fill = statistics[j] as number | string;
    if (typeof fill === "number") {
      const x = numberColumn(g, input, name, "SimpleImputer");
      return { kind: "number", names: [name], value: g.node("Where", [g.node("IsNaN", [x]), number(g, fill), x]) };
    }
    const col = textColumn(input, name, "SimpleImputer");
    const substitute = new Map([...col.substitute].map(([k, v]) => [k, v === "" ? fill : v]));
    if (!substitute.has("")) substitute.set("", fill);
    return { ...col, substitute };
  });
}

interface IterativeImputerState {
  readonly featureNamesIn: string[];
  readonly initialFill: number[];
  readonly nIter: number;
  readonly sequence: Array<{ feature: number; model: { state: { coef: number[]; intercept: number } } }>;
}

function iterativeImputer(g: GraphBuilder, json: EstimatorJSON, input: readonly Block[]): Block[] {
  const s = state<IterativeImputerState>(json);
  const xs = s.featureNamesIn.map((name) => numberColumn(g, input, name, "IterativeImputer"));
  const missing = xs.map((x) => g.node("IsNaN", [x]));
  const filled = xs.map((x, j) => g.node("Where", [missing[j] as string, number(g, s.initialFill[j] as number), x]));
  if (s.nIter > 0) {
    for (const step of s.sequence) {
      // BayesianRidge.predict's sum, term by term in the same order: intercept + x0*c0 + x1*c1 + ...
      const { coef, intercept } = step.model.state;
      let p = number(g, intercept);
      let a = 0;
      filled.forEach((col, k) => {
        if (k === step.feature) return;
        p = g.node("Add", [p, g.node("Mul", [col, number(g, coef[a++] as number)])]);
      });
      filled[step.feature] = g.node("Where", [missing[step.feature] as string, p, filled[step.feature] as string]);
    }
  }
  return s.featureNamesIn.map((name, j) => ({ kind: "number", names: [name], value: filled[j] as string }));
}

function standardScaler(g: GraphBuilder, json: EstimatorJSON, input: readonly Block[]): Block[] {
  const { featureNamesIn, mean, scale } = state<{ featureNamesIn: string[]; mean: number[]; scale: number[] }>(json);
  const { withMean = true, withStd = true } = json.params as { withMean?: boolean; withStd?: boolean };
  return featureNamesIn.map((name, j) => {
    const x = numberColumn(g, input, name, "StandardScaler");
    const shifted = g.node("Sub", [x, number(g, withMean ? (mean[j] as number) : 0)]);
    return { kind: "number", names: [name], value: g.node("Div", [shifted, number(g, withStd ? (scale[j] as number) : 1)]) };
  });
}

interface EncodedFeature {
  readonly name: string;
  readonly categories: string[];
  readonly infrequent: string[];
  readonly outputs: string[];
}

/**
 * One feature: LabelEncoder maps each string to its output slot (infrequent ones to the
 * infrequent slot, the dropped one and ignored unknowns to slot K, which has no column), then
 * OneHotEncoder over slots 0..K-1 gives the 0/1 columns.
 */
function encodeFeature(g: GraphBuilder, f: EncodedFeature, col: TextColumn, handleUnknown: string): NumberBlock | null {
  const width = f.outputs.length;
  if (width === 0) return null;
  const infrequentSlot = f.outputs.indexOf(INFREQUENT_LABEL);
  const nowhere = width;
  const slotOf = new Map<string, number>();
  for (const c of f.categories) {
    const own = f.outputs.indexOf(c);
    slotOf.set(c, f.infrequent.includes(c) ? (infrequentSlot < 0 ? nowhere : infrequentSlot) : own < 0 ? nowhere : own);
  }
  const unknown = handleUnknown === "infrequent_if_exist" && infrequentSlot >= 0 ? infrequentSlot : nowhere;
  const keys = new Map(slotOf);
  for (const [from, to] of col.substitute) keys.set(from, slotOf.get(to) ?? unknown);
  const slots = g.mlNode("LabelEncoder", [col.value], {
    keys_strings: { strings: [...keys.keys()] },
    values_int64s: { ints: [...keys.values()] },
    default_int64: { int: unknown },
  });
  const onehot = g.mlNode("OneHotEncoder", [slots], { cats_int64s: { ints: f.outputs.map((_, k) => k) }, zeros: { int: 1 } });
  return { kind: "number", names: f.outputs.map((o) => `${f.name}_${o}`), value: g.node("Cast", [onehot], { to: { int: ELEM.DOUBLE } }) };
}

function oneHotEncoder(g: GraphBuilder, json: EstimatorJSON, input: readonly Block[]): Block[] {
  const { features } = state<{ features: EncodedFeature[] }>(json);
  const { handleUnknown = "error" } = json.params as { handleUnknown?: string };
  return features.flatMap((f) => encodeFeature(g, f, textColumn(input, f.name, "OneHotEncoder"), handleUnknown) ?? []);
}

function transform(g: GraphBuilder, json: EstimatorJSON, input: Block[]): Block[] {
  switch (json.kind) {
    case "Pipeline":
      return (json.params as { steps: Array<[string, EstimatorJSON]> }).steps.reduce((blocks, [, step]) => transform(g, step, blocks), input);
    case "SimpleImputer":
      return simpleImputer(g, json, input);
    case "IterativeImputer":
      return iterativeImputer(g, json, input);
    case "StandardScaler":
      return standardScaler(g, json, input);
    case "OneHotEncoder":
      return oneHotEncoder(g, json, input);
    default:
      return unsupported(json.kind);
  }
}

/**
 * Adds the saved ColumnTransformer to `g`, reading the graph inputs `inputs` (name -> value:
 * double [N] or string [N]); resolves to the feature matrix, double [N, features].
 */
export function preprocessorGraph(g: GraphBuilder, json: EstimatorJSON, inputs: ReadonlyMap<string, { kind: ColumnKind; value: string }>): { value: string; featureNames: string[] } {
  const ct = json as unknown as ColumnTransformerJSON;
  if (ct.state === null) throw new ValueError("ONNX export: the ColumnTransformer is not fitted");
  const axis = g.constant("axes", ELEM.INT64, [1]);
  const blocks = new Map<string, Block>();
  for (const [name, { kind, value }] of inputs) {
    blocks.set(name, kind === "number"
      ? { kind, names: [name], value: g.node("Unsqueeze", [value, axis]) }
      : { kind, names: [name], value, substitute: new Map() });
  }
  const out: string[] = [];
  const names: string[] = [];
  for (const [part, t, cols] of ct.params.parts) {
    for (const b of transform(g, t, cols.map((c) => blocks.get(c) as Block))) {
      if (b.kind !== "number") throw new ValueError(`ONNX export: part "${part}" outputs text column "${b.names[0]}"; encode it to numbers`);
      out.push(b.value);
      names.push(...b.names.map((n) => `${part}__${n}`));
    }
  }
  const expected = ct.state.featureNamesOut;
  if (names.length !== expected.length || names.some((n, k) => n !== expected[k])) {
    throw new ValueError(`ONNX export: the graph makes features [${names.join(", ")}], the preprocessor [${expected.join(", ")}]`);
  }
  return { value: out.length === 1 ? (out[0] as string) : g.node("Concat", out, { axis: { int: 1 } }), featureNames: names };
}
