/**
 * The optimisation loop (Optuna's `optuna/study/_optimize.py`): ask, run the objective, tell,
 * then call the callbacks. `nJobs` runs that many trials concurrently in this process (useful
 * for objectives that await I/O or worker threads).
 */
import { FrozenTrial } from "./frozenTrial";
import { TrialPruned } from "./errors";
import type { TrialState } from "./state";
import { failStaleTrials } from "./storages/heartbeat";
import { Trial } from "./trial";
import type { TrialHost } from "./trialHost";

/** An objective: returns (or resolves to) the value to minimise or maximise. */
export type Objective = (trial: Trial) => number | Promise<number>;

/** What the loop needs of a study (`Study` is one; the loop is generic so as not to import it). */
export interface OptimizableStudy extends TrialHost {
  /** Set by `stop()`; read between trials. */
  stopFlag: boolean;
  ask(): Promise<Trial>;
  tell(trial: Trial, value?: number | null, state?: TrialState): Promise<FrozenTrial>;
}

/** Called after every finished trial with the study `S`, like Optuna's `callbacks=[...]`. */
export type LoopCallback<S> = (study: S, trial: FrozenTrial) => void | Promise<void>;

/** An error class to catch (Optuna's `catch=(ValueError,)`). */
export type ErrorClass = abstract new (...args: never[]) => Error;

/** Options of the loop over a study `S` (`study.optimize`'s options when `S` is `Study`). */
export interface LoopOptions<S> {
  /** Number of trials to run (unbounded when omitted: then give a timeout). */
  nTrials?: number;
  /** Stop starting trials after this many seconds. */
  timeout?: number;
  /** Called with the study and the finished trial after each trial. */
  callbacks?: readonly LoopCallback<S>[];
  /** Errors that fail the trial without stopping the study; other errors are re-thrown. */
  catch?: readonly ErrorClass[];
  /** Trials run concurrently (default 1). */
  nJobs?: number;
}

/** @internal The body of `Study.optimize`. */
export async function optimizeStudy<S extends OptimizableStudy>(study: S, objective: Objective, options: LoopOptions<S>): Promise<void> {
  const nJobs = Math.max(1, Math.floor(options.nJobs ?? 1));
  const start = Date.now();
  let started = 0;
  let firstError: unknown = undefined;
  study.stopFlag = false;
  const more = (): boolean => {
    if (study.stopFlag || firstError !== undefined) return false;
    if (options.nTrials !== undefined && started >= options.nTrials) return false;
    if (options.timeout !== undefined && (Date.now() - start) / 1000 >= options.timeout) return false;
    return true;
  };
  const worker = async (): Promise<void> => {
    while (more()) {
      started++;
      let frozen: FrozenTrial;
      try {
        frozen = await runTrial(study, objective, options.catch ?? []);
      } catch (error) {
        if (firstError === undefined) firstError = error;
        return;
      }
      for (const callback of options.callbacks ?? []) await callback(study, frozen);
    }
  };
  await Promise.all(Array.from({ length: nJobs }, () => worker()));
  if (firstError !== undefined) throw firstError;
}

async function runTrial(study: OptimizableStudy, objective: Objective, catchList: readonly ErrorClass[]): Promise<FrozenTrial> {
  if (study.storage.heartbeatInterval !== null) await failStaleTrials(study);
  const trial = await study.ask();
  const heartbeat = startHeartbeat(study, trial);
  let value: number | undefined;
  let state: "PRUNED" | "FAIL" | undefined;
  let error: unknown = undefined;
  try {
    value = await objective(trial);
  } catch (e) {
    error = e;
    state = e instanceof TrialPruned ? "PRUNED" : "FAIL";
  } finally {
    if (heartbeat !== undefined) clearInterval(heartbeat);
  }
  const frozen = await study.tell(trial, state === undefined ? (typeof value === "number" ? value : null) : null, state);
  if (frozen.state === "FAIL") {
    const reason = error !== undefined ? String(error) : String(frozen.systemAttrs["STUDY_TELL_WARNING"]);
    console.warn(`Trial ${frozen.number} failed with parameters: ${JSON.stringify(frozen.params)} because of the following error: ${reason}.`);
    if (error !== undefined && !catchList.some((cls) => error instanceof cls)) throw error;
  }
  return frozen;
}

function startHeartbeat(study: OptimizableStudy, trial: Trial): ReturnType<typeof setInterval> | undefined {
  const interval = study.storage.heartbeatInterval;
  if (interval === null) return undefined;
  const timer = setInterval(() => trial.enqueue(() => study.storage.recordHeartbeat(trial.trialId)), interval * 1000);
  timer.unref();
  return timer;
}
