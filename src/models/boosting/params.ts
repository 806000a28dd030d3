import { ValueError } from "../../errors";

/** Objectives supported by the booster, named as in XGBoost. */
export type Objective = "reg:squarederror" | "reg:absoluteerror" | "reg:pseudohubererror";

/** Evaluation metrics, named and defined as in XGBoost. */
export type MetricName = "rmse" | "mae" | "mape" | "mphe";

/**
 * Booster parameters with XGBoost's names (snake_case) and aliases.
 * Every field is optional; missing ones take XGBoost's defaults.
 */
export interface BoosterParams {
  /** Step size shrinkage (alias `learning_rate`), default 0.3. */
  eta?: number;
  learning_rate?: number;
  /** Minimum loss reduction to make a split (alias `min_split_loss`), default 0. */
  gamma?: number;
  min_split_loss?: number;
  /** Maximum tree depth, default 6; must be at least 1. */
  max_depth?: number;
  /** Minimum sum of hessians in a child, default 1. */
  min_child_weight?: number;
  /** Maximum absolute leaf weight before shrinkage; 0 (default) means no limit. */
  max_delta_step?: number;
  /** Row subsampling ratio per tree, in (0, 1], default 1. */
  subsample?: number;
  /** Column subsampling ratios per tree / level / node, in (0, 1], default 1. */
  colsample_bytree?: number;
  colsample_bylevel?: number;
  colsample_bynode?: number;
  /** L2 regularisation on leaf weights (alias `reg_lambda`), default 1. */
  lambda?: number;
  reg_lambda?: number;
  /** L1 regularisation on leaf weights (alias `reg_alpha`), default 0. */
  alpha?: number;
  reg_alpha?: number;
  /** Maximum number of histogram bins per feature, default 256. */
  max_bin?: number;
  /**
   * Initial prediction. When absent it is estimated from the labels as XGBoost 2.x does
   * (mean for squared error, median for absolute error, one Newton step for pseudo-Huber);
   * pass 0.5 to reproduce XGBoost 1.x.
   */
  base_score?: number;
  /** Random seed for row and column sampling (alias `random_state`), default 0. */
  seed?: number;
  random_state?: number;
  /** Threads (alias `n_jobs`); 0 or absent means all available cores. */
  nthread?: number;
  n_jobs?: number;
  /** Learning objective, default "reg:squarederror". */
  objective?: Objective;
  /** Slope of the pseudo-Huber loss, default 1. */
  huber_slope?: number;
  /** Evaluation metric(s); default depends on the objective (rmse, mae, mphe). */
  eval_metric?: MetricName | MetricName[];
  /** Only "hist" (and "auto", treated as "hist") are supported. */
  tree_method?: "hist" | "auto";
  /** Only "depthwise" is supported. */
  grow_policy?: "depthwise";
  /** Accepted for compatibility; the booster never prints. */
  verbosity?: number;
}

/** Parameters after alias resolution, defaults and validation. */
export interface ResolvedParams {
  readonly eta: number;
  readonly gamma: number;
  readonly maxDepth: number;
  readonly minChildWeight: number;
  readonly maxDeltaStep: number;
  readonly subsample: number;
  readonly colsampleBytree: number;
  readonly colsampleBylevel: number;
  readonly colsampleBynode: number;
  readonly lambda: number;
  readonly alpha: number;
  readonly maxBin: number;
  readonly baseScore: number | undefined;
  readonly seed: number;
  readonly nthread: number;
  readonly objective: Objective;
  readonly huberSlope: number;
  readonly evalMetric: readonly MetricName[];
}

const ALIASES: Readonly<Record<string, string>> = {
  learning_rate: "eta",
  min_split_loss: "gamma",
  reg_lambda: "lambda",
  reg_alpha: "alpha",
  random_state: "seed",
  n_jobs: "nthread",
};

const KNOWN = new Set<string>([
  "eta", "gamma", "max_depth", "min_child_weight", "max_delta_step", "subsample",
  "colsample_bytree", "colsample_bylevel", "colsample_bynode", "lambda", "alpha", "max_bin",
  "base_score", "seed", "nthread", "objective", "huber_slope", "eval_metric", "tree_method",
  "grow_policy", "verbosity", ...Object.keys(ALIASES),
]);

const OBJECTIVES: readonly Objective[] = ["reg:squarederror", "reg:absoluteerror", "reg:pseudohubererror"];
const METRICS: readonly MetricName[] = ["rmse", "mae", "mape", "mphe"];
const DEFAULT_METRIC: Readonly<Record<Objective, MetricName>> = {
  "reg:squarederror": "rmse",
  "reg:absoluteerror": "mae",
  "reg:pseudohubererror": "mphe",
};

/** The parameter names accepted by {@link resolveParams}, aliases included. */
export const PARAMETER_NAMES: readonly string[] = [...KNOWN].sort();

/**
 * Resolves aliases and defaults and validates every value, throwing `ValueError`
 * naming the offending parameter (unknown names included).
 */
export function resolveParams(params: BoosterParams | Readonly<Record<string, unknown>> = {}): ResolvedParams {
  const raw = params as Readonly<Record<string, unknown>>;
  const canonical: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    if (!KNOWN.has(key)) {
      throw new ValueError(`Unknown booster parameter "${key}". Known parameters: ${PARAMETER_NAMES.join(", ")}`);
    }
    const name = ALIASES[key] ?? key;
    if (name in canonical) {
      throw new ValueError(`Parameter "${name}" is given twice (as "${key}" and an alias)`);
    }
    canonical[name] = value;
  }
  const num = (name: string, fallback: number, check: (v: number) => boolean, rule: string): number => {
    const v = canonical[name];
    if (v === undefined) return fallback;
    if (typeof v !== "number" || Number.isNaN(v) || !check(v)) {
      throw new ValueError(`Parameter "${name}" must be ${rule}, got ${JSON.stringify(v)}`);
    }
    return v;
  };
  const nonNegative = (v: number): boolean => v >= 0 && Number.isFinite(v);
  const ratio = (v: number): boolean => v > 0 && v <= 1;
  const objective = (canonical.objective ?? "reg:squarederror") as Objective;
  if (!OBJECTIVES.includes(objective)) {
    throw new ValueError(`Parameter "objective" must be one of ${OBJECTIVES.join(", ")}, got ${JSON.stringify(objective)}`);
  }
  const method = canonical.tree_method;
  if (method !== undefined && method !== "hist" && method !== "auto") {
    throw new ValueError(`Parameter "tree_method" must be "hist" (or "auto"), got ${JSON.stringify(method)}`);
  }
  const policy = canonical.grow_policy;
  if (policy !== undefined && policy !== "depthwise") {
    throw new ValueError(`Parameter "grow_policy" must be "depthwise", got ${JSON.stringify(policy)}`);
  }
  const metricRaw = canonical.eval_metric ?? DEFAULT_METRIC[objective];
  const metrics = (Array.isArray(metricRaw) ? metricRaw : [metricRaw]) as unknown[];
  for (const m of metrics) {
    if (!METRICS.includes(m as MetricName)) {
      throw new ValueError(`Parameter "eval_metric" must be among ${METRICS.join(", ")}, got ${JSON.stringify(m)}`);
    }
  }
  const baseScore = canonical.base_score;
  if (baseScore !== undefined && (typeof baseScore !== "number" || !Number.isFinite(baseScore))) {
    throw new ValueError(`Parameter "base_score" must be a finite number, got ${JSON.stringify(baseScore)}`);
  }
  return {
    eta: num("eta", 0.3, nonNegative, "a finite number >= 0"),
    gamma: num("gamma", 0, nonNegative, "a finite number >= 0"),
    maxDepth: num("max_depth", 6, (v) => Number.isInteger(v) && v >= 1, "an integer >= 1"),
    minChildWeight: num("min_child_weight", 1, nonNegative, "a finite number >= 0"),
    maxDeltaStep: num("max_delta_step", 0, nonNegative, "a finite number >= 0"),
    subsample: num("subsample", 1, ratio, "in (0, 1]"),
    colsampleBytree: num("colsample_bytree", 1, ratio, "in (0, 1]"),
    colsampleBylevel: num("colsample_bylevel", 1, ratio, "in (0, 1]"),
    colsampleBynode: num("colsample_bynode", 1, ratio, "in (0, 1]"),
    lambda: num("lambda", 1, nonNegative, "a finite number >= 0"),
    alpha: num("alpha", 0, nonNegative, "a finite number >= 0"),
    maxBin: num("max_bin", 256, (v) => Number.isInteger(v) && v >= 2 && v <= 65535, "an integer in [2, 65535]"),
    baseScore: baseScore as number | undefined,
    seed: num("seed", 0, Number.isFinite, "a finite number"),
    nthread: num("nthread", 0, (v) => Number.isInteger(v) && v >= 0, "an integer >= 0"),
    objective,
    huberSlope: num("huber_slope", 1, (v) => v > 0 && Number.isFinite(v), "a finite number > 0"),
    evalMetric: metrics as MetricName[],
  };
}
