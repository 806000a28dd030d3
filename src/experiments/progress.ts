/**
 * Progress of a tuning run for people watching it: "n of N" and an estimate of the time left,
 * from the mean duration of the trials finished so far (bounded by the timeout, when one is set).
 */
import type { FrozenTrial } from "../tuning/frozenTrial";

/** Where a tuning run stands after a trial finished. */
export interface TrialProgress {
  /** The trial that just finished. */
  readonly trial: FrozenTrial;
  /** Trials finished in this run, this one included. */
  readonly done: number;
  /** Trials this run was asked for. */
  readonly total: number;
  /** The study's best value so far, or null while no trial has completed. */
  readonly bestValue: number | null;
  /** Seconds since the run started its first trial. */
  readonly elapsedSeconds: number;
  /** Estimated seconds until the last trial finishes (0 when done). */
  readonly remainingSeconds: number;
}

/** Options of {@link trialProgressTracker}. */
export interface TrialProgressOptions {
  /** The run stops starting trials after this many seconds: the estimate never exceeds what is left of it. */
  readonly timeoutSeconds?: number;
  /** Milliseconds clock (default `performance.now`), for tests. */
  readonly now?: () => number;
}

/**
 * A tracker for a run of `total` trials, started now: call it after each finished trial to get
 * its {@link TrialProgress}. The estimate is the mean seconds per finished trial times the
 * trials left, capped by what remains of the timeout.
 */
export function trialProgressTracker(total: number, options: TrialProgressOptions = {}): (trial: FrozenTrial, bestValue: number | null) => TrialProgress {
  const now = options.now ?? (() => performance.now());
  const started = now();
  let done = 0;
  return (trial, bestValue) => {
    done++;
    const elapsedSeconds = (now() - started) / 1000;
    let remainingSeconds = (elapsedSeconds / done) * Math.max(0, total - done);
    if (options.timeoutSeconds !== undefined) remainingSeconds = Math.min(remainingSeconds, Math.max(0, options.timeoutSeconds - elapsedSeconds));
    return { trial, done, total, bestValue, elapsedSeconds, remainingSeconds };
  };
}

const whole = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s`;
}

/**
 * One line for a terminal or a notebook: `7 of 50  trial 6  COMPLETE  value 48,875  best 47,912
 * 1 min 02 s elapsed, about 3 min 10 s left`; a pruned trial says after how many steps.
 */
export function formatTrialProgress(p: TrialProgress): string {
  const width = String(p.total).length;
  const t = p.trial;
  const outcome =
    t.state === "PRUNED"
      ? `pruned after ${t.intermediateValues.size} steps`.padEnd(22)
      : t.value === null
        ? "".padEnd(22)
        : `value ${whole.format(t.value)}`.padEnd(22);
  const best = p.bestValue === null ? "best -" : `best ${whole.format(p.bestValue)}`;
  const left = p.done >= p.total ? "done" : `about ${clock(p.remainingSeconds)} left`;
  return (
    `${String(p.done).padStart(width)} of ${p.total}  trial ${String(t.number).padStart(width)}  ${t.state.padEnd(8)}  ${outcome}  ${best.padEnd(14)}` +
    `  ${clock(p.elapsedSeconds)} elapsed, ${left}`
  );
}
