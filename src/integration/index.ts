export { tableToFrame, frameToTable, frameSchema } from "./tables";
export { estimatorFromJSON, loadLibraryModel } from "./modelLoader";
export { trackModelComparison } from "./trackComparison";
export type { TrackComparisonOptions } from "./trackComparison";
export { XGBoostPruningCallback } from "./xgboostPruningCallback";
export { MLflowCallback } from "./mlflowCallback";
export type { MLflowCallbackOptions } from "./mlflowCallback";
export { installEstimatorAutolog } from "./autolog";
export { libraryModelFlavors } from "./modelFlavors";
