/**
 * Resuming a stored study: a seeded sampler made through a factory draws from a new stream on
 * each resume (a fixed seed would draw the first run's parameters again), `runHyperOpt` does so
 * for a sampler chosen by name and runs `trials` more, and a RUNNING trial
 * whose worker process is gone is failed at once, with the storage's failed-trial callback.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runHyperOpt } from "../../src/experiments/hyperOpt";
import { CmaEsSampler, createStudy, failStaleTrials, RDBStorage, resumeSeed, TPESampler, WORKER_PROCESS_KEY, type FrozenTrial, type Sampler } from "../../src/tuning";

const dir = mkdtempSync(join(tmpdir(), "tuning-resume-"));
const url = (name: string): string => `sqlite:///${join(dir, name)}`;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function runTwice(name: string, sampler: Sampler | ((existing: { nTrials: number }) => Sampler)): Promise<string[][]> {
  const runs: string[][] = [];
  for (let run = 0; run < 2; run++) {
    const study = await createStudy({ storage: url(`${name}.db`), studyName: name, loadIfExists: true, sampler });
    const before = study.trials.length;
    await study.optimize((t) => t.suggestFloat("x", 0, 1) + t.suggestInt("depth", 1, 20) + Number(t.suggestCategorical("kind", ["a", "b", "c"]) === "a"), { nTrials: 4 });
    runs.push(study.trials.slice(before).map((t) => JSON.stringify(t.params)));
    await study.storage.close();
  }
  return runs;
}

describe("resuming a seeded study", () => {
  it("with a fixed seed, the resumed run draws the first run's parameters again (the failure the factory prevents)", async () => {
    const [first, second] = await runTwice("fixed", () => new TPESampler({ seed: 42 }));
    expect(second).toEqual(first);
  });

  it("seeded from the seed and the number of existing trials, it never repeats a finished trial's parameters", async () => {
    const [first, second] = await runTwice("resumed", ({ nTrials }) => new TPESampler({ seed: resumeSeed(42, nTrials) }));
    expect(new Set([...first!, ...second!]).size).toBe(8);
    // A new study is reproduced exactly: the first run is what seed 42 alone draws.
    const [fresh] = await runTwice("fresh", () => new TPESampler({ seed: 42 }));
    expect(first).toEqual(fresh);
  });

  it("resumeSeed keeps the seed for a new study and gives distinct 31-bit seeds per count and per seed", () => {
    expect(resumeSeed(42, 0)).toBe(42);
    const byCount = Array.from({ length: 5000 }, (_, n) => resumeSeed(42, n + 1));
    const bySeed = Array.from({ length: 100 }, (_, seed) => resumeSeed(seed, 1));
    expect(new Set(byCount).size).toBe(5000);
    expect(new Set(bySeed).size).toBe(100);
    const seeds = [...byCount, ...bySeed];
    for (const s of seeds) expect(Number.isInteger(s) && s >= 0 && s < 2 ** 31).toBe(true);
  });
});

describe("runHyperOpt on a stored study", () => {
  const tiny = { numBoostRound: 15, earlyStoppingRounds: 5, nWarmupSteps: 3, tracking: false } as const;
  // Keys sorted: a storage reads parameters back in its own order.
  const paramsOf = (trials: readonly FrozenTrial[]): string[] => trials.map((t) => JSON.stringify(Object.entries(t.params).sort(([a], [b]) => (a < b ? -1 : 1))));

  it("a named sampler: trials N runs N more; the first run is seed 42's, the resumed one repeats no parameters", async () => {
    const storage = url("hyperopt.db");
    const first = await runHyperOpt({ ...tiny, sampler: "cmaes", trials: 3, storage, studyName: "h" });
    const resumed = await runHyperOpt({ ...tiny, sampler: "cmaes", trials: 2, storage, studyName: "h" });
    const fresh = await runHyperOpt({ ...tiny, sampler: "cmaes", trials: 3, studyName: "h" });
    expect(resumed.study.sampler).toBeInstanceOf(CmaEsSampler);
    expect([first.result.n_trials, resumed.result.n_trials]).toEqual([3, 5]);
    const all = paramsOf(resumed.study.trials);
    expect(all.slice(0, 3)).toEqual(paramsOf(fresh.study.trials));
    expect(new Set(all).size).toBe(5);
  }, 120_000);
});

// The start time of a process in clock ticks since boot: field 22 of /proc/<pid>/stat.
function startTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19]);
}

const haveProc = existsSync("/proc/self/stat") && existsSync("/proc/sys/kernel/random/boot_id");
if (!haveProc) console.warn("SKIPPED the worker-process check of resumed studies: no /proc here (only the heartbeat applies)");

describe.skipIf(!haveProc)("a RUNNING trial whose worker process is gone", () => {
  it("is failed at once (no wait for the grace period), reported to failedTrialCallback; a live worker's trial is left alone", async () => {
    const boot = readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
    const dead = spawn("sleep", ["60"]);
    const alive = spawn("sleep", ["60"]);
    try {
      const deadStart = startTicks(dead.pid!);
      dead.kill("SIGKILL");
      await new Promise((r) => dead.on("exit", r));
      const failedSeen: FrozenTrial[] = [];
      const storage = await RDBStorage.open(url("gone.db"), { heartbeatInterval: 60, failedTrialCallback: (_study, t) => void failedSeen.push(t) });
      const study = await createStudy({ storage, studyName: "gone" });
      const owners = [
        { host: hostname(), boot, pid: dead.pid!, start: deadStart },
        { host: hostname(), boot, pid: alive.pid!, start: startTicks(alive.pid!) },
        { host: "another-machine", boot: "x", pid: dead.pid!, start: deadStart },
        // Same pid, but a process started at another time: the pid was reused.
        { host: hostname(), boot, pid: alive.pid!, start: startTicks(alive.pid!) + 1 },
      ];
      for (const owner of owners) {
        const t = await storage.createNewTrial(study.studyId);
        await storage.recordHeartbeat(t.trialId);
        await storage.setTrialSystemAttr(t.trialId, WORKER_PROCESS_KEY, owner);
      }
      expect(await failStaleTrials(study)).toEqual([0, 3]);
      await study.refresh();
      expect(study.trials.map((t) => t.state)).toEqual(["FAIL", "RUNNING", "RUNNING", "FAIL"]);
      expect(failedSeen.map((t) => [t.number, t.state])).toEqual([[0, "FAIL"], [3, "FAIL"]]);
      // Trials asked for while heartbeats are on record this process, which is alive.
      const mine = await study.ask();
      expect(mine.systemAttrs[WORKER_PROCESS_KEY]).toEqual({ host: hostname(), boot, pid: process.pid, start: startTicks(process.pid) });
      expect(await failStaleTrials(study)).toEqual([]);
      await storage.close();
    } finally {
      alive.kill("SIGKILL");
    }
  });
});
