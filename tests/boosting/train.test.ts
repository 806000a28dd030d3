import { describe, expect, it } from "vitest";
import { takeRows, takeValues } from "../../src/util/matrix";
import { Booster, cv, DMatrix, EarlyStopping, evaluateMetric, makeFolds, train } from "../../src/models/boosting";
import type { CallbackModel, EvalsLog, TrainingCallback } from "../../src/models/boosting";
import { synthetic } from "./synthetic";

const { X, y } = synthetic(600, 8, 1);
const split = (lo: number, hi: number) => {
  const idx = Array.from({ length: hi - lo }, (_, i) => lo + i);
  return new DMatrix(takeRows(X, idx), { label: takeValues(y, idx) });
};
const dtrain = split(0, 450);
const dvalid = split(450, 600);
const params = { eta: 0.3, max_depth: 4 };

describe("train", () => {
  it("fits the training data better round after round (squared error)", () => {
    const b = train(params, dtrain, { numBoostRound: 20, evals: [[dtrain, "train"]] });
    const hist = b.evalsResult.train!.rmse!;
    for (let i = 1; i < hist.length; i++) expect(hist[i]!).toBeLessThanOrEqual(hist[i - 1]! + 1e-9);
  });

  it("logs every metric of every eval set, equal to the metric of the predictions", () => {
    const b = train({ ...params, eval_metric: ["rmse", "mae", "mape"] }, dtrain, {
      numBoostRound: 5, evals: [[dtrain, "train"], [dvalid, "valid"]],
    });
    expect(Object.keys(b.evalsResult)).toEqual(["train", "valid"]);
    expect(Object.keys(b.evalsResult.valid!)).toEqual(["rmse", "mae", "mape"]);
    const p = b.predict(dvalid);
    const label = dvalid.label!;
    // Closed forms, in double precision (XGBoost uses float32 per row; tolerance covers it).
    let se = 0, ae = 0, ape = 0;
    for (let i = 0; i < p.length; i++) {
      const d = label[i]! - p[i]!;
      se += d * d; ae += Math.abs(d); ape += Math.abs(d / label[i]!);
    }
    const n = p.length;
    expect(b.evalsResult.valid!.rmse![4]).toBeCloseTo(Math.sqrt(se / n), 4);
    expect(b.evalsResult.valid!.mae![4]).toBeCloseTo(ae / n, 4);
    expect(b.evalsResult.valid!.mape![4]).toBeCloseTo(ape / n, 6);
  });

  it("estimates base_score as the label mean when not given (XGBoost 2.x), uses it when given", () => {
    let mean = 0;
    for (let i = 0; i < 450; i++) mean += y[i]!;
    mean /= 450;
    expect(train(params, dtrain, { numBoostRound: 0 }).baseScore).toBeCloseTo(mean, 4);
    expect(train({ ...params, base_score: 0.5 }, dtrain, { numBoostRound: 0 }).predict(dvalid)[0]).toBe(0.5);
  });

  it("estimates pseudo-Huber's base_score by one Newton step from zero (closed form)", () => {
    const d = new DMatrix({ rows: 2, cols: 1, data: Float64Array.from([0, 1]) }, { label: [1, 3] });
    const b = train({ objective: "reg:pseudohubererror" }, d, { numBoostRound: 0 });
    const expected = (1 / Math.SQRT2 + 3 / Math.sqrt(10)) / (2 ** -1.5 + 10 ** -1.5);
    expect(b.baseScore).toBeCloseTo(expected, 5);
    const med = train({ objective: "reg:absoluteerror" }, new DMatrix({ rows: 3, cols: 1, data: Float64Array.from([0, 1, 2]) }, { label: [5, 1, 9] }), { numBoostRound: 0 });
    expect(med.baseScore).toBe(5);
  });

  it("early stopping keeps the round with the best last metric of the last eval set", () => {
    const b = train({ eta: 0.8, max_depth: 6, min_child_weight: 0 }, dtrain, {
      numBoostRound: 200, evals: [[dtrain, "train"], [dvalid, "valid"]], earlyStoppingRounds: 5,
    });
    const hist = b.evalsResult.valid!.rmse!;
    const best = hist.indexOf(Math.min(...hist));
    expect(b.bestIteration).toBe(best);
    expect(b.bestScore).toBe(hist[best]);
    expect(hist.length).toBe(best + 6);
    expect(b.numBoostedRounds()).toBe(hist.length);
  });

  it("stops when a callback returns true, and lets a callback's exception through", () => {
    const stopAt3: TrainingCallback = { afterIteration: (_m: CallbackModel, epoch: number) => epoch === 2 };
    expect(train(params, dtrain, { numBoostRound: 10, callbacks: [stopAt3] }).numBoostedRounds()).toBe(3);
    class TrialPruned extends Error {}
    const seen: number[] = [];
    const pruner: TrainingCallback = {
      afterIteration(_m: CallbackModel, epoch: number, log: EvalsLog) {
        seen.push(log.valid!.rmse!.length);
        if (epoch === 4) throw new TrialPruned("pruned at 4");
        return false;
      },
    };
    expect(() => train(params, dtrain, { numBoostRound: 10, evals: [[dvalid, "valid"]], callbacks: [pruner] })).toThrow(TrialPruned);
    expect(seen).toEqual([1, 2, 3, 4, 5]);
  });

  it("predicts with an iteration range as the sum of those trees' contributions", () => {
    const b = train(params, dtrain, { numBoostRound: 10 });
    const all = b.predict(dvalid);
    const first4 = b.predict(dvalid, { iterationRange: [0, 4] });
    const last6 = b.predict(dvalid, { iterationRange: [4, 10] });
    const none = b.predict(dvalid, { iterationRange: [4, 4] });
    for (let i = 0; i < all.length; i++) {
      expect(none[i]).toBe(b.baseScore);
      expect(first4[i]! + last6[i]! - b.baseScore).toBeCloseTo(all[i]!, 3);
    }
    const shorter = train(params, dtrain, { numBoostRound: 4 }).predict(dvalid);
    expect(Array.from(first4)).toEqual(Array.from(shorter));
    expect(() => b.predict(dvalid, { iterationRange: [0, 11] })).toThrow(/iterationRange/);
  });

  it("reports feature importance consistent with the trees", () => {
    const b = train(params, dtrain, { numBoostRound: 8 });
    const weight = b.getScore("weight");
    const totalGain = b.getScore("total_gain");
    const gain = b.getScore("gain");
    const cover = b.getScore("cover");
    const totalCover = b.getScore("total_cover");
    let splits = 0;
    for (const t of b.trees) for (let i = 0; i < t.left.length; i++) if (t.left[i] !== -1) splits++;
    expect(Object.values(weight).reduce((a, v) => a + v, 0)).toBe(splits);
    for (const name of Object.keys(weight)) {
      expect(gain[name]! * weight[name]!).toBeCloseTo(totalGain[name]!, 3);
      expect(cover[name]! * weight[name]!).toBeCloseTo(totalCover[name]!, 3);
    }
    // x0 and x1 drive y; irrelevant x4..x7 (normal noise) must gain far less than x1.
    expect(totalGain.f1!).toBeGreaterThan(10 * (totalGain.f5 ?? 0));
  });

  it("routes missing values by a learned default direction", () => {
    const m = synthetic(800, 4, 7, 0.2);
    const d = new DMatrix(m.X, { label: m.y });
    const b = train({ max_depth: 3 }, d, { numBoostRound: 5, evals: [[d, "train"]] });
    const hist = b.evalsResult.train!.rmse!;
    expect(hist[4]!).toBeLessThan(hist[0]!);
    const withDefaults = b.trees.some((t) => Array.from(t.defaultLeft).some((v) => v === 1));
    expect(withDefaults).toBe(true);
    // Training-time leaf assignment (via bins) agrees with prediction-time traversal (via values).
    const p = b.predict(d);
    const rmse = evaluateMetric("rmse", p, d.label!, null);
    expect(rmse).toBeCloseTo(hist[4]!, 10);
  });

  it("supports reg:absoluteerror and reg:pseudohubererror", () => {
    for (const objective of ["reg:absoluteerror", "reg:pseudohubererror"] as const) {
      // base_score near the labels: from a far start pseudo-Huber's hessians vanish (as in XGBoost).
      const b = train({ objective, eta: 0.5, base_score: 10 }, dtrain, { numBoostRound: 10, evals: [[dtrain, "train"]] });
      const metric = objective === "reg:absoluteerror" ? "mae" : "mphe";
      const h = b.evalsResult.train![metric]!;
      expect(h[9]!).toBeLessThan(h[0]!);
    }
  });

  it("subsamples rows and columns reproducibly by seed", () => {
    const p = { ...params, subsample: 0.7, colsample_bytree: 0.5, colsample_bynode: 0.8, seed: 3 };
    const a = train(p, dtrain, { numBoostRound: 5 }).predict(dvalid);
    const b = train(p, dtrain, { numBoostRound: 5 }).predict(dvalid);
    const c = train({ ...p, seed: 4 }, dtrain, { numBoostRound: 5 }).predict(dvalid);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
  });
});

describe("cv", () => {
  const all = new DMatrix(X, { label: y });

  it("reports per-round mean and population std over folds, equal to training each fold", () => {
    const folds = makeFolds(X.rows, 3, 11, true);
    const res = cv(params, all, { folds, numBoostRound: 6 });
    expect(Object.keys(res).sort()).toEqual(["test-rmse-mean", "test-rmse-std", "train-rmse-mean", "train-rmse-std"]);
    const perFold = folds.map((f) => {
      const tr = all.slice(f.train);
      const te = all.slice(f.test);
      return train(params, tr, { numBoostRound: 6, evals: [[te, "test"]] }).evalsResult.test!.rmse!;
    });
    for (let r = 0; r < 6; r++) {
      const v = perFold.map((h) => h[r]!);
      const mean = v.reduce((a, b) => a + b, 0) / v.length;
      const std = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
      expect(res["test-rmse-mean"]![r]).toBeCloseTo(mean, 10);
      expect(res["test-rmse-std"]![r]).toBeCloseTo(std, 10);
    }
  });

  it("stops early like xgb.cv, truncating the history at the best round", () => {
    const res = cv({ eta: 0.9, max_depth: 8, min_child_weight: 0 }, all, { nfold: 3, seed: 2, numBoostRound: 300, earlyStoppingRounds: 4 });
    const h = res["test-rmse-mean"]!;
    expect(h.length).toBeLessThan(300);
    expect(h.indexOf(Math.min(...h))).toBe(h.length - 1);
  });

  it("hands the callbacks the mean test metric and lets exceptions through", () => {
    const seen: number[] = [];
    const cb = new EarlyStopping({ rounds: 100 });
    const spy: TrainingCallback = {
      afterIteration(model: CallbackModel, _e: number, log: EvalsLog) {
        expect("kind" in model && model.kind === "cv").toBe(true);
        seen.push(log.test!.rmse!.at(-1)!);
        if (seen.length === 3) throw new RangeError("stop here");
        return false;
      },
    };
    expect(() => cv(params, all, { nfold: 2, numBoostRound: 10, callbacks: [cb, spy] })).toThrow(RangeError);
    expect(seen.length).toBe(3);
  });

  it("rejects bad folds arguments", () => {
    expect(() => cv(params, all, { nfold: 1 })).toThrow(/nfold/);
    expect(() => cv(params, all, { folds: [{ train: [0, 1], test: [9999] }] })).toThrow(/row index 9999/);
  });
});

describe("Booster JSON", () => {
  it("round-trips through our JSON with identical predictions and metadata", () => {
    const b = train(params, dtrain, { numBoostRound: 7, evals: [[dvalid, "v"]], earlyStoppingRounds: 50 });
    const back = Booster.fromJSON(JSON.parse(JSON.stringify(b.toJSON())));
    expect(Array.from(back.predict(dvalid))).toEqual(Array.from(b.predict(dvalid)));
    expect(back.bestIteration).toBe(b.bestIteration);
    expect(back.getScore("total_gain")).toEqual(b.getScore("total_gain"));
    expect(() => Booster.fromJSON({ format: "other" } as never)).toThrow(/format/);
  });
});
