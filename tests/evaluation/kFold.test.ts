import { describe, expect, it } from "vitest";
import { KFold, RepeatedKFold, type Fold } from "../../src/evaluation/kFold";

function checkPartition(folds: Fold[], n: number): void {
  const seen = new Uint8Array(n);
  for (const { train, test } of folds) {
    expect(train.length + test.length).toBe(n);
    const inTest = new Set(test);
    for (const i of train) expect(inTest.has(i)).toBe(false);
    for (const i of test) seen[i] = (seen[i] as number) + 1;
    for (let a = 1; a < test.length; a++) expect(test[a]).toBeGreaterThan(test[a - 1] as number);
    for (let a = 1; a < train.length; a++) expect(train[a]).toBeGreaterThan(train[a - 1] as number);
  }
  expect(Array.from(seen).every((c) => c === 1)).toBe(true);
}

describe("KFold", () => {
  it("gives the first n % k folds one extra row (scikit-learn's sizes) and contiguous blocks unshuffled", () => {
    const folds = new KFold({ nSplits: 3 }).split(11);
    expect(folds.map((f) => f.test.length)).toEqual([4, 4, 3]);
    expect(Array.from(folds[0]!.test)).toEqual([0, 1, 2, 3]);
    expect(Array.from(folds[2]!.test)).toEqual([8, 9, 10]);
    checkPartition(folds, 11);
  });
  it("shuffles with a seed: reproducible, different from unshuffled, still a partition", () => {
    const a = new KFold({ nSplits: 5, shuffle: true, seed: 7 }).split(103);
    const b = new KFold({ nSplits: 5, shuffle: true, seed: 7 }).split(103);
    const c = new KFold({ nSplits: 5, shuffle: true, seed: 8 }).split(103);
    checkPartition(a, 103);
    expect(a.map((f) => Array.from(f.test))).toEqual(b.map((f) => Array.from(f.test)));
    expect(a.map((f) => Array.from(f.test))).not.toEqual(c.map((f) => Array.from(f.test)));
    expect(Array.from(a[0]!.test)).not.toEqual(Array.from(new KFold({ nSplits: 5 }).split(103)[0]!.test));
    expect(a.map((f) => f.test.length)).toEqual([21, 21, 21, 20, 20]);
  });
  it("rejects bad nSplits and more folds than rows", () => {
    expect(() => new KFold({ nSplits: 1 })).toThrow(/nSplits must be an integer >= 2/);
    expect(() => new KFold({ nSplits: 5 }).split(3)).toThrow(/greater than the number of samples 3/);
  });
});

describe("RepeatedKFold", () => {
  it("repeats differently shuffled partitions", () => {
    const splitter = new RepeatedKFold({ nSplits: 4, nRepeats: 2, seed: 3 });
    const folds = splitter.split(50);
    expect(folds.length).toBe(8);
    expect(splitter.getNSplits()).toBe(8);
    checkPartition(folds.slice(0, 4), 50);
    checkPartition(folds.slice(4), 50);
    expect(Array.from(folds[0]!.test)).not.toEqual(Array.from(folds[4]!.test));
  });
});
