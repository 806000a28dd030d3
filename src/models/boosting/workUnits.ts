/**
 * The units of work of one tree level and how they are cut and dealt to threads. The cut never
 * depends on the thread count, so the double sums, hence the trees, are the same at any count.
 */

/** Build the histogram of rows `idx[begin..end)` (node sums G, H) into `slot`. */
export interface BuildTask {
  readonly slot: number;
  readonly begin: number;
  readonly end: number;
  readonly G: number;
  readonly H: number;
}

/** Fill `out` with `parent - built` (the sibling's histogram). */
export interface SubtractTask {
  readonly out: number;
  readonly parent: number;
  readonly built: number;
}

/** Split rows `idx[begin..end)` on `feature`: bins <= splitBin (and missing if missingLeft) first. */
export interface PartitionTask {
  readonly begin: number;
  readonly end: number;
  readonly feature: number;
  readonly splitBin: number;
  readonly missingLeft: boolean;
}

/** Find the best split of the node whose histogram is in `slot` over `features`. */
export interface SplitRequest {
  readonly slot: number;
  readonly features: Int32Array;
  readonly G: number;
  readonly H: number;
  /** The node's own gain (XGBoost's `root_gain`). */
  readonly rootGain: number;
}

/** Nodes with at least this many rows are summed (and partitioned) in two halves, whatever the thread count. */
export const SPLIT_MIN_ROWS = 4096;

/**
 * The least work worth one command to the worker threads: waking a worker and waiting for it costs
 * 5-20 us on an idle machine and 100 us or more on a busy one, while a histogram entry, a partitioned
 * row or an evaluated bin costs 1-3 ns. (Dispatching every level's partition and evaluation doubled
 * the 2-thread training time on the OLX matrix: 4,500 commands of 50-150 us of work each.)
 */
export const MIN_PARALLEL = { entries: 50_000, rows: 32_768, bins: 65_536 };

/** One piece of histogram work: rows `idx[begin..end)` summed into `slot` (cleared first). */
export interface BuildUnit {
  readonly slot: number;
  readonly begin: number;
  readonly end: number;
}

/**
 * Cuts builds into units: a large node's rows are summed in two halves, the second into a
 * temporary slot added to the first afterwards (`merges`). The cut depends only on the node,
 * never on the thread count, so the double sums, hence the trees, are the same with 1 or 2
 * threads; it lets two threads share one node's rows.
 */
export function planBuilds(builds: readonly BuildTask[], allocSlot: () => number): { units: BuildUnit[]; merges: Array<[number, number]> } {
  const units: BuildUnit[] = [];
  const merges: Array<[number, number]> = [];
  for (const b of builds) {
    if (b.end - b.begin >= SPLIT_MIN_ROWS) {
      const mid = b.begin + ((b.end - b.begin) >> 1);
      const extra = allocSlot();
      units.push({ slot: b.slot, begin: b.begin, end: mid }, { slot: extra, begin: mid, end: b.end });
      merges.push([b.slot, extra]);
    } else {
      units.push({ slot: b.slot, begin: b.begin, end: b.end });
    }
  }
  return { units, merges };
}

/** One piece of partition work: rows `begin..end` of `task`'s node. */
export interface PartitionUnit {
  readonly task: PartitionTask;
  readonly begin: number;
  readonly end: number;
}

/** Deals `sizes` to `threads` threads, each to the least loaded so far, in order; returns each item's thread. */
export function dealBySize(sizes: readonly number[], threads: number): number[] {
  const load = new Float64Array(threads);
  return sizes.map((size) => {
    let best = 0;
    for (let k = 1; k < threads; k++) if ((load[k] as number) < (load[best] as number)) best = k;
    load[best] = (load[best] as number) + size;
    return best;
  });
}
