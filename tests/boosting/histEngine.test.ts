import { describe, expect, it } from "vitest";
import { DMatrix, train } from "../../src/models/boosting";
import { HistEngine } from "../../src/models/boosting/histEngine";
import { resolveParams } from "../../src/models/boosting/params";
import { SplitEvaluator } from "../../src/models/boosting/splitEvaluator";
import { MISSING_BIN, quantize, QuantizedMatrix } from "../../src/models/boosting/quantized";
import { Random } from "../../src/util/random";
import { synthetic } from "./synthetic";

/** Brute force: the (gradient, hessian) sums of every bin over `rows`, straight from the bins. */
function directHistogram(q: QuantizedMatrix, rows: readonly number[], grad: Float32Array, hess: Float32Array): Float64Array {
  const out = new Float64Array(q.totalBins * 2);
  for (const r of rows) {
    for (let f = 0; f < q.cols; f++) {
      const b = q.colBins[f * q.rows + r] as number;
      if (b === MISSING_BIN) continue;
      const g = (q.cuts.ptrs[f] as number) + b;
      out[2 * g] = (out[2 * g] as number) + (grad[r] as number);
      out[2 * g + 1] = (out[2 * g + 1] as number) + (hess[r] as number);
    }
  }
  return out;
}

function setup(rows: number, cols: number, missing: number): { q: QuantizedMatrix; rng: Random } {
  const m = synthetic(rows, cols, 11, missing);
  const q = quantize(Float32Array.from(m.X.data), rows, cols, 64, null);
  return { q, rng: new Random(3) };
}

function randomGradients(n: number, rng: Random): { grad: Float32Array; hess: Float32Array } {
  const grad = new Float32Array(n);
  const hess = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    grad[i] = rng.normal();
    hess[i] = 0.5 + rng.random();
  }
  return { grad, hess };
}

/** The rows going left of a split of `rows` on feature `f` at `splitBin`, and those going right, in order. */
function splitRows(q: QuantizedMatrix, rows: readonly number[], f: number, splitBin: number, missingLeft: boolean): [number[], number[]] {
  const goesLeft = (r: number): boolean => {
    const b = q.colBins[f * q.rows + r] as number;
    return b === MISSING_BIN ? missingLeft && q.hasMissing[f] === 1 : b <= splitBin;
  };
  return [rows.filter(goesLeft), rows.filter((r) => !goesLeft(r))];
}

function expectHistogram(got: Float64Array, want: Float64Array): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) expect(got[i]).toBeCloseTo(want[i] as number, 8);
}

describe("HistEngine (WebAssembly kernels)", () => {
  it("sums the root and a split's children like direct sums over their rows, implicit bins included", () => {
    // 40,000 rows: two shards, whose partial histograms are added.
    const { q, rng } = setup(40_000, 9, 0.05);
    const e = new HistEngine(q);
    e.setSplitParams(new SplitEvaluator(resolveParams({})).kernelParams());
    expect(e.shards).toBe(2);
    const { grad, hess } = randomGradients(q.rows, rng);
    e.setGradients(grad, hess);
    const all = Array.from({ length: q.rows }, (_, i) => i);
    const root = e.allocSlot();
    const { G, H } = e.buildRoot(root);
    expect(G).toBeCloseTo(all.reduce((a, r) => a + (grad[r] as number), 0), 6);
    expect(H).toBeCloseTo(all.reduce((a, r) => a + (hess[r] as number), 0), 6);
    expectHistogram(e.histogram(root), directHistogram(q, all, grad, hess));

    const f = 3;
    const splitBin = 17;
    const [left, right] = splitRows(q, all, f, splitBin, true);
    const sum = (rows: number[], v: Float32Array): number => rows.reduce((a, r) => a + (v[r] as number), 0);
    const built = e.allocSlot();
    const subtracted = e.allocSlot();
    const features = Int32Array.from({ length: q.cols }, (_, i) => i);
    const request = (slot: number, rows: number[]) => ({ slot, features, G: sum(rows, grad), H: sum(rows, hess), rootGain: 0 });
    const requests = [request(built, left), request(subtracted, right)];
    const found = e.splitAndBuild([{ node: 0, left: 1, right: 2, feature: f, splitBin, missingLeft: true }],
      [{ node: 1, slot: built, G: sum(left, grad), H: sum(left, hess) }], [{ out: subtracted, parent: root, built }], requests);
    expectHistogram(e.histogram(built), directHistogram(q, left, grad, hess));
    expectHistogram(e.histogram(subtracted), directHistogram(q, right, grad, hess));
    // The level's split evaluation finds what evaluating the finished histograms again finds.
    expect(found).toEqual(e.bestSplits(requests));
    expect(found.every((c) => c.feature >= 0 && c.feature < q.cols && Number.isFinite(c.loss))).toBe(true);
    e.close();
  });

  it("gives bit-identical histograms with 16-bit and 32-bit entries", () => {
    const { q, rng } = setup(3000, 7, 0.05);
    const wide: QuantizedMatrix = { ...q, entries: Uint32Array.from(q.entries) };
    const a = new HistEngine(q);
    const b = new HistEngine(wide);
    const { grad, hess } = randomGradients(q.rows, rng);
    a.setGradients(grad, hess);
    b.setGradients(grad, hess);
    const sa = a.allocSlot();
    const sb = b.allocSlot();
    a.buildRoot(sa);
    b.buildRoot(sb);
    expect(Array.from(b.histogram(sb))).toEqual(Array.from(a.histogram(sa)));
    a.close();
    b.close();
  });

  it("partitions rows stably, missing values by the default direction, across shards", () => {
    const { q, rng } = setup(40_000, 6, 0.1);
    const all = Array.from({ length: q.rows }, (_, i) => i);
    for (const missingLeft of [false, true]) {
      const e = new HistEngine(q);
      const { grad, hess } = randomGradients(q.rows, rng);
      e.setGradients(grad, hess);
      e.buildRoot(e.allocSlot());
      // Two levels: node 0 on feature 2, then its left child 1 on feature 4.
      e.splitAndBuild([{ node: 0, left: 1, right: 2, feature: 2, splitBin: 20, missingLeft }], [], [], []);
      e.splitAndBuild([{ node: 1, left: 3, right: 4, feature: 4, splitBin: 9, missingLeft }], [], [], []);
      const [l, r] = splitRows(q, all, 2, 20, missingLeft);
      const [ll, lr] = splitRows(q, l, 4, 9, missingLeft);
      expect(Array.from(e.rowsOf(2))).toEqual(r);
      expect(Array.from(e.rowsOf(3))).toEqual(ll);
      expect(Array.from(e.rowsOf(4))).toEqual(lr);
      e.close();
    }
  });

  it("adds queued leaf values to the predictions of their rows", () => {
    const { q, rng } = setup(40_000, 6, 0.1);
    const e = new HistEngine(q);
    const { grad, hess } = randomGradients(q.rows, rng);
    e.setGradients(grad, hess);
    e.fillPredictions(0.5);
    e.buildRoot(e.allocSlot());
    const split = { node: 0, left: 1, right: 2, feature: 1, splitBin: 12, missingLeft: true };
    e.splitAndBuild([split], [], [], []);
    // Node 1 is a partitioned leaf; node 2's split (5, 6) is a last-level split.
    const last = { node: 2, left: 5, right: 6, feature: 3, splitBin: 30, missingLeft: false };
    e.queueLeafValues([{ node: 1, value: Math.fround(0.25) }], [{ split: last, leftValue: Math.fround(-1.5), rightValue: Math.fround(2) }]);
    const all = Array.from({ length: q.rows }, (_, i) => i);
    const [one, two] = splitRows(q, all, 1, 12, true);
    const [five, six] = splitRows(q, two, 3, 30, false);
    const want = new Float32Array(q.rows).fill(0.5);
    for (const r of one) want[r] = Math.fround(0.5 + 0.25);
    for (const r of five) want[r] = Math.fround(0.5 - 1.5);
    for (const r of six) want[r] = Math.fround(0.5 + 2);
    expect(Array.from(e.predictions())).toEqual(Array.from(want));
    e.close();
  });
});

describe("engine memory reuse", () => {
  it("gives the same model on a reused arena as on a fresh one", () => {
    const m = synthetic(3000, 6, 5, 0.05);
    const d = new DMatrix(m.X, { label: m.y });
    const p = { max_depth: 4, eta: 0.3, subsample: 0.9, seed: 3 };
    // The first run may get a fresh arena; the next ones reuse arenas released by earlier runs.
    const runs = [1, 2, 3].map(() => JSON.stringify(train(p, d, { numBoostRound: 5 }).toJSON()));
    expect(runs[1]).toBe(runs[0]);
    expect(runs[2]).toBe(runs[0]);
  });
});
