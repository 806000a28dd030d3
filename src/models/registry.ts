import { ValueError } from "../errors";
import type { EstimatorJSON, Regressor } from "./base";
import { DecisionTreeRegressor } from "./decisionTree";
import { KNeighborsRegressor } from "./kNeighbors";
import { LinearSVR } from "./linearSvr";
import { RandomForestRegressor } from "./randomForest";
import { Ridge } from "./ridge";
import { XGBRegressor } from "./boosting/xgbRegressor";

/** A regressor class as the registry needs it: built from options, loaded from JSON. */
export interface RegressorClass {
  new (params: never): Regressor;
  fromJSON(json: EstimatorJSON<never, never>): Regressor;
}

const CLASSES = new Map<string, RegressorClass>([
  ["Ridge", Ridge as unknown as RegressorClass],
  ["LinearSVR", LinearSVR as unknown as RegressorClass],
  ["KNeighborsRegressor", KNeighborsRegressor as unknown as RegressorClass],
  ["DecisionTreeRegressor", DecisionTreeRegressor as unknown as RegressorClass],
  ["RandomForestRegressor", RandomForestRegressor as unknown as RegressorClass],
  ["XGBRegressor", XGBRegressor as unknown as RegressorClass],
]);

/**
 * Adds a regressor class under its `kind`, so that `createRegressor` and `regressorFromJSON`
 * (and cross-validation worker threads, which rebuild estimators by kind) know it.
 */
export function registerRegressor(kind: string, cls: RegressorClass): void {
  CLASSES.set(kind, cls);
}

/** The kinds the registry knows. */
export function registeredKinds(): string[] {
  return [...CLASSES.keys()];
}

function lookup(kind: string): RegressorClass {
  const cls = CLASSES.get(kind);
  if (cls === undefined) {
    throw new ValueError(`unknown regressor kind "${kind}"; registered kinds: ${registeredKinds().join(", ")}`);
  }
  return cls;
}

/** A new unfitted regressor of `kind` with `params` (its constructor options). */
export function createRegressor(kind: string, params: object): Regressor {
  return new (lookup(kind))(params as never);
}

/** A regressor loaded from the JSON its `toJSON` wrote. */
export function regressorFromJSON(json: EstimatorJSON): Regressor {
  return lookup(json.kind).fromJSON(json as EstimatorJSON<never, never>);
}
