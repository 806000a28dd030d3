/**
 * Optuna's `GridSampler`: every combination of the given values, visited once each in a random
 * order; the study stops when the grid is exhausted. The grid id and the grid itself are stored
 * as trial system attributes (`grid_id`, `search_space`) so that workers share the bookkeeping.
 */
import { Random } from "../../util/random";
import { ValueError } from "../../errors";
import { CategoricalChoice, choiceEqual, Distribution, ParamValue } from "../distributions";
import { FrozenTrial } from "../frozenTrial";
import { JsonValue } from "../json";
import { isFinished, TrialState } from "../state";
import { StudyView } from "../studyView";
import { Sampler, SearchSpace } from "./base";

/** Options of {@link GridSampler}. */
export interface GridSamplerOptions {
  seed?: number;
}

/** Exhaustive search over a grid of values. */
export class GridSampler implements Sampler {
  private readonly searchSpace: Record<string, CategoricalChoice[]> = {};
  private readonly paramNames: string[];
  private readonly allGrids: CategoricalChoice[][];
  private readonly rng: Random;

  constructor(searchSpace: Record<string, readonly CategoricalChoice[]>, options: GridSamplerOptions = {}) {
    this.paramNames = Object.keys(searchSpace).sort();
    for (const name of this.paramNames) this.searchSpace[name] = [...(searchSpace[name] as CategoricalChoice[])];
    this.allGrids = this.paramNames.reduce<CategoricalChoice[][]>(
      (grids, name) => grids.flatMap((g) => (this.searchSpace[name] as CategoricalChoice[]).map((v) => [...g, v])),
      [[]],
    );
    this.rng = new Random(options.seed ?? Math.floor(Math.random() * 2 ** 31));
  }

  /** Number of grid points. */
  get size(): number {
    return this.allGrids.length;
  }

  inferRelativeSearchSpace(): SearchSpace {
    return {};
  }

  sampleRelative(study: StudyView, trial: FrozenTrial): Record<string, ParamValue> {
    if ("grid_id" in trial.systemAttrs || "fixed_params" in trial.systemAttrs) return {};
    let target = this.unvisitedGridIds(study);
    if (target.length === 0) {
      console.warn("`GridSampler` is re-evaluating a configuration because the grid has been exhausted.");
      target = this.allGrids.map((_, i) => i);
    }
    const gridId = target[this.rng.int(target.length)] as number;
    study.setTrialSystemAttr(trial.trialId, "search_space", this.searchSpace as Record<string, JsonValue>);
    study.setTrialSystemAttr(trial.trialId, "grid_id", gridId);
    return {};
  }

  sampleIndependent(_study: StudyView, trial: FrozenTrial, name: string, distribution: Distribution): ParamValue {
    const gridId = trial.systemAttrs["grid_id"];
    if (typeof gridId !== "number") throw new ValueError("All parameters must be specified when using GridSampler with enqueue_trial.");
    const index = this.paramNames.indexOf(name);
    if (index < 0) throw new ValueError(`The parameter name, ${name}, is not found in the given grid.`);
    const value = (this.allGrids[gridId] as CategoricalChoice[])[index] as CategoricalChoice;
    if (!distribution.contains(distribution.toInternalRepr(value))) {
      console.warn(`The value \`${String(value)}\` is out of range of the parameter \`${name}\`. The value will be used but the actual distribution is: \`${JSON.stringify(distribution.toAttributes())}\`.`);
    }
    return value;
  }

  afterTrial(study: StudyView, trial: FrozenTrial, _state: TrialState): void {
    const target = this.unvisitedGridIds(study, trial.trialId);
    if (target.length === 0) study.stop();
  }

  private unvisitedGridIds(study: StudyView, finishingTrialId?: number): number[] {
    const visited = new Set<number>();
    const running = new Set<number>();
    for (const t of study.getTrials()) {
      const id = t.systemAttrs["grid_id"];
      if (typeof id !== "number" || !this.sameSearchSpace(t.systemAttrs["search_space"])) continue;
      if (isFinished(t.state) || t.trialId === finishingTrialId) visited.add(id);
      else if (t.state === "RUNNING") running.add(id);
    }
    let unvisited = this.allGrids.map((_, i) => i).filter((i) => !visited.has(i) && !running.has(i));
    if (unvisited.length === 0) unvisited = this.allGrids.map((_, i) => i).filter((i) => !visited.has(i));
    return unvisited;
  }

  private sameSearchSpace(stored: JsonValue | undefined): boolean {
    if (stored === null || stored === undefined || typeof stored !== "object" || Array.isArray(stored)) return false;
    const keys = Object.keys(stored).sort();
    if (keys.join("\u0000") !== this.paramNames.join("\u0000")) return false;
    return keys.every((k) => {
      const a = stored[k] as CategoricalChoice[];
      const b = this.searchSpace[k] as CategoricalChoice[];
      return Array.isArray(a) && a.length === b.length && a.every((v, i) => choiceEqual(v, b[i] as CategoricalChoice));
    });
  }
}
