import { describe, expect, test } from "vitest";
import { DMatrix, Random, ThresholdPruner, XGBoostPruningCallback, createStudy, cv, fromRows, type Trial } from "../../src";

function data(seed: number): DMatrix {
  const rnd = new Random(seed);
  const rows = Array.from({ length: 300 }, () => [rnd.uniform(0, 10), rnd.uniform(0, 10)]);
  return new DMatrix(fromRows(rows), { label: rows.map((r) => 3 * (r[0] as number) - (r[1] as number) + rnd.normal(0, 0.5)) });
}

describe("XGBoostPruningCallback", () => {
  test("reports every round's mean test score to the trial", async () => {
    const dtrain = data(1);
    const study = await createStudy({ direction: "minimize" });
    let history: Record<string, number[]> = {};
    await study.optimize((trial: Trial) => {
      history = cv({ eta: 0.3, max_depth: 3 }, dtrain, { nfold: 3, numBoostRound: 15, seed: 0, callbacks: [new XGBoostPruningCallback(trial, "test-rmse")] });
      return (history["test-rmse-mean"] as number[])[14] as number;
    }, { nTrials: 1 });
    const reported = study.trials[0]?.intermediateValues ?? new Map<number, number>();
    expect(reported.size).toBe(15);
    (history["test-rmse-mean"] as number[]).forEach((v, step) => expect(reported.get(step)).toBe(v));
  });

  test("prunes through the booster when the pruner says so", async () => {
    const dtrain = data(2);
    const study = await createStudy({ direction: "minimize", pruner: new ThresholdPruner({ upper: 1e-9 }) });
    await study.optimize((trial: Trial) => {
      cv({ eta: 0.3 }, dtrain, { nfold: 3, numBoostRound: 50, callbacks: [new XGBoostPruningCallback(trial, "test-rmse")] });
      return 0;
    }, { nTrials: 2 });
    expect(study.trials.map((t) => t.state)).toEqual(["PRUNED", "PRUNED"]);
    expect([...(study.trials[0]?.intermediateValues.keys() ?? [])]).toEqual([0]);
  });

  test("a malformed observation key is an error naming it", async () => {
    const study = await createStudy({ direction: "minimize" });
    const trial = await study.ask();
    expect(() => new XGBoostPruningCallback(trial, "rmse")).toThrow(/observationKey/);
  });
});
