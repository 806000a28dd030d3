/** Imports shared by the RDB tests. */
export { createStudy, distributionToJson, failStaleTrials, loadStudy, RandomSampler, RDBStorage, TrialPruned } from "../../src/tuning";
export type { FrozenTrial } from "../../src/tuning";
export { ValueError as ValueErrorLike } from "../../src/errors";
