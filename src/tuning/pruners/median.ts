/** Optuna's `MedianPruner`: a PercentilePruner at the 50th percentile. */
import { PercentilePruner, PercentilePrunerOptions } from "./percentile";

/** Prunes a trial whose best intermediate value is worse than the median of completed trials at that step. */
export class MedianPruner extends PercentilePruner {
  constructor(options: PercentilePrunerOptions = {}) {
    super(50, options);
  }
}
