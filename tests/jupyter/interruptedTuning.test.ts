// Kernel > Interrupt during the tuning: Jupyter sends the kernel a signal, whose handler can only
// run when the tuning gives the event loop a turn. runHyperOpt({ signal }) yields after each
// trial, so a handler that aborts the signal stops the study after the running trial, and the
// call rejects with the abort's reason instead of training a final model.
import { afterEach, describe, expect, it } from "vitest";
import { runHyperOpt } from "../../src";

const SMALL = { trials: 20, numBoostRound: 15, earlyStoppingRounds: 5, nWarmupSteps: 3, nSplits: 2, nRepeats: 1, tracking: false } as const;

describe("runHyperOpt with an AbortSignal", () => {
  let listener: (() => void) | undefined;
  afterEach(() => {
    if (listener !== undefined) process.off("SIGUSR2", listener);
  });

  it("a signal handler aborting it between trials stops the study after the running trial", async () => {
    const controller = new AbortController();
    const reason = new Error("interrupted by the test");
    listener = () => controller.abort(reason);
    // A real signal, delivered by the event loop as Jupyter's SIGINT is in a kernel (SIGUSR2 here:
    // SIGINT belongs to the test runner).
    process.on("SIGUSR2", listener);
    const seen: number[] = [];
    const run = runHyperOpt({
      ...SMALL,
      signal: controller.signal,
      onTrial: (trial) => {
        seen.push(trial.number);
        if (trial.number === 1) process.kill(process.pid, "SIGUSR2");
      },
    });
    await expect(run).rejects.toBe(reason);
    // Trials 0 and 1 ran; the handler ran in the turn after trial 1, before trial 2 could start.
    expect(seen).toEqual([0, 1]);
  });

  it("an already aborted signal runs no trial", async () => {
    const seen: number[] = [];
    const reason = new Error("aborted before the start");
    await expect(runHyperOpt({ ...SMALL, signal: AbortSignal.abort(reason), onTrial: (t) => seen.push(t.number) })).rejects.toBe(reason);
    expect(seen).toEqual([]);
  });

  it("a signal never aborted changes nothing: all trials and the final model", async () => {
    const { result } = await runHyperOpt({ ...SMALL, trials: 3, signal: new AbortController().signal });
    expect(result.n_trials).toBe(3);
    expect(result.final_rounds).toBe(SMALL.numBoostRound);
  });
});
