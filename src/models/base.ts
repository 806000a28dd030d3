/** The estimator contract as the models layer names it (it lives in `src/estimator.ts`, below preprocess). */
export { checkIsFitted } from "../estimator";
export type { EstimatorJSON, Regressor, Transformer } from "../estimator";
