/**
 * `tune --storage URL --study-name NAME` killed with SIGKILL in the middle of a trial, then run
 * again: the real processes, the real storage. Shared by the SQLite and PostgreSQL tests.
 */
import { spawn } from "node:child_process";
import { RDBStorage, type FrozenTrial } from "../../src/tuning";
import { BIN, ROOT, runCli, type CliResult } from "./spawnCli";

/** What the resumed run left. */
export interface KillResumeOutcome {
  /** Number of the trial that was RUNNING when its process was killed. */
  killed: number;
  /** The resumed run. */
  resumed: CliResult;
  /** Every trial of the study afterwards, by number. */
  trials: FrozenTrial[];
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Starts `tune` with `args`, kills it (SIGKILL) once a trial has finished and another is RUNNING,
 * then runs the same command again to its end. Tries again with a new study name in the rare case
 * that the kill fell between two trials.
 */
export async function killTuneMidTrialThenResume(storageUrl: string, studyName: string, args: readonly string[]): Promise<KillResumeOutcome> {
  const reader = await RDBStorage.open(storageUrl);
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      const name = `${studyName}-${attempt}`;
      const command = ["tune", "--storage", storageUrl, "--study-name", name, "--no-tracking", ...args];
      const child = spawn(process.execPath, [BIN, ...command], { cwd: ROOT, stdio: "ignore" });
      const exited = new Promise<void>((r) => child.on("exit", () => r()));
      let killedWhileRunning: number | undefined;
      for (const started = Date.now(); Date.now() - started < 120_000; await sleep(40)) {
        const id = await reader.getStudyIdFromName(name).catch(() => undefined);
        if (id === undefined) continue;
        const trials = await reader.getAllTrials(id);
        const running = trials.find((t) => t.state === "RUNNING");
        if (running !== undefined && trials.some((t) => t.state === "COMPLETE" || t.state === "PRUNED")) {
          child.kill("SIGKILL");
          await exited;
          const after = await reader.getTrial(running.trialId);
          if (after.state === "RUNNING") killedWhileRunning = after.number;
          break;
        }
      }
      child.kill("SIGKILL");
      await exited;
      if (killedWhileRunning === undefined) continue;
      const resumed = await runCli([...command, "--json"], { timeoutMs: 180_000 });
      const trials = await reader.getAllTrials(await reader.getStudyIdFromName(name));
      return { killed: killedWhileRunning, resumed, trials };
    }
    throw new Error("three runs of tune were never caught in the middle of a trial");
  } finally {
    await reader.close();
  }
}
