/**
 * When, over a window of LATE_WINDOW commands, the caller waited for the workers (after its own
 * share) more than LATE_RATIO times as long as its own shares took, the workers are not getting
 * their cores (a busy machine; on an idle one both shares run at once): the engine then works alone
 * for REST_TREES trees before trying them again. Results are the same either way. The first tree
 * is not judged (the workers instantiate the kernels then). Without this, 2 threads ran 2x slower
 * than 1 on a loaded machine; judging single commands rested the workers on an idle one too.
 */
const LATE_RATIO = 1.5;
const LATE_WINDOW = 16;
const REST_TREES = 25;

/** Engine-wide switches: `restLateWorkers` off makes every eligible command go to the workers (tests of the parallel paths). */
export const engineSettings = { restLateWorkers: true };

/** Watches how long the caller waits for the workers, and rests them while the machine is busy. */
export class WorkerLateness {
  private waited = 0;
  private worked = 0;
  private judged = 0;
  private restUntilTree = 0;

  /** Whether the workers may be used during tree number `tree`. */
  usable(tree: number): boolean {
    return tree >= this.restUntilTree;
  }

  /** Records one command: the caller's own share took `workMs`, then it waited `waitMs`. */
  observe(tree: number, workMs: number, waitMs: number): void {
    if (tree < 2 || !engineSettings.restLateWorkers) return;
    this.waited += waitMs;
    this.worked += workMs;
    if (++this.judged < LATE_WINDOW) return;
    if (this.waited > LATE_RATIO * this.worked) this.restUntilTree = tree + REST_TREES;
    this.waited = 0;
    this.worked = 0;
    this.judged = 0;
  }
}
