/**
 * Pruners against Python Optuna 3.1: the same scenarios (trials reporting intermediate values
 * step by step, asking the pruner after each report) are replayed by both, and every decision
 * must agree. Plus hand-checked cases from Optuna's documented semantics.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Random } from "../../src/util/random";
import {
  createStudy,
  HyperbandPruner,
  MedianPruner,
  NopPruner,
  PercentilePruner,
  Pruner,
  RandomSampler,
  SuccessiveHalvingPruner,
  ThresholdPruner,
} from "../../src/tuning";
import { pythonJsonDumps, JsonValue } from "../../src/tuning/json";
import { pythonOptunaAvailable, runPython } from "./pythonOracle";

interface Scenario {
  name: string;
  direction: "minimize" | "maximize";
  pruner: { kind: string; options: Record<string, JsonValue> };
  trials: number[][];
}

function makePruner(spec: Scenario["pruner"]): Pruner {
  const o = spec.options as Record<string, number | string>;
  const n = (k: string): number | undefined => (o[k] === undefined ? undefined : Number(o[k]));
  switch (spec.kind) {
    case "nop":
      return new NopPruner();
    case "median":
      return new MedianPruner({ nStartupTrials: n("n_startup_trials"), nWarmupSteps: n("n_warmup_steps"), intervalSteps: n("interval_steps"), nMinTrials: n("n_min_trials") });
    case "percentile":
      return new PercentilePruner(n("percentile") as number, { nStartupTrials: n("n_startup_trials"), nWarmupSteps: n("n_warmup_steps"), intervalSteps: n("interval_steps"), nMinTrials: n("n_min_trials") });
    case "successive_halving":
      return new SuccessiveHalvingPruner({ minResource: o["min_resource"] === "auto" ? "auto" : n("min_resource"), reductionFactor: n("reduction_factor"), minEarlyStoppingRate: n("min_early_stopping_rate"), bootstrapCount: n("bootstrap_count") });
    case "hyperband":
      return new HyperbandPruner({ minResource: n("min_resource"), maxResource: o["max_resource"] === "auto" ? "auto" : n("max_resource"), reductionFactor: n("reduction_factor"), bootstrapCount: n("bootstrap_count") });
    case "threshold":
      return new ThresholdPruner({ lower: n("lower"), upper: n("upper"), nWarmupSteps: n("n_warmup_steps"), intervalSteps: n("interval_steps") });
    default:
      throw new Error(spec.kind);
  }
}

/** Learning curves: decaying towards a per-trial floor, with noise, varied lengths and a few NaNs. */
function curves(seed: number, nTrials: number, maxSteps: number): number[][] {
  const rng = new Random(seed);
  return Array.from({ length: nTrials }, () => {
    const floor = rng.uniform(0.5, 3);
    const speed = rng.uniform(3, 15);
    const length = rng.random() < 0.3 ? 1 + rng.int(maxSteps) : maxSteps;
    const nanAt = rng.random() < 0.1 ? rng.int(length) : -1;
    return Array.from({ length }, (_, s) => (s === nanAt ? NaN : floor * (1 + 4 * Math.exp(-s / speed)) + rng.normal(0, 0.05)));
  });
}

const SCENARIOS: Scenario[] = [
  { name: "median-default", direction: "minimize", pruner: { kind: "median", options: {} }, trials: curves(1, 30, 20) },
  { name: "median-opts", direction: "maximize", pruner: { kind: "median", options: { n_startup_trials: 3, n_warmup_steps: 5, interval_steps: 3, n_min_trials: 4 } }, trials: curves(2, 30, 25) },
  { name: "percentile-25", direction: "minimize", pruner: { kind: "percentile", options: { percentile: 25, n_warmup_steps: 2, interval_steps: 2 } }, trials: curves(3, 30, 20) },
  { name: "percentile-80-max", direction: "maximize", pruner: { kind: "percentile", options: { percentile: 80, n_startup_trials: 2 } }, trials: curves(4, 30, 20) },
  { name: "sh-auto", direction: "minimize", pruner: { kind: "successive_halving", options: {} }, trials: curves(5, 40, 30) },
  { name: "sh-opts", direction: "maximize", pruner: { kind: "successive_halving", options: { min_resource: 2, reduction_factor: 3, min_early_stopping_rate: 1, bootstrap_count: 2 } }, trials: curves(6, 40, 30) },
  { name: "hyperband-auto", direction: "minimize", pruner: { kind: "hyperband", options: {} }, trials: curves(7, 50, 30) },
  { name: "hyperband-27", direction: "maximize", pruner: { kind: "hyperband", options: { min_resource: 1, max_resource: 27, reduction_factor: 3 } }, trials: curves(8, 50, 27) },
  { name: "threshold", direction: "minimize", pruner: { kind: "threshold", options: { lower: 0.8, upper: 6, n_warmup_steps: 3, interval_steps: 2 } }, trials: curves(9, 20, 15) },
  { name: "nop", direction: "minimize", pruner: { kind: "nop", options: {} }, trials: curves(10, 5, 5) },
];

async function replay(scenario: Scenario): Promise<boolean[][]> {
  const study = await createStudy({ studyName: scenario.name, direction: scenario.direction, pruner: makePruner(scenario.pruner), sampler: new RandomSampler({ seed: 0 }) });
  const out: boolean[][] = [];
  for (const values of scenario.trials) {
    const trial = await study.ask();
    const made: boolean[] = [];
    let pruned = false;
    for (let step = 0; step < values.length; step++) {
      trial.report(values[step] as number, step);
      const decision = trial.shouldPrune();
      made.push(decision);
      if (decision) {
        pruned = true;
        break;
      }
    }
    if (pruned) await study.tell(trial, undefined, "PRUNED");
    else await study.tell(trial, values[values.length - 1] as number);
    out.push(made);
  }
  return out;
}

describe.skipIf(!pythonOptunaAvailable())("pruners agree with Python Optuna 3.1 decision by decision", () => {
  const input = pythonJsonDumps(SCENARIOS as unknown as JsonValue);
  const expected = JSON.parse(runPython([join(__dirname, "python", "pruner_oracle.py")], input)) as boolean[][][];
  SCENARIOS.forEach((scenario, i) => {
    it(scenario.name, async () => {
      const ours = await replay(scenario);
      const theirs = expected[i] as boolean[][];
      expect(theirs.flat().length).toBeGreaterThan(0);
      expect(ours).toEqual(theirs);
    });
  });
  it("the scenarios exercise pruning (some trials pruned, some not)", () => {
    const all = expected.slice(0, -2).map((s) => s.filter((t) => t[t.length - 1] === true).length);
    expect(all.every((n) => n > 0)).toBe(true);
  });
});

describe("pruners: documented semantics", () => {
  it("MedianPruner prunes a trial worse than the median of completed trials at the same step", async () => {
    const study = await createStudy({ pruner: new MedianPruner({ nStartupTrials: 0 }) });
    for (const v of [1, 2, 3]) {
      const t = await study.ask();
      t.report(v, 0);
      await study.tell(t, v);
    }
    const good = await study.ask();
    good.report(1.5, 0);
    expect(good.shouldPrune()).toBe(false);
    const bad = await study.ask();
    bad.report(2.5, 0);
    expect(bad.shouldPrune()).toBe(true);
  });

  it("validates options with Optuna's messages", () => {
    expect(() => new PercentilePruner(101)).toThrow("Percentile must be between 0 and 100 inclusive but got 101.");
    expect(() => new MedianPruner({ intervalSteps: 0 })).toThrow("Pruning interval steps must be at least 1 but got 0.");
    expect(() => new ThresholdPruner({})).toThrow("Either lower or upper must be specified.");
    expect(() => new SuccessiveHalvingPruner({ reductionFactor: 1 })).toThrow("reduction_factor");
    expect(() => new HyperbandPruner({ bootstrapCount: 1 })).toThrow("mutually incompatible");
  });
});
