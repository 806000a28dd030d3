import { ValueError } from "../errors";
import { Random } from "../util/random";

/** One cross-validation split: row indices to train on and to test on, both ascending. */
export interface Fold {
  readonly train: Int32Array;
  readonly test: Int32Array;
}

/** Anything that splits `nSamples` rows into folds (KFold, RepeatedKFold, ...). */
export interface Splitter {
  /** The folds, in order. */
  split(nSamples: number): Fold[];
  /** How many folds `split` returns. */
  getNSplits(): number;
}

/** Options of {@link KFold}. */
export interface KFoldOptions {
  /** Number of folds, at least 2 (default 5). */
  nSplits?: number;
  /** Shuffle the rows before cutting them into folds (default false). */
  shuffle?: boolean;
  /** Seed of the shuffle (default 0); ignored without `shuffle`. */
  seed?: number;
}

/**
 * K-fold cross-validation, after scikit-learn's `KFold`: the first `n % k` folds hold one
 * row more than the others; each fold is the test set once. Indices come out ascending.
 */
export class KFold implements Splitter {
  readonly nSplits: number;
  readonly shuffle: boolean;
  readonly seed: number;

  constructor(options: KFoldOptions = {}) {
    this.nSplits = options.nSplits ?? 5;
    this.shuffle = options.shuffle ?? false;
    this.seed = options.seed ?? 0;
    if (!Number.isInteger(this.nSplits) || this.nSplits < 2) {
      throw new ValueError(`KFold: nSplits must be an integer >= 2, got ${this.nSplits}`);
    }
  }

  getNSplits(): number {
    return this.nSplits;
  }

  split(nSamples: number): Fold[] {
    const order = new Int32Array(nSamples);
    for (let i = 0; i < nSamples; i++) order[i] = i;
    if (this.shuffle) new Random(this.seed).shuffle<number, Int32Array>(order);
    return foldsFromOrder(order, this.nSplits);
  }
}

/** Cuts `order` into `k` consecutive test blocks (sklearn's fold sizes) and returns sorted folds. */
export function foldsFromOrder(order: Int32Array, k: number): Fold[] {
  const n = order.length;
  if (k > n) throw new ValueError(`KFold: nSplits=${k} is greater than the number of samples ${n}`);
  const folds: Fold[] = [];
  const inTest = new Uint8Array(n);
  let start = 0;
  for (let f = 0; f < k; f++) {
    const size = Math.floor(n / k) + (f < n % k ? 1 : 0);
    inTest.fill(0);
    for (let p = start; p < start + size; p++) inTest[order[p] as number] = 1;
    const test = new Int32Array(size);
    const train = new Int32Array(n - size);
    let a = 0;
    let b = 0;
    for (let i = 0; i < n; i++) {
      if (inTest[i] === 1) test[a++] = i;
      else train[b++] = i;
    }
    folds.push({ train, test });
    start += size;
  }
  return folds;
}

/** Options of {@link RepeatedKFold}. */
export interface RepeatedKFoldOptions {
  /** Folds per repetition (default 5). */
  nSplits?: number;
  /** Number of repetitions, each with a fresh shuffle (default 10). */
  nRepeats?: number;
  /** Seed of the shuffles (default 0). */
  seed?: number;
}

/** K-fold repeated `nRepeats` times with different shuffles, after scikit-learn's `RepeatedKFold`. */
export class RepeatedKFold implements Splitter {
  readonly nSplits: number;
  readonly nRepeats: number;
  readonly seed: number;

  constructor(options: RepeatedKFoldOptions = {}) {
    this.nSplits = options.nSplits ?? 5;
    this.nRepeats = options.nRepeats ?? 10;
    this.seed = options.seed ?? 0;
    if (!Number.isInteger(this.nSplits) || this.nSplits < 2) {
      throw new ValueError(`RepeatedKFold: nSplits must be an integer >= 2, got ${this.nSplits}`);
    }
    if (!Number.isInteger(this.nRepeats) || this.nRepeats < 1) {
      throw new ValueError(`RepeatedKFold: nRepeats must be an integer >= 1, got ${this.nRepeats}`);
    }
  }

  getNSplits(): number {
    return this.nSplits * this.nRepeats;
  }

  split(nSamples: number): Fold[] {
    const random = new Random(this.seed);
    const folds: Fold[] = [];
    for (let r = 0; r < this.nRepeats; r++) {
      folds.push(...foldsFromOrder(random.permutation(nSamples), this.nSplits));
    }
    return folds;
  }
}
