/**
 * Study and Trial semantics as Optuna defines them: ask/tell, optimize with sync and async
 * objectives, NaN and exceptions, pruning, enqueued trials, callbacks, best trial, table.
 */
import { describe, expect, it } from "vitest";
import { ValueError } from "../../src/errors";
import {
  createStudy,
  FrozenTrial,
  GridSampler,
  loadStudy,
  InMemoryStorage,
  RandomSampler,
  STUDY_TELL_WARNING_KEY,
  Study,
  TrialPruned,
  DuplicatedStudyError,
} from "../../src/tuning";

const quiet = { sampler: new RandomSampler({ seed: 0 }) };

describe("optimize", () => {
  it("runs nTrials of a sync objective and finds the brute-force best among them", async () => {
    const study = await createStudy({ ...quiet, direction: "maximize" });
    await study.optimize((t) => -((t.suggestFloat("x", -3, 3) - 1) ** 2), { nTrials: 20 });
    expect(study.trials.length).toBe(20);
    const best = study.trials.reduce((a, b) => ((b.value as number) > (a.value as number) ? b : a));
    expect(study.bestTrial.number).toBe(best.number);
    expect(study.bestValue).toBe(best.value);
    expect(study.bestParams).toEqual(best.params);
  });

  it("accepts async objectives and runs nJobs of them concurrently", async () => {
    const study = await createStudy(quiet);
    let running = 0;
    let peak = 0;
    await study.optimize(
      async (t) => {
        running++;
        peak = Math.max(peak, running);
        const x = t.suggestFloat("x", 0, 1);
        await new Promise((r) => setTimeout(r, 5));
        running--;
        return x;
      },
      { nTrials: 12, nJobs: 4 },
    );
    expect(peak).toBe(4);
    expect(study.trials.length).toBe(12);
    expect(study.trials.map((t) => t.number)).toEqual([...Array(12).keys()]);
    expect(study.trials.every((t) => t.state === "COMPLETE")).toBe(true);
  });

  it("stops on timeout", async () => {
    const study = await createStudy(quiet);
    await study.optimize(async (t) => {
      await new Promise((r) => setTimeout(r, 20));
      return t.suggestFloat("x", 0, 1);
    }, { timeout: 0.1 });
    expect(study.trials.length).toBeGreaterThan(0);
    expect(study.trials.length).toBeLessThan(10);
  });

  it("NaN makes a FAIL trial with Optuna's warning, and the study goes on", async () => {
    const study = await createStudy(quiet);
    await study.optimize((t) => (t.number === 1 ? NaN : t.suggestFloat("x", 0, 1)), { nTrials: 3 });
    expect(study.trials.map((t) => t.state)).toEqual(["COMPLETE", "FAIL", "COMPLETE"]);
    expect(study.trials[1]?.value).toBeNull();
  });

  it("a thrown error fails the trial and is re-thrown unless listed in catch", async () => {
    const study = await createStudy(quiet);
    await expect(study.optimize(() => { throw new ValueError("bad x"); }, { nTrials: 3 })).rejects.toThrow("bad x");
    expect(study.trials.map((t) => t.state)).toEqual(["FAIL"]);
    await study.optimize(() => { throw new ValueError("bad x"); }, { nTrials: 2, catch: [ValueError] });
    expect(study.trials.map((t) => t.state)).toEqual(["FAIL", "FAIL", "FAIL"]);
  });

  it("TrialPruned prunes, keeping the last intermediate value as the value", async () => {
    const study = await createStudy(quiet);
    await study.optimize((t) => {
      t.report(5, 0);
      t.report(4, 1);
      throw new TrialPruned();
    }, { nTrials: 1 });
    expect(study.trials[0]?.state).toBe("PRUNED");
    expect(study.trials[0]?.value).toBe(4);
    expect([...(study.trials[0]?.intermediateValues ?? [])]).toEqual([[0, 5], [1, 4]]);
  });

  it("calls callbacks with the study and the finished trial", async () => {
    const seen: [Study, FrozenTrial][] = [];
    const study = await createStudy(quiet);
    await study.optimize((t) => t.suggestInt("n", 1, 3), { nTrials: 3, callbacks: [(s, t) => void seen.push([s, t])] });
    expect(seen.map(([, t]) => t.number)).toEqual([0, 1, 2]);
    expect(seen.every(([s, t]) => s === study && t.state === "COMPLETE")).toBe(true);
  });

  it("GridSampler visits each grid point once and then stops the study", async () => {
    const study = await createStudy({ sampler: new GridSampler({ a: [1, 2, 3], b: ["x", "y"] }, { seed: 1 }) });
    await study.optimize((t) => t.suggestInt("a", 1, 3) + (t.suggestCategorical("b", ["x", "y"]) === "x" ? 0 : 10), { nTrials: 100 });
    expect(study.trials.length).toBe(6);
    expect(new Set(study.trials.map((t) => JSON.stringify(t.params))).size).toBe(6);
  });
});

describe("trials", () => {
  it("re-suggesting a name returns the same value; another kind is an error", async () => {
    const study = await createStudy(quiet);
    const trial = await study.ask();
    const x = trial.suggestFloat("x", 0, 1);
    expect(trial.suggestFloat("x", 0, 1)).toBe(x);
    expect(() => trial.suggestInt("x", 0, 1)).toThrow("Cannot set different distribution kind to the same parameter name");
    expect(() => trial.suggestFloat("x", 0.5, 1, { log: true })).toThrow("Cannot set different log configuration");
    expect(() => trial.suggestFloat("y", 2, 1)).toThrow("(low=2, high=1)");
  });

  it("suggestions respect bounds, steps, log and integers", async () => {
    const study = await createStudy({ sampler: new RandomSampler({ seed: 3 }) });
    for (let i = 0; i < 200; i++) {
      const t = await study.ask();
      const f = t.suggestFloat("f", 0.1, 0.9, { step: 0.2 });
      const l = t.suggestFloat("l", 1e-3, 10, { log: true });
      const n = t.suggestInt("n", -3, 7, { step: 2 });
      const m = t.suggestInt("m", 1, 1000, { log: true });
      expect([0.1, 0.3, 0.5, 0.7, 0.9].some((g) => Math.abs(g - f) < 1e-12)).toBe(true);
      expect(l).toBeGreaterThanOrEqual(1e-3);
      expect(l).toBeLessThanOrEqual(10);
      expect([-3, -1, 1, 3, 5, 7]).toContain(n);
      expect(Number.isInteger(m) && m >= 1 && m <= 1000).toBe(true);
      await study.tell(t, f);
    }
  });

  it("report rejects negative steps and ignores a repeated step", async () => {
    const study = await createStudy(quiet);
    const t = await study.ask();
    expect(() => t.report(1, -1)).toThrow("The `step` argument is -1 but cannot be negative.");
    t.report(1, 0);
    t.report(2, 0);
    const frozen = await study.tell(t, 1);
    expect([...frozen.intermediateValues]).toEqual([[0, 1]]);
  });

  it("ask/tell: tell with NaN fails with a warning attribute; a finished trial cannot be told again", async () => {
    const study = await createStudy(quiet);
    const t = await study.ask();
    const frozen = await study.tell(t, NaN);
    expect(frozen.state).toBe("FAIL");
    expect(frozen.systemAttrs[STUDY_TELL_WARNING_KEY]).toBe("The value nan is not acceptable.");
    await expect(study.tell(t, 1)).rejects.toThrow("Cannot tell a FAIL trial.");
    await expect(study.tell(5, 1)).rejects.toThrow("Cannot tell for trial with number 5 since it has not been created.");
    const u = await study.ask();
    await expect(study.tell(u, 1, "PRUNED")).rejects.toThrow("Values cannot be specified when state is TrialState.PRUNED or TrialState.FAIL.");
  });

  it("user attributes are stored", async () => {
    const study = await createStudy(quiet);
    await study.optimize((t) => {
      t.setUserAttr("note", { a: [1, 2] });
      return 1;
    }, { nTrials: 1 });
    expect(study.trials[0]?.userAttrs).toEqual({ note: { a: [1, 2] } });
  });

  it("enqueued trials run first with their fixed params; the rest are sampled", async () => {
    const study = await createStudy(quiet);
    await study.enqueueTrial({ x: 0.25, k: "b" }, { userAttrs: { source: "manual" } });
    await study.enqueueTrial({ x: 0.75 });
    await study.enqueueTrial({ x: 0.75 }, { skipIfExists: true });
    await study.optimize((t) => t.suggestFloat("x", 0, 1) + (t.suggestCategorical("k", ["a", "b"]) === "a" ? 1 : 0), { nTrials: 3 });
    expect(study.trials.length).toBe(3);
    expect(study.trials[0]?.params).toEqual({ x: 0.25, k: "b" });
    expect(study.trials[0]?.userAttrs).toEqual({ source: "manual" });
    expect(study.trials[1]?.params["x"]).toBe(0.75);
  });

  it("trialsDataFrame rows follow Optuna's columns", async () => {
    const study = await createStudy(quiet);
    await study.optimize((t) => {
      t.setUserAttr("u", t.number);
      return t.suggestInt("a", 0, 5);
    }, { nTrials: 2 });
    const rows = study.trialsDataFrame();
    expect(Object.keys(rows[0] ?? {})).toEqual(["number", "value", "datetime_start", "datetime_complete", "duration", "params_a", "user_attrs_u", "state"]);
    expect(rows.map((r) => r["params_a"])).toEqual(study.trials.map((t) => t.params["a"]));
    expect(rows.every((r) => typeof r["duration"] === "number" && (r["duration"] as number) >= 0)).toBe(true);
  });
});

describe("studies", () => {
  it("createStudy refuses a taken name unless loadIfExists; loadStudy resumes", async () => {
    const storage = new InMemoryStorage();
    const a = await createStudy({ studyName: "s", storage, ...quiet });
    await a.optimize((t) => t.suggestFloat("x", 0, 1), { nTrials: 2 });
    await expect(createStudy({ studyName: "s", storage })).rejects.toBeInstanceOf(DuplicatedStudyError);
    const b = await createStudy({ studyName: "s", storage, loadIfExists: true, ...quiet });
    expect(b.trials.length).toBe(2);
    const c = await loadStudy({ studyName: "s", storage, ...quiet });
    await c.optimize((t) => t.suggestFloat("x", 0, 1), { nTrials: 1 });
    expect(c.trials.map((t) => t.number)).toEqual([0, 1, 2]);
    await expect(loadStudy({ studyName: "nope", storage })).rejects.toThrow("No such study nope.");
  });

  it("bestTrial without complete trials is an error", async () => {
    const study = await createStudy(quiet);
    expect(() => study.bestTrial).toThrow("No trials are completed yet.");
  });
});
