import { ValueError } from "../../errors";
import { Booster, treeFromJSON, TreeJSON } from "./booster";
import type { Objective } from "./params";
import type { RegTree } from "./tree";

/** The XGBoost release whose JSON model format we write (Debian bookworm's, which our tests load it with). */
export const XGBOOST_FORMAT_VERSION = "1.7.4";

/** XGBoost's JSON model (`Booster.save_model("m.json")`), the parts we read and write. */
export interface XGBoostModelJSON {
  learner: {
    attributes: Record<string, string>;
    feature_names: string[];
    feature_types: string[];
    gradient_booster: {
      model: {
        gbtree_model_param: { num_parallel_tree: string; num_trees: string; size_leaf_vector: string };
        tree_info: number[];
        trees: Array<TreeJSON & Record<string, unknown>>;
      };
      name: string;
    };
    learner_model_param: { base_score: string; boost_from_average?: string; num_class: string; num_feature: string; num_target?: string };
    objective: { name: string } & Record<string, unknown>;
  };
  version: number[];
}

/** The shortest decimal that reads back as the same float32, in XGBoost's "5.354891E1" style. */
export function formatFloat32(x: number): string {
  const v = Math.fround(x);
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return "0E0";
  for (let p = 1; p <= 9; p++) {
    const s = v.toExponential(p - 1);
    if (Math.fround(Number(s)) === v) {
      const [mant, exp] = s.split("e") as [string, string];
      return `${mant}E${Number(exp)}`;
    }
  }
  return v.toExponential(8).replace("e+", "E").replace("e", "E");
}

const FLOAT_MARK = "@@f32@@";

/** A float32 value to be written as a JSON number that always has a decimal point or exponent. */
function floatToken(x: number): string {
  const v = shortest32(x);
  let text = String(v);
  if (!/[.eE]/.test(text) && Number.isFinite(v)) text += ".0";
  return FLOAT_MARK + text;
}

/**
 * The model as JSON text for XGBoost: its parser distinguishes integers from reals, so
 * real-valued arrays are written with a decimal point (15.0, not 15). `featureNames` replaces
 * the booster's own (e.g. the preprocessor's output names for a booster fitted on a matrix).
 */
export function xgboostJsonText(b: Booster, featureNames: readonly string[] = b.featureNames): string {
  const model = toXGBoostJSON(b, featureNames);
  for (const t of model.learner.gradient_booster.model.trees) {
    for (const key of ["base_weights", "loss_changes", "split_conditions", "sum_hessian"] as const) {
      (t as unknown as Record<string, unknown>)[key] = (t[key] as number[]).map(floatToken);
    }
  }
  return JSON.stringify(model).replace(/"@@f32@@([^"]*)"/g, "$1");
}

/** The shortest decimal number (as a JS number) that reads back as the same float32. */
function shortest32(x: number): number {
  const v = Math.fround(x);
  if (!Number.isFinite(v) || v === 0) return v;
  for (let p = 1; p <= 9; p++) {
    const n = Number(v.toPrecision(p));
    if (Math.fround(n) === v) return n;
  }
  return v;
}

function treeToXGBoost(t: RegTree, id: number, numFeature: number): TreeJSON & Record<string, unknown> {
  const n = t.left.length;
  return {
    base_weights: Array.from(t.baseWeight, shortest32),
    categories: [],
    categories_nodes: [],
    categories_segments: [],
    categories_sizes: [],
    default_left: Array.from(t.defaultLeft),
    id,
    left_children: Array.from(t.left),
    loss_changes: Array.from(t.lossChange, shortest32),
    parents: Array.from(t.parent),
    right_children: Array.from(t.right),
    split_conditions: Array.from(t.splitCondition, shortest32),
    split_indices: Array.from(t.splitIndex),
    split_type: new Array<number>(n).fill(0),
    sum_hessian: Array.from(t.sumHessian, shortest32),
    tree_param: { num_deleted: "0", num_feature: String(numFeature), num_nodes: String(n), size_leaf_vector: "0" },
  };
}

/**
 * The booster in XGBoost 1.7's JSON model format, loadable by Python's
 * `xgboost.Booster(model_file=...)` and predicting the same values; `featureNames` as in {@link xgboostJsonText}.
 */
export function toXGBoostJSON(b: Booster, featureNames: readonly string[] = b.featureNames): XGBoostModelJSON {
  if (featureNames.length !== b.numFeature) {
    throw new ValueError(`toXGBoostJSON: ${featureNames.length} feature names for a booster of ${b.numFeature} features`);
  }
  const objective: { name: string } & Record<string, unknown> = { name: b.objective };
  if (b.objective === "reg:pseudohubererror") objective.pseudo_huber_param = { huber_slope: formatFloat32(b.huberSlope) };
  else if (b.objective === "reg:squarederror") objective.reg_loss_param = { scale_pos_weight: "1" };
  const attributes: Record<string, string> = {};
  if (b.bestIteration !== null) {
    attributes.best_iteration = String(b.bestIteration);
    attributes.best_ntree_limit = String(b.bestIteration + 1);
    if (b.bestScore !== null) attributes.best_score = String(b.bestScore);
  }
  const generic = featureNames.every((n, i) => n === `f${i}`);
  return {
    learner: {
      attributes,
      feature_names: generic ? [] : [...featureNames],
      feature_types: generic ? [] : featureNames.map(() => "float"),
      gradient_booster: {
        model: {
          gbtree_model_param: { num_parallel_tree: "1", num_trees: String(b.trees.length), size_leaf_vector: "0" },
          tree_info: b.trees.map(() => 0),
          trees: b.trees.map((t, i) => treeToXGBoost(t, i, b.numFeature)),
        },
        name: "gbtree",
      },
      learner_model_param: {
        base_score: formatFloat32(b.baseScore),
        boost_from_average: "0",
        num_class: "0",
        num_feature: String(b.numFeature),
        num_target: "1",
      },
      objective,
    },
    version: XGBOOST_FORMAT_VERSION.split(".").map(Number),
  };
}

const OBJECTIVES: readonly Objective[] = ["reg:squarederror", "reg:absoluteerror", "reg:pseudohubererror"];

/**
 * Reads an XGBoost JSON model (1.x or 2.x, gbtree, regression) for prediction.
 * Throws `ValueError` naming the missing or unsupported field.
 */
export function fromXGBoostJSON(json: unknown): Booster {
  const model = json as Partial<XGBoostModelJSON> | null;
  const learner = model?.learner;
  if (learner === undefined || learner === null) throw new ValueError("XGBoost JSON: missing field \"learner\"");
  const gb = learner.gradient_booster;
  if (gb?.name !== "gbtree" || gb.model === undefined) {
    throw new ValueError(`XGBoost JSON: learner.gradient_booster.name must be "gbtree", got ${JSON.stringify(gb?.name)}`);
  }
  const mp = learner.learner_model_param;
  if (mp === undefined) throw new ValueError("XGBoost JSON: missing field \"learner.learner_model_param\"");
  if (Number(mp.num_class ?? "0") > 1 || Number(mp.num_target ?? "1") > 1) {
    throw new ValueError("XGBoost JSON: only single-output regression models are supported (num_class / num_target)");
  }
  const baseScore = Number(String(mp.base_score).replace(/^\[|\]$/g, ""));
  if (!Number.isFinite(baseScore)) throw new ValueError(`XGBoost JSON: base_score ${JSON.stringify(mp.base_score)} is not a number`);
  const numFeature = Number(mp.num_feature);
  const objName = learner.objective?.name as Objective;
  if (!OBJECTIVES.includes(objName)) {
    throw new ValueError(`XGBoost JSON: objective ${JSON.stringify(objName)} is not supported (${OBJECTIVES.join(", ")})`);
  }
  const slope = Number((learner.objective as { pseudo_huber_param?: { huber_slope?: string } }).pseudo_huber_param?.huber_slope ?? "1");
  const names = learner.feature_names && learner.feature_names.length === numFeature
    ? learner.feature_names : Array.from({ length: numFeature }, (_, i) => `f${i}`);
  const booster = new Booster({ objective: objName }, objName, slope, baseScore, numFeature, names);
  const trees = gb.model.trees ?? [];
  const info = gb.model.tree_info ?? [];
  trees.forEach((t, i) => {
    if ((info[i] ?? 0) !== 0) throw new ValueError(`XGBoost JSON: tree ${i} belongs to group ${info[i]}; only one group is supported`);
    booster.trees.push(treeFromJSON(t, numFeature, `XGBoost JSON trees[${i}]`));
  });
  const best = learner.attributes?.best_iteration;
  if (best !== undefined) booster.bestIteration = Number(best);
  return booster;
}
