import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { PYTHON } from "../helpers/python";

const ROOT = resolve(__dirname, "..", "..");

/** Where the shared XGBoost 1.7.4 reference cases live (read-only; absent in a fresh clone). */
export const XGB_EXACT_DIR = process.env.XGB_EXACT_DIR ?? join(ROOT, "..", "shared", "reference", "xgb_exact");

/** The project's script that writes reference cases with Debian's python3-xgboost. */
export const XGB_EXACT_SCRIPT = join(ROOT, "scripts", "reference", "xgb_exact.py");

/** A folder of reference cases, or why there is none. */
export type ReferenceSet = { dir: string; missing?: undefined } | { dir?: undefined; missing: string };

/** The shared cases, when `../shared` is there. */
export function sharedReferenceSet(): ReferenceSet {
  return existsSync(XGB_EXACT_DIR) ? { dir: XGB_EXACT_DIR } : { missing: `${XGB_EXACT_DIR} is absent` };
}

/** Runs the project's script: its own cases, or (`from`) another folder's cases recomputed. */
export function runXgbExactScript(outDir: string, from?: string): void {
  const r = spawnSync(PYTHON, [XGB_EXACT_SCRIPT, outDir, ...(from === undefined ? [] : ["--from", from])], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${XGB_EXACT_SCRIPT} failed (${r.status}): ${r.stderr}`);
}

/**
 * The cases the project's script writes with Debian's XGBoost, made at test time and kept in
 * node_modules/.cache under the hash of the script and the XGBoost version (so test files share
 * one run, and a changed script or XGBoost makes new ones).
 */
export function generatedReferenceSet(): ReferenceSet {
  const version = spawnSync(PYTHON, ["-c", "import xgboost; print(xgboost.__version__)"], { encoding: "utf8" });
  if (version.status !== 0) return { missing: `${PYTHON} cannot import xgboost (apt-get install python3-xgboost)` };
  const key = createHash("sha256").update(readFileSync(XGB_EXACT_SCRIPT)).update(version.stdout).digest("hex").slice(0, 16);
  const cache = join(ROOT, "node_modules", ".cache", "mlflow-demo-ts", "xgb_exact");
  const dir = join(cache, key);
  if (!existsSync(dir)) {
    mkdirSync(cache, { recursive: true });
    const partial = join(cache, `.partial-${process.pid}-${key}`);
    rmSync(partial, { recursive: true, force: true });
    runXgbExactScript(partial);
    try {
      renameSync(partial, dir);
    } catch {
      // Another test file made it first.
      rmSync(partial, { recursive: true, force: true });
    }
  }
  return { dir };
}

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

/** Loads every reference case of a folder. */
export function loadReferenceCases(dir: string): ReferenceCase[] {
  return readdirSync(dir).filter((f) => f.endsWith(".json")).sort().map((f) => ({
    ...(JSON.parse(readFileSync(join(dir, f), "utf8")) as Omit<ReferenceCase, "name">),
    name: f.replace(/\.json$/, ""),
  }));
}
