import { describe, expect, it } from "vitest";
import { DMatrix, train } from "../../src/models/boosting";
import { HistEngine } from "../../src/models/boosting/histEngine";
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

describe("HistEngine (WebAssembly kernels)", () => {
  it("sums a node's histogram like a direct sum over its rows, implicit bins included", () => {
    const { q, rng } = setup(6000, 9, 0);
    const e = new HistEngine(q);
    const { grad, hess } = randomGradients(q.rows, rng);
    e.setGradients(grad, hess);
    const rows = Array.from({ length: q.rows }, (_, i) => i).filter(() => rng.random() < 0.4);
    e.idx.set(rows);
    let G = 0;
    let H = 0;
    for (const r of rows) {
      G += grad[r] as number;
      H += hess[r] as number;
    }
    const slot = e.allocSlot();
    e.run([{ slot, begin: 0, end: rows.length, G, H }], []);
    const want = directHistogram(q, rows, grad, hess);
    const got = e.histogram(slot);
    for (let i = 0; i < want.length; i++) expect(got[i]).toBeCloseTo(want[i] as number, 8);
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
    for (const e of [a, b]) for (let i = 0; i < q.rows; i++) e.idx[i] = i;
    const sa = a.allocSlot();
    const sb = b.allocSlot();
    a.run([{ slot: sa, begin: 0, end: q.rows, G: 0, H: 0 }], []);
    b.run([{ slot: sb, begin: 0, end: q.rows, G: 0, H: 0 }], []);
    expect(Array.from(b.histogram(sb))).toEqual(Array.from(a.histogram(sa)));
  });

  it("partitions rows stably, missing values by the default direction", () => {
    const { q } = setup(5000, 6, 0.1);
    for (const missingLeft of [false, true]) {
      const e = new HistEngine(q);
      const rows = Array.from({ length: q.rows }, (_, i) => i).filter((r) => r % 3 !== 0);
      e.idx.set(rows);
      const f = 2;
      const splitBin = 20;
      const goesLeft = (r: number): boolean => {
        const b = q.colBins[f * q.rows + r] as number;
        return b === MISSING_BIN ? missingLeft && q.hasMissing[f] === 1 : b <= splitBin;
      };
      const [mid] = e.partition([{ begin: 0, end: rows.length, feature: f, splitBin, missingLeft }]);
      const want = [...rows.filter(goesLeft), ...rows.filter((r) => !goesLeft(r))];
      expect(mid).toBe(rows.filter(goesLeft).length);
      expect(Array.from(e.idx.subarray(0, rows.length))).toEqual(want);
    }
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
