export type { EstimatorJSON, Regressor, Transformer } from "./base";
export { checkIsFitted } from "./base";
