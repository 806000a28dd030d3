/**
 * `tune`: --timeout bounds the whole command (final fit included), --rounds and --trials are
 * bounded, and a study killed with SIGKILL resumes as Optuna's `optimize(n_trials=N)` does: the
 * killed trial is failed (not made up), the rerun runs N more trials, and no trial's parameters
 * are drawn again.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { tuneCommand } from "../../src/cli/tuneCommand";
import type { HyperOptResult } from "../../src/experiments/hyperOpt";
import { expectResumedAsOptuna, killTuneMidTrialThenResume } from "./killResume";
import { runCli } from "./spawnCli";

const dir = mkdtempSync(join(tmpdir(), "cli-tune-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const lastJson = (stdout: string): HyperOptResult => JSON.parse(stdout.trim().split("\n").at(-1) as string) as HyperOptResult;

describe("tune", () => {
  it("bounds --rounds and --trials and checks the other numbers, before loading anything", async () => {
    await expect(tuneCommand.run(["--rounds", "100000"])).rejects.toThrow('--rounds must be an integer from 1 to 10,000, got "100000"');
    await expect(tuneCommand.run(["--trials", "1000000"])).rejects.toThrow('--trials must be an integer from 0 to 10,000, got "1000000"');
    await expect(tuneCommand.run(["--trials", "10001"])).rejects.toThrow('--trials must be an integer from 0 to 10,000, got "10001"');
    await expect(tuneCommand.run(["--trials=-1"])).rejects.toThrow('--trials must be an integer from 0 to 10,000, got "-1"');
    // 0 only fits and registers a stored study's best: without a storage there is none.
    await expect(tuneCommand.run(["--trials", "0"])).rejects.toThrow("--trials 0 needs --storage");
    await expect(tuneCommand.run(["--trials", "2.5"])).rejects.toThrow(/--trials must be an integer/);
    await expect(tuneCommand.run(["--timeout=-1"])).rejects.toThrow('--timeout must be a positive number, got "-1"');
    await expect(tuneCommand.run(["--heartbeat-interval", "0"])).rejects.toThrow(/--heartbeat-interval must be a positive number/);
  });

  it("--timeout bounds the whole command, final fit included, even with the largest --rounds and --trials", async () => {
    const timeout = 6;
    // The same machine, at the same time: a run of one trial of one round gives what the command
    // costs besides its rounds (start, data, one CV round, one final round, holdout, report).
    const [r, oneRound] = await Promise.all([
      runCli(["tune", "--timeout", String(timeout), "--trials", "10000", "--rounds", "10000", "--no-tracking", "--json"], { timeoutMs: 240_000 }),
      runCli(["tune", "--trials", "1", "--rounds", "1", "--no-tracking"], { timeoutMs: 240_000 }),
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(oneRound.code, oneRound.stderr).toBe(0);
    const result = lastJson(r.stdout);
    expect(result.stopped_by_timeout).toBe(true);
    expect(result.final_rounds).toBeGreaterThan(0);
    expect(result.final_rounds).toBeLessThan(10_000);
    expect(r.stdout).toContain(`--timeout ${timeout} s cut the run short: final model of ${result.final_rounds} round(s)`);
    // At most the deadline plus that fixed cost (with margin for a loaded machine); before, the
    // final fit alone ran all 10,000 rounds after the deadline.
    expect(r.seconds).toBeLessThan(timeout + 1.5 * oneRound.seconds + 2);
  }, 300_000);

  it("after kill -9 mid-trial, a rerun with --trials N fails the killed trial and runs N more, drawing no parameters again (SQLite)", async () => {
    const storage = `sqlite:///${join(dir, "study.db")}`;
    // The rerun asks for 2: "the study holds 2" would run none or one, "2 more" runs two.
    const outcome = await killTuneMidTrialThenResume(storage, "s", ["--trials", "3", "--rounds", "20"], ["--trials", "2", "--rounds", "20"]);
    expectResumedAsOptuna(outcome, 2);
    const result = lastJson(outcome.resumed.stdout);
    const before = outcome.atKill.length;
    expect([result.n_trials, result.n_fail, result.n_complete + result.n_pruned]).toEqual([before + 2, 1, before - 1 + 2]);
  }, 300_000);
});
