import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** Where the XGBoost 1.7.4 reference cases live (read-only, shared). */
export const XGB_EXACT_DIR = process.env.XGB_EXACT_DIR ?? join(__dirname, "..", "..", "..", "shared", "reference", "xgb_exact");

/** One XGBoost tree as saved in its JSON model. */
export interface XgbTreeJson {
  left_children: number[];
  right_children: number[];
  split_indices: number[];
  split_conditions: number[];
  default_left: number[];
  base_weights: number[];
  loss_changes: number[];
  sum_hessian: number[];
  parents: number[];
  tree_param: { num_nodes: string };
}

/** One reference case: data, parameters, XGBoost's predictions, history and model. */
export interface ReferenceCase {
  name: string;
  params: Record<string, number | string>;
  num_boost_round: number;
  X_train: number[][];
  y_train: number[];
  X_test: number[][];
  y_test: number[];
  pred_train: number[];
  pred_test: number[];
  eval_rmse: { train: number[]; test: number[] };
  xgboost_model_json: {
    learner: {
      learner_model_param: { base_score: string; num_feature: string };
      gradient_booster: { model: { trees: XgbTreeJson[] } };
    };
  };
}

/** Loads every reference case. */
export function loadReferenceCases(): ReferenceCase[] {
  return readdirSync(XGB_EXACT_DIR).filter((f) => f.endsWith(".json")).sort().map((f) => ({
    ...(JSON.parse(readFileSync(join(XGB_EXACT_DIR, f), "utf8")) as Omit<ReferenceCase, "name">),
    name: f.replace(/\.json$/, ""),
  }));
}
