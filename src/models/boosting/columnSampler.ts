import type { Random } from "../../util/random";

/**
 * Feature subsets per tree, level and node (XGBoost's `ColumnSampler`): each level draws
 * `max(1, floor(ratio * n))` features from the set above it, kept in increasing order.
 * With all ratios 1 every set is all features and no random numbers are drawn.
 */
export class ColumnSampler {
  private tree: Int32Array;
  private level: Int32Array;

  constructor(private readonly nFeatures: number, private readonly byTree: number,
    private readonly byLevel: number, private readonly byNode: number, private readonly rng: Random) {
    this.tree = Int32Array.from({ length: nFeatures }, (_, i) => i);
    this.level = this.tree;
  }

  /** Whether any sampling happens at all. */
  get active(): boolean {
    return this.byTree < 1 || this.byLevel < 1 || this.byNode < 1;
  }

  /** Starts a tree: draws its feature set. */
  newTree(): void {
    const all = Int32Array.from({ length: this.nFeatures }, (_, i) => i);
    this.tree = this.draw(all, this.byTree);
    this.level = this.tree;
  }

  /** Starts a level: draws its feature set from the tree's. */
  newLevel(): void {
    this.level = this.draw(this.tree, this.byLevel);
  }

  /** The features a node may split on. */
  forNode(): Int32Array {
    return this.draw(this.level, this.byNode);
  }

  private draw(from: Int32Array, ratio: number): Int32Array {
    if (ratio >= 1) return from;
    const n = Math.max(1, Math.floor(ratio * from.length));
    const copy = from.slice();
    this.rng.shuffle<number, Int32Array>(copy);
    return copy.subarray(0, n).sort();
  }
}
