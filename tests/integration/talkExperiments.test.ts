// What the talk's third part adds to the experiments: the random forest scored on the tuning's
// own holdout (the baseline tuning must beat), and progress lines with "n of N" and time left.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { holdoutBaseline, prepareOlx, RandomForestRegressor, rmse, runHyperOpt, type TrialProgress } from "../../src";

describe("the baseline on the tuning's holdout", () => {
  it("is part 2's forest (the simple trainer's settings) trained on the training part and scored on the holdout", async () => {
    const data = prepareOlx({ seed: 42 });
    const baseline = await holdoutBaseline(data);
    const forest = new RandomForestRegressor({ seed: 111 }).fit(data.XTrain, data.yTrain);
    expect(baseline.holdout.rmse).toBe(rmse(data.yTest, forest.predict(data.XTest)));
    expect(baseline.name).toBe("RandomForest");
    await expect(holdoutBaseline(data, "Lasso")).rejects.toThrow(/no simple-trainer model named "Lasso" \(choose one of Ridge, RandomForest, LinearSVR, KNN\)/);
  });
});

describe("a tuning run's progress", () => {
  it("counts n of N after every trial, with the best value so far and a time left that ends at zero", async () => {
    const seen: TrialProgress[] = [];
    const { study } = await runHyperOpt({ trials: 4, numBoostRound: 15, earlyStoppingRounds: 5, nWarmupSteps: 3, tracking: false, onProgress: (p) => seen.push(p) });
    expect(seen.map((p) => `${p.done}/${p.total}`)).toEqual(["1/4", "2/4", "3/4", "4/4"]);
    expect(seen.map((p) => p.trial.number)).toEqual(study.trials.map((t) => t.number));
    expect(seen[3]?.remainingSeconds).toBe(0);
    expect(seen[3]?.bestValue).toBe(study.bestValue);
    for (const p of seen.slice(0, 3)) expect(p.remainingSeconds).toBeCloseTo((p.elapsedSeconds / p.done) * (4 - p.done), 6);
  });
});

describe("the tune command's progress", () => {
  it("prints one line per trial on stderr: n of N, and the time left until the last says done", () => {
    const bin = join(__dirname, "..", "..", "bin", "mlflow-demo-ts.js");
    const env = { ...process.env };
    delete env["OLX_CSV"]; // the bundled sample
    const r = spawnSync(process.execPath, [bin, "tune", "--trials", "3", "--rounds", "12", "--no-tracking"], { encoding: "utf8", env });
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stderr.trim().split("\n").filter((l) => / of 3 {2}trial/.test(l));
    expect(lines.map((l) => l.trim().slice(0, 6))).toEqual(["1 of 3", "2 of 3", "3 of 3"]);
    expect(lines[0]).toMatch(/elapsed, about \d+ s left$/);
    expect(lines[2]).toMatch(/elapsed, done$/);
  }, 120_000);
});

describe("holdout flats with a copy in the training part", () => {
  it("are found by comparing every column, and left out of the unseen rows' figures", async () => {
    const { Frame, Ridge, holdoutMetrics, holdoutMetricsOn, unseenHoldoutRows } = await import("../../src");
    const frameTrain = new Frame({ area: Float64Array.from([30, 40, 50]), city: ["A", "B", "C"] });
    const frameTest = new Frame({ area: Float64Array.from([40, 40, 50, 60]), city: ["B", "C", "C", "A"] });
    const data = { ...prepareOlx({ seed: 42 }), frameTrain, frameTest } as ReturnType<typeof prepareOlx>;
    expect(unseenHoldoutRows(data)).toEqual([1, 3]);

    const real = prepareOlx({ seed: 42 });
    const ridge = new Ridge().fit(real.XTrain, real.yTrain);
    const all = Array.from({ length: real.XTest.rows }, (_, i) => i);
    expect(holdoutMetricsOn(ridge, real, all)).toEqual(holdoutMetrics(real.yTest, ridge.predict(real.XTest)));
    const unseen = unseenHoldoutRows(real);
    expect(unseen.length).toBeGreaterThan(0);
    expect(unseen.length).toBeLessThanOrEqual(real.XTest.rows);
    expect(() => holdoutMetricsOn(ridge, real, [])).toThrow(/no rows/);
  });
});
