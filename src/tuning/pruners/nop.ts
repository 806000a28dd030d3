/** Optuna's `NopPruner`: never prunes. */
import { Pruner } from "./base";

/** A pruner that never prunes. */
export class NopPruner implements Pruner {
  prune(): boolean {
    return false;
  }
}
