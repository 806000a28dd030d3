/**
 * The work of one tree level as the grower asks the engine for it. Nodes are tree node ids;
 * histograms live in the engine's slots.
 */

/** Split the rows of `node` on `feature` into `left` (bins <= splitBin, and missing if missingLeft) and `right`. */
export interface NodeSplit {
  readonly node: number;
  readonly left: number;
  readonly right: number;
  readonly feature: number;
  readonly splitBin: number;
  readonly missingLeft: boolean;
}

/** Build the histogram of `node`'s rows (node sums G, H) into `slot`. */
export interface BuildTask {
  readonly node: number;
  readonly slot: number;
  readonly G: number;
  readonly H: number;
}

/** Fill `out` with `parent - built` (the sibling's histogram). */
export interface SubtractTask {
  readonly out: number;
  readonly parent: number;
  readonly built: number;
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

/** Add the float32 `value` to the predictions of `node`'s rows. */
export interface LeafUpdate {
  readonly node: number;
  readonly value: number;
}

/** Add `leftValue` or `rightValue` (float32) to the predictions of `split.node`'s rows, by the side of the split they fall on. */
export interface SplitLeafUpdate {
  readonly split: NodeSplit;
  readonly leftValue: number;
  readonly rightValue: number;
}
