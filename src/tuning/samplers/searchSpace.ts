/**
 * Optuna's `IntersectionSearchSpace`: the parameters (with identical distributions) present in
 * every finished trial, in name order.
 */
import { distributionsEqual } from "../distributions";
import { StudyView } from "../studyView";
import { SearchSpace } from "./base";

/**
 * The intersection of the search spaces of all COMPLETE trials (and PRUNED ones when
 * `includePruned`), sorted by parameter name.
 */
export function intersectionSearchSpace(study: StudyView, includePruned = true): SearchSpace {
  let space: SearchSpace | undefined;
  const states = includePruned ? (["COMPLETE", "PRUNED"] as const) : (["COMPLETE"] as const);
  for (const trial of study.getTrials({ states })) {
    if (space === undefined) {
      space = { ...trial.distributions };
      continue;
    }
    for (const [name, dist] of Object.entries(space)) {
      const other = trial.distributions[name];
      if (other === undefined || !distributionsEqual(other, dist)) delete space[name];
    }
  }
  const sorted: SearchSpace = {};
  for (const name of Object.keys(space ?? {}).sort()) sorted[name] = (space as SearchSpace)[name] as SearchSpace[string];
  return sorted;
}
