/**
 * The fitted regressor as ONNX nodes, from its saved JSON: boosted trees, a decision tree and
 * a random forest as `ai.onnx.ml` TreeEnsembleRegressor, Ridge and LinearSVR as
 * LinearRegressor. k-NN has no conversion: it stays TypeScript-only.
 */
import { ValueError } from "../errors";
import type { EstimatorJSON } from "../models/base";
import type { BoosterJSON, TreeJSON as BoosterTreeJSON } from "../models/boosting/booster";
import { treeFromJSON, type TreeArrays, type TreeJSON } from "../models/tree/treeArrays";
import type { AttributeValue, GraphBuilder } from "./graphBuilder";
import { ELEM } from "./schema";

/** The regressor kinds {@link modelGraph} converts. */
export const ONNX_MODEL_KINDS = ["XGBRegressor", "DecisionTreeRegressor", "RandomForestRegressor", "Ridge", "LinearSVR"] as const;

/** TreeEnsembleRegressor's node and target arrays, filled tree by tree. */
class Ensemble {
  readonly treeIds: number[] = [];
  readonly nodeIds: number[] = [];
  readonly featureIds: number[] = [];
  readonly values: number[] = [];
  readonly modes: string[] = [];
  readonly trueIds: number[] = [];
  readonly falseIds: number[] = [];
  readonly missingTrue: number[] = [];
  readonly targetTree: number[] = [];
  readonly targetNode: number[] = [];
  readonly weights: number[] = [];

  split(tree: number, node: number, feature: number, threshold: number, mode: string, yes: number, no: number, missingGoesYes: boolean): void {
    this.push(tree, node, feature, threshold, mode, yes, no, missingGoesYes ? 1 : 0);
  }

  leaf(tree: number, node: number, weight: number): void {
    this.push(tree, node, 0, 0, "LEAF", 0, 0, 0);
    this.targetTree.push(tree);
    this.targetNode.push(node);
    this.weights.push(weight);
  }

  private push(tree: number, node: number, feature: number, value: number, mode: string, yes: number, no: number, missing: number): void {
    this.treeIds.push(tree);
    this.nodeIds.push(node);
    this.featureIds.push(feature);
    this.values.push(value);
    this.modes.push(mode);
    this.trueIds.push(yes);
    this.falseIds.push(no);
    this.missingTrue.push(missing);
  }

  /** The node's attributes; thresholds and weights as float32 lists or as double tensors. */
  attributes(precision: "float" | "double", aggregate: "SUM" | "AVERAGE", base: number): Record<string, AttributeValue> {
    return {
      n_targets: { int: 1 },
      aggregate_function: { string: aggregate },
      base_values: { floats: [base] },
      nodes_treeids: { ints: this.treeIds },
      nodes_nodeids: { ints: this.nodeIds },
      nodes_featureids: { ints: this.featureIds },
      nodes_modes: { strings: this.modes },
      nodes_truenodeids: { ints: this.trueIds },
      nodes_falsenodeids: { ints: this.falseIds },
      nodes_missing_value_tracks_true: { ints: this.missingTrue },
      target_treeids: { ints: this.targetTree },
      target_nodeids: { ints: this.targetNode },
      target_ids: { ints: this.targetTree.map(() => 0) },
      ...(precision === "float"
        ? { nodes_values: { floats: this.values }, target_weights: { floats: this.weights } }
        : { nodes_values_as_tensor: { doubles: this.values }, target_weights_as_tensor: { doubles: this.weights } }),
    };
  }
}

/** Our CART arrays (pre-order, `x <= threshold` goes left to the next node). */
function addCart(e: Ensemble, id: number, tree: TreeArrays): void {
  for (let node = 0; node < tree.feature.length; node++) {
    const f = tree.feature[node] as number;
    if (f < 0) e.leaf(id, node, tree.value[node] as number);
    else e.split(id, node, f, tree.value[node] as number, "BRANCH_LEQ", node + 1, tree.right[node] as number, false);
  }
}

/** XGBoost's arrays: `x < threshold` goes left, a missing value where `default_left` says. */
function addBoosterTree(e: Ensemble, id: number, t: BoosterTreeJSON): void {
  t.left_children.forEach((left, node) => {
    const threshold = t.split_conditions[node] as number;
    if (left === -1) e.leaf(id, node, threshold);
    else e.split(id, node, t.split_indices[node] as number, threshold, "BRANCH_LT", left, t.right_children[node] as number, t.default_left[node] === 1);
  });
}

function linear(g: GraphBuilder, X: string, state: { coef: number[]; intercept: number }): string {
  // onnxruntime implements LinearRegressor for float input only.
  const X32 = g.node("Cast", [X], { to: { int: ELEM.FLOAT } });
  return g.mlNode("LinearRegressor", [X32], { coefficients: { floats: state.coef }, intercepts: { floats: [state.intercept] }, targets: { int: 1 } });
}

function fitted<S>(json: EstimatorJSON): S {
  if (json.state === null) throw new ValueError(`ONNX export: the ${json.kind} is not fitted`);
  return json.state as S;
}

/**
 * Adds the saved regressor to `g`, reading the feature matrix `X` (double [N, features]);
 * resolves to its predictions, float [N, 1].
 */
export function modelGraph(g: GraphBuilder, json: EstimatorJSON, X: string): string {
  switch (json.kind) {
    case "XGBRegressor": {
      const b = fitted<BoosterJSON>(json);
      // Predicting with the best iteration only when early stopping ran, as XGBRegressor.predict does.
      const stopped = (json.params as { early_stopping_rounds?: number }).early_stopping_rounds !== undefined && b.bestIteration !== null;
      const trees = stopped ? b.trees.slice(0, (b.bestIteration as number) + 1) : b.trees;
      const e = new Ensemble();
      trees.forEach((t, id) => addBoosterTree(e, id, t));
      // XGBoost compares float32 features with float32 thresholds.
      const X32 = g.node("Cast", [X], { to: { int: ELEM.FLOAT } });
      return g.mlNode("TreeEnsembleRegressor", [X32], e.attributes("float", "SUM", b.baseScore));
    }
    case "DecisionTreeRegressor": {
      const e = new Ensemble();
      addCart(e, 0, treeFromJSON(fitted<{ tree: TreeJSON }>(json).tree));
      return g.mlNode("TreeEnsembleRegressor", [X], e.attributes("double", "SUM", 0));
    }
    case "RandomForestRegressor": {
      const e = new Ensemble();
      fitted<{ trees: TreeJSON[] }>(json).trees.forEach((t, id) => addCart(e, id, treeFromJSON(t)));
      return g.mlNode("TreeEnsembleRegressor", [X], e.attributes("double", "AVERAGE", 0));
    }
    case "Ridge":
    case "LinearSVR":
      return linear(g, X, fitted<{ coef: number[]; intercept: number }>(json));
    case "KNeighborsRegressor":
      throw new ValueError(
        "ONNX export: KNeighborsRegressor stays TypeScript-only (its prediction searches the whole training set; " +
          `ONNX's operators have no neighbour search we map to). Exportable models: ${ONNX_MODEL_KINDS.join(", ")}.`,
      );
    default:
      throw new ValueError(`ONNX export: the model kind "${json.kind}" has no ONNX conversion (exportable: ${ONNX_MODEL_KINDS.join(", ")})`);
  }
}
