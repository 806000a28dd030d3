/**
 * `tune --storage URL --study-name NAME` killed with SIGKILL in the middle of a trial, then run
 * again: the real processes, the real storage. Shared by the SQLite and PostgreSQL tests.
 */
import { spawn } from "node:child_process";
import { expect } from "vitest";
import { RDBStorage, type FrozenTrial } from "../../src/tuning";
import { BIN, ROOT, runCli, type CliResult } from "./spawnCli";

/** What the resumed run left. */
export interface KillResumeOutcome {
  /** Number of the trial that was RUNNING when its process was killed. */
  killed: number;
  /** The trials stored when the process was killed (the killed one still RUNNING). */
  atKill: FrozenTrial[];
  /** The resumed run. */
  resumed: CliResult;
  /** Every trial of the study afterwards, by number. */
  trials: FrozenTrial[];
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Starts `tune` with `args`, kills it (SIGKILL) once a trial has finished and another is RUNNING,
 * then runs it again on the same study with `resumeArgs` instead, to its end. Tries again with a
 * new study name in the rare case that the kill fell between two trials.
 */
export async function killTuneMidTrialThenResume(
  storageUrl: string,
  studyName: string,
  args: readonly string[],
  resumeArgs: readonly string[] = args,
): Promise<KillResumeOutcome> {
  const reader = await RDBStorage.open(storageUrl);
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      const name = `${studyName}-${attempt}`;
      const command = ["tune", "--storage", storageUrl, "--study-name", name, "--no-tracking"];
      const child = spawn(process.execPath, [BIN, ...command, ...args], { cwd: ROOT, stdio: "ignore" });
      const exited = new Promise<void>((r) => child.on("exit", () => r()));
      let killedWhileRunning: number | undefined;
      let atKill: FrozenTrial[] = [];
      for (const started = Date.now(); Date.now() - started < 120_000; await sleep(40)) {
        const id = await reader.getStudyIdFromName(name).catch(() => undefined);
        if (id === undefined) continue;
        const trials = await reader.getAllTrials(id);
        const running = trials.find((t) => t.state === "RUNNING");
        if (running !== undefined && trials.some((t) => t.state === "COMPLETE" || t.state === "PRUNED")) {
          child.kill("SIGKILL");
          await exited;
          atKill = await reader.getAllTrials(id);
          const after = atKill.find((t) => t.trialId === running.trialId);
          if (after?.state === "RUNNING") killedWhileRunning = after.number;
          break;
        }
      }
      child.kill("SIGKILL");
      await exited;
      if (killedWhileRunning === undefined) continue;
      const resumed = await runCli([...command, ...resumeArgs, "--json"], { timeoutMs: 180_000 });
      const trials = await reader.getAllTrials(await reader.getStudyIdFromName(name));
      return { killed: killedWhileRunning, atKill, resumed, trials };
    }
    throw new Error("three runs of tune were never caught in the middle of a trial");
  } finally {
    await reader.close();
  }
}

/**
 * The resume rule (Optuna's `optimize(n_trials=N)`): the killed trial is FAILED and not made up,
 * the trials stored before are unchanged, the rerun added exactly `more` finished trials, and no
 * parameters were drawn twice.
 */
export function expectResumedAsOptuna({ killed, atKill, resumed, trials }: KillResumeOutcome, more: number): void {
  expect(resumed.code, resumed.stderr).toBe(0);
  expect(resumed.stderr).toMatch(new RegExp(`trial +${killed}  FAIL +its worker is gone .*not run again`));
  const byNumber = [...trials].sort((a, b) => a.number - b.number);
  expect(byNumber.filter((t) => t.state === "RUNNING")).toEqual([]);
  expect(byNumber.slice(0, atKill.length).map((t) => [t.number, t.state])).toEqual(atKill.map((t) => [t.number, t.number === killed ? "FAIL" : t.state]));
  const added = byNumber.slice(atKill.length);
  expect(added.map((t) => t.state === "COMPLETE" || t.state === "PRUNED")).toEqual(Array(more).fill(true));
  const drawn = byNumber.filter((t) => Object.keys(t.params).length > 0).map((t) => JSON.stringify(t.params));
  expect(new Set(drawn).size).toBe(drawn.length);
}
