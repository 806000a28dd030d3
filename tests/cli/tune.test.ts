/**
 * `tune`: --timeout bounds the whole command (final fit included), --rounds and --trials are
 * bounded, and a study killed with SIGKILL resumes: the killed trial is failed and run again,
 * and no finished trial's parameters are drawn again.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { tuneCommand } from "../../src/cli/tuneCommand";
import type { HyperOptResult } from "../../src/experiments/hyperOpt";
import { killTuneMidTrialThenResume } from "./killResume";
import { runCli } from "./spawnCli";

const dir = mkdtempSync(join(tmpdir(), "cli-tune-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const lastJson = (stdout: string): HyperOptResult => JSON.parse(stdout.trim().split("\n").at(-1) as string) as HyperOptResult;

describe("tune", () => {
  it("bounds --rounds and --trials and checks the other numbers, before loading anything", async () => {
    await expect(tuneCommand.run(["--rounds", "100000"])).rejects.toThrow('--rounds must be an integer from 1 to 10,000, got "100000"');
    await expect(tuneCommand.run(["--trials", "1000000"])).rejects.toThrow('--trials must be an integer from 1 to 10,000, got "1000000"');
    await expect(tuneCommand.run(["--trials", "0"])).rejects.toThrow(/--trials must be an integer from 1/);
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

  it("after kill -9 mid-trial, a rerun fails the killed trial, runs what is missing and draws no finished trial's parameters again (SQLite)", async () => {
    const storage = `sqlite:///${join(dir, "study.db")}`;
    const { killed, resumed, trials } = await killTuneMidTrialThenResume(storage, "s", ["--trials", "3", "--rounds", "20"]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(new RegExp(`trial +${killed}  FAIL +its worker is gone`));
    const byNumber = trials.map((t) => [t.number, t.state]);
    expect(byNumber).toContainEqual([killed, "FAIL"]);
    expect(trials.filter((t) => t.state === "RUNNING")).toEqual([]);
    expect(trials.filter((t) => t.state === "COMPLETE" || t.state === "PRUNED").length).toBe(3);
    const result = lastJson(resumed.stdout);
    expect([result.n_trials, result.n_fail, result.n_complete + result.n_pruned]).toEqual([trials.length, 1, 3]);
    const drawn = trials.filter((t) => Object.keys(t.params).length > 0).map((t) => JSON.stringify(t.params));
    expect(new Set(drawn).size).toBe(drawn.length);
  }, 300_000);
});
