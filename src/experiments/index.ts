export {
  runHyperOpt,
  holdoutMetrics,
  suggestBoosterParams,
  HYPER_OPT_SEED,
  HYPER_OPT_STUDY,
  HYPER_OPT_MODEL_NAME,
  HYPER_OPT_FIXED_PARAMS,
  CHAMPION_ALIAS,
  HYPER_OPT_HEARTBEAT_INTERVAL,
} from "./hyperOpt";
export type { HyperOptOptions, HyperOptResult, HoldoutMetrics } from "./hyperOpt";
export { trialProgressTracker, formatTrialProgress } from "./progress";
export type { TrialProgress, TrialProgressOptions } from "./progress";
export { holdoutBaseline, unseenHoldoutRows, holdoutMetricsOn } from "./baseline";
export type { HoldoutBaseline } from "./baseline";
