import { ValueError } from "../errors";
import { Random } from "../util/random";

/** Options of {@link trainTestSplit}. */
export interface TrainTestSplitOptions {
  /** Fraction of rows in the test part (0..1), or an absolute count (>= 1). Default 0.25 as scikit-learn. */
  readonly testSize?: number;
  /** Seed of the shuffle; the same seed gives the same split. Default 0. */
  readonly seed?: number;
  /** Shuffle before splitting (default true). */
  readonly shuffle?: boolean;
}

/** Row indices of the two parts of a split. */
export interface SplitIndices {
  readonly train: Int32Array;
  readonly test: Int32Array;
}

/**
 * A seeded, deterministic train/test split of `n` rows, sized as scikit-learn sizes it:
 * the test part gets ceil(testSize * n) rows, the train part the rest.
 */
export function trainTestSplit(n: number, options: TrainTestSplitOptions = {}): SplitIndices {
  const testSize = options.testSize ?? 0.25;
  if (!Number.isInteger(n) || n < 2) throw new ValueError(`trainTestSplit: n must be an integer >= 2, got ${n}`);
  if (!(testSize > 0) || (testSize >= 1 && !Number.isInteger(testSize)) || testSize >= n) {
    throw new ValueError(`trainTestSplit: testSize must be a fraction in (0, 1) or a count below ${n}, got ${testSize}`);
  }
  const nTest = testSize < 1 ? Math.ceil(testSize * n) : testSize;
  if (nTest >= n) throw new ValueError(`trainTestSplit: testSize ${testSize} leaves no training rows out of ${n}`);
  let order: Int32Array;
  if (options.shuffle ?? true) order = new Random(options.seed ?? 0).permutation(n);
  else order = Int32Array.from({ length: n }, (_, i) => i);
  // scikit-learn's ShuffleSplit takes the test rows first from the permutation.
  return { test: order.slice(0, nTest), train: order.slice(nTest) };
}
