/**
 * The classic scikit-learn-style regressors of the simple trainer (issue 4). The models barrel
 * re-exports this list; tree internals stay unexported so as not to collide with the booster's.
 */
export { Ridge } from "./ridge";
export type { RidgeParams, RidgeState } from "./ridge";
export { LinearSVR } from "./linearSvr";
export type { LinearSVRParams, LinearSVRState } from "./linearSvr";
export { solveL1SvrDual, svrDualObjective } from "./liblinearSvr";
export type { SvrDualProblem, SvrDualSolution } from "./liblinearSvr";
export { KNeighborsRegressor } from "./kNeighbors";
export type { KNeighborsRegressorParams, KNeighborsRegressorState } from "./kNeighbors";
export { DecisionTreeRegressor } from "./decisionTree";
export type { DecisionTreeRegressorParams, DecisionTreeRegressorState } from "./decisionTree";
export { RandomForestRegressor } from "./randomForest";
export type { RandomForestRegressorParams, RandomForestRegressorState } from "./randomForest";
export type { TreeShapeParams } from "./tree/treeParams";
export { createRegressor, regressorFromJSON, registerRegressor, registeredKinds } from "./registry";
export type { RegressorClass } from "./registry";
export { hasFitAsync } from "./asyncFit";
export type { AsyncFittable } from "./asyncFit";
