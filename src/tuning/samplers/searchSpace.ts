/**
 * Optuna's `IntersectionSearchSpace` (the parameters, with identical distributions, present in
 * every finished trial, in name order) and `_GroupDecomposedSearchSpace` (the parameters split
 * into groups that always appear together).
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

/**
 * Optuna's `_GroupDecomposedSearchSpace`: every finished trial's parameter set splits the groups
 * found so far into the part it shares and the part it lacks; its new names form a new group.
 */
export function groupDecomposedSearchSpace(study: StudyView, includePruned = true): SearchSpace[] {
  let groups: SearchSpace[] = [];
  const states = includePruned ? (["COMPLETE", "PRUNED"] as const) : (["COMPLETE"] as const);
  for (const trial of study.getTrials({ states })) {
    const fresh = new Set(Object.keys(trial.distributions));
    const next: SearchSpace[] = [];
    for (const group of groups) {
      const shared: SearchSpace = {};
      const rest: SearchSpace = {};
      for (const [name, dist] of Object.entries(group)) {
        if (fresh.has(name)) shared[name] = dist;
        else rest[name] = dist;
        fresh.delete(name);
      }
      next.push(shared, rest);
    }
    const added: SearchSpace = {};
    for (const name of fresh) added[name] = trial.distributions[name] as SearchSpace[string];
    next.push(added);
    groups = next.filter((g) => Object.keys(g).length > 0);
  }
  return groups;
}
