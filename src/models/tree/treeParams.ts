import { ValueError } from "../../errors";
import type { GrowthLimits } from "./growTree";

/** Tree-shape options shared by {@link DecisionTreeRegressor} and the random forest, scikit-learn's names. */
export interface TreeShapeParams {
  /** Deepest level (null for unlimited, the default). */
  maxDepth?: number | null;
  /** Rows a node needs to be split (default 2). */
  minSamplesSplit?: number;
  /** Rows each leaf keeps at least (default 1). */
  minSamplesLeaf?: number;
  /** Fraction of the features examined per split, in (0, 1], or "sqrt" / "log2" (default 1). */
  maxFeatures?: number | "sqrt" | "log2";
}

/** Checks the tree options, naming the estimator and the culprit. */
export function checkTreeParams(p: TreeShapeParams, who: string): void {
  const positiveInt = (v: number | null | undefined, name: string, min: number): void => {
    if (v !== undefined && v !== null && !(Number.isInteger(v) && v >= min)) {
      throw new ValueError(`${who}: ${name} must be an integer >= ${min}, got ${v}`);
    }
  };
  positiveInt(p.maxDepth, "maxDepth", 1);
  positiveInt(p.minSamplesSplit, "minSamplesSplit", 2);
  positiveInt(p.minSamplesLeaf, "minSamplesLeaf", 1);
  const mf = p.maxFeatures;
  if (mf !== undefined && mf !== "sqrt" && mf !== "log2" && !(typeof mf === "number" && mf > 0 && mf <= 1)) {
    throw new ValueError(`${who}: maxFeatures must be a fraction in (0, 1], "sqrt" or "log2", got ${String(mf)}`);
  }
}

/** The growth limits for `nFeatures` features, resolving scikit-learn's maxFeatures rules. */
export function growthLimits(p: TreeShapeParams, nFeatures: number): GrowthLimits {
  const mf = p.maxFeatures ?? 1;
  const count =
    mf === "sqrt" ? Math.floor(Math.sqrt(nFeatures)) : mf === "log2" ? Math.floor(Math.log2(nFeatures)) : Math.floor(mf * nFeatures);
  return {
    maxDepth: p.maxDepth ?? Infinity,
    minSamplesSplit: p.minSamplesSplit ?? 2,
    minSamplesLeaf: p.minSamplesLeaf ?? 1,
    maxFeatures: Math.max(1, count),
  };
}
