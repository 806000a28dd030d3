import { Random } from "../../util/random";
import { growTree, type GrowthLimits } from "../tree/growTree";
import type { PresortedData } from "../tree/presort";
import type { TreeArrays } from "../tree/treeArrays";

/**
 * Grows the trees whose seeds are given: each tree draws its bootstrap sample (counts of
 * `rows` draws with replacement) and its feature subsets from its own seed, so the forest
 * does not depend on which thread grows which tree.
 */
export function growForestTrees(data: PresortedData, limits: GrowthLimits, bootstrap: boolean, seeds: ArrayLike<number>): TreeArrays[] {
  const trees: TreeArrays[] = [];
  const counts = new Float64Array(data.rows);
  for (let t = 0; t < seeds.length; t++) {
    const random = new Random(seeds[t] as number);
    let weights: Float64Array | null = null;
    if (bootstrap) {
      counts.fill(0);
      for (let i = 0; i < data.rows; i++) {
        const r = random.int(data.rows);
        counts[r] = (counts[r] as number) + 1;
      }
      weights = counts;
    }
    trees.push(growTree(data, weights, limits, random));
  }
  return trees;
}
