import { ValueError } from "../../errors";
import type { Matrix } from "../../util/matrix";
import { DMatrix } from "./dmatrix";
import type { BoosterParams, Objective } from "./params";
import { addTreePrediction, RegTree } from "./tree";

/** Feature importance kinds, as in XGBoost's `Booster.get_score`. */
export type ImportanceType = "weight" | "gain" | "cover" | "total_gain" | "total_cover";

/** Options of {@link Booster.predict}. */
export interface PredictOptions {
  /** Use trees `[begin, end)` only; `[0, 0]` (default) means all trees. */
  iterationRange?: readonly [number, number];
}

/** Per eval set, per metric, one value per round (XGBoost's `evals_result`). */
export type EvalsLog = Record<string, Record<string, number[]>>;

/** What {@link Booster.toJSON} writes: our own JSON format. */
export interface BoosterJSON {
  readonly format: "mlflow-demo-ts/booster";
  readonly version: 1;
  readonly params: BoosterParams;
  readonly objective: Objective;
  readonly huberSlope: number;
  readonly baseScore: number;
  readonly numFeature: number;
  readonly featureNames: string[];
  readonly bestIteration: number | null;
  readonly bestScore: number | null;
  readonly trees: TreeJSON[];
}

/** One tree in {@link BoosterJSON}: XGBoost's tree arrays. */
export interface TreeJSON {
  left_children: number[];
  right_children: number[];
  parents: number[];
  split_indices: number[];
  split_conditions: number[];
  default_left: number[];
  base_weights: number[];
  loss_changes: number[];
  sum_hessian: number[];
}

/**
 * A trained gradient-boosted tree ensemble (XGBoost's `Booster`): float32 base score plus
 * trees, predicting in float32 exactly as XGBoost does.
 */
export class Booster {
  /** Trees in boosting order. */
  readonly trees: RegTree[] = [];
  /** Best round found by early stopping, if any (XGBoost's `best_iteration`). */
  bestIteration: number | null = null;
  /** Score at the best round, if any. */
  bestScore: number | null = null;
  /** The evaluation history of the training that produced this booster. */
  evalsResult: EvalsLog = {};

  /**
   * @param params the parameters it was trained with (kept for reference and saving)
   * @param baseScore the global bias (stored in float32)
   */
  constructor(readonly params: BoosterParams, readonly objective: Objective, readonly huberSlope: number,
    readonly baseScore: number, readonly numFeature: number, readonly featureNames: string[]) {
    this.baseScore = Math.fround(baseScore);
  }

  /** Number of boosting rounds (trees). */
  numBoostedRounds(): number {
    return this.trees.length;
  }

  /** Predictions for every row of `data`, in float32. */
  predict(data: DMatrix | Matrix, options: PredictOptions = {}): Float32Array {
    const dm = data instanceof DMatrix ? data : new DMatrix(data);
    if (dm.cols !== this.numFeature) {
      throw new ValueError(`predict: data has ${dm.cols} features, the booster was trained on ${this.numFeature}`);
    }
    const [b, e] = this.resolveRange(options.iterationRange);
    const out = new Float32Array(dm.rows).fill(this.baseScore);
    for (let t = b; t < e; t++) addTreePrediction(this.trees[t] as RegTree, dm.values, dm.rows, dm.cols, out);
    return out;
  }

  private resolveRange(range: readonly [number, number] | undefined): [number, number] {
    const n = this.trees.length;
    if (range === undefined || (range[0] === 0 && range[1] === 0)) return [0, n];
    const [b, e] = range;
    if (!Number.isInteger(b) || !Number.isInteger(e) || b < 0 || e > n || b > e) {
      throw new ValueError(`predict: iterationRange [${b}, ${e}] must satisfy 0 <= begin <= end <= ${n}`);
    }
    return [b, e];
  }

  /**
   * Feature importance as XGBoost's `get_score`: for each feature used in a split, the
   * number of splits (weight), the total or average loss change (gain) or hessian cover.
   */
  getScore(importanceType: ImportanceType = "weight"): Record<string, number> {
    const kinds: readonly ImportanceType[] = ["weight", "gain", "cover", "total_gain", "total_cover"];
    if (!kinds.includes(importanceType)) {
      throw new ValueError(`getScore: importanceType must be one of ${kinds.join(", ")}, got ${JSON.stringify(importanceType)}`);
    }
    const count = new Float64Array(this.numFeature);
    const gain = new Float64Array(this.numFeature);
    const cover = new Float64Array(this.numFeature);
    for (const t of this.trees) {
      for (let i = 0; i < t.left.length; i++) {
        if (t.left[i] === -1) continue;
        const f = t.splitIndex[i] as number;
        count[f]++;
        gain[f] += t.lossChange[i] as number;
        cover[f] += t.sumHessian[i] as number;
      }
    }
    const out: Record<string, number> = {};
    for (let f = 0; f < this.numFeature; f++) {
      const c = count[f] as number;
      if (c === 0) continue;
      const name = this.featureNames[f] as string;
      switch (importanceType) {
        case "weight": out[name] = c; break;
        case "gain": out[name] = (gain[f] as number) / c; break;
        case "cover": out[name] = (cover[f] as number) / c; break;
        case "total_gain": out[name] = gain[f] as number; break;
        default: out[name] = cover[f] as number;
      }
    }
    return out;
  }

  /** The booster in our JSON format. */
  toJSON(): BoosterJSON {
    return {
      format: "mlflow-demo-ts/booster",
      version: 1,
      params: { ...this.params },
      objective: this.objective,
      huberSlope: this.huberSlope,
      baseScore: this.baseScore,
      numFeature: this.numFeature,
      featureNames: [...this.featureNames],
      bestIteration: this.bestIteration,
      bestScore: this.bestScore,
      trees: this.trees.map(treeToJSON),
    };
  }

  /** Reads {@link toJSON}'s output, validating its shape. */
  static fromJSON(json: BoosterJSON): Booster {
    if (json === null || typeof json !== "object" || json.format !== "mlflow-demo-ts/booster") {
      throw new ValueError(`Booster.fromJSON: expected format "mlflow-demo-ts/booster", got ${JSON.stringify((json as { format?: unknown } | null)?.format)}`);
    }
    const b = new Booster(json.params, json.objective, json.huberSlope, json.baseScore, json.numFeature, json.featureNames);
    b.bestIteration = json.bestIteration;
    b.bestScore = json.bestScore;
    json.trees.forEach((t, i) => b.trees.push(treeFromJSON(t, json.numFeature, `trees[${i}]`)));
    return b;
  }
}

/** A tree's arrays as plain JSON numbers. */
export function treeToJSON(t: RegTree): TreeJSON {
  return {
    left_children: Array.from(t.left),
    right_children: Array.from(t.right),
    parents: Array.from(t.parent),
    split_indices: Array.from(t.splitIndex),
    split_conditions: Array.from(t.splitCondition),
    default_left: Array.from(t.defaultLeft),
    base_weights: Array.from(t.baseWeight),
    loss_changes: Array.from(t.lossChange),
    sum_hessian: Array.from(t.sumHessian),
  };
}

/** Rebuilds a tree from its arrays, checking that they are consistent. */
export function treeFromJSON(t: TreeJSON, numFeature: number, where: string): RegTree {
  const n = t.left_children?.length;
  if (!Array.isArray(t.left_children) || n === 0) throw new ValueError(`${where}: left_children must be a non-empty array`);
  for (const key of ["right_children", "split_indices", "split_conditions", "default_left"] as const) {
    if (!Array.isArray(t[key]) || t[key].length !== n) throw new ValueError(`${where}: ${key} must have ${n} entries`);
  }
  const tree: RegTree = {
    left: Int32Array.from(t.left_children),
    right: Int32Array.from(t.right_children),
    parent: Int32Array.from(t.parents ?? new Array(n).fill(0)),
    splitIndex: Int32Array.from(t.split_indices),
    splitCondition: Float32Array.from(t.split_conditions),
    defaultLeft: Uint8Array.from(t.default_left),
    baseWeight: Float32Array.from(t.base_weights ?? new Array(n).fill(0)),
    lossChange: Float32Array.from(t.loss_changes ?? new Array(n).fill(0)),
    sumHessian: Float32Array.from(t.sum_hessian ?? new Array(n).fill(0)),
  };
  for (let i = 0; i < n; i++) {
    const l = tree.left[i] as number;
    const r = tree.right[i] as number;
    if (l === -1) continue;
    if (l === i || r === i || l < 0 || r < 0 || l >= n || r >= n) throw new ValueError(`${where}: node ${i} has invalid children ${l}, ${r}`);
    const f = tree.splitIndex[i] as number;
    if (f < 0 || f >= numFeature) throw new ValueError(`${where}: node ${i} splits on feature ${f}, outside [0, ${numFeature})`);
  }
  return tree;
}
