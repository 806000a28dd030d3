/** Choosing a sampler by name: the factory, `runHyperOpt({ sampler })` and `tune --sampler`. */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CmaEsSampler, createSampler, GPSampler, isSamplerName, RandomSampler, runHyperOpt, SAMPLER_NAMES, TPESampler } from "../../src";

describe("sampler choice", () => {
  it("createSampler makes each named sampler, seeded; unknown names are refused", () => {
    expect(SAMPLER_NAMES).toEqual(["tpe", "cmaes", "gp", "random"]);
    expect(createSampler("tpe", { seed: 1 })).toBeInstanceOf(TPESampler);
    expect(createSampler("cmaes", { seed: 1 })).toBeInstanceOf(CmaEsSampler);
    expect(createSampler("gp", { seed: 1 })).toBeInstanceOf(GPSampler);
    expect(createSampler("random", { seed: 1 })).toBeInstanceOf(RandomSampler);
    expect(isSamplerName("gp")).toBe(true);
    expect(isSamplerName("GP")).toBe(false);
    expect(() => createSampler("bogus" as "tpe")).toThrow(/unknown sampler "bogus"/);
  });

  it("runHyperOpt uses the named sampler (CMA-ES on the bundled sample: its generations are recorded)", async () => {
    const { study, result } = await runHyperOpt({ sampler: "cmaes", trials: 4, numBoostRound: 15, earlyStoppingRounds: 5, nWarmupSteps: 3, tracking: false });
    expect(study.sampler).toBeInstanceOf(CmaEsSampler);
    expect(result.n_trials).toBe(4);
    const generations = study.trials.slice(1).map((t) => t.systemAttrs["cma:generation"]);
    expect(generations.every((g) => g === 0)).toBe(true);
  });

  it("tune --sampler refuses an unknown name, naming the choices", () => {
    const r = spawnSync(process.execPath, [join(__dirname, "..", "..", "bin", "mlflow-demo-ts.js"), "tune", "--sampler", "annealing", "--no-tracking"], { encoding: "utf8" });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('--sampler must be one of tpe, cmaes, gp, random, got "annealing"');
  });
});
