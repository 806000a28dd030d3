/**
 * The shared-memory protocol between the {@link WorkerPool} and its workers: a small Int32
 * control block, one claim flag per unit of work, and a Float64 task list, all on
 * SharedArrayBuffers; engine setups travel once through each worker's message port.
 *
 * A command is a list of units in two phases: first the shards of a tree level, then groups of
 * nodes whose histograms are finished and evaluated once every shard is done. Every thread, the
 * caller included, claims units by compare-and-swap of their flags to the command's sequence
 * number, phase by phase, its own units first (unit `u` belongs to thread `u % threads`), then
 * any left: a late worker never holds the caller up, and which thread runs a unit never changes
 * its result.
 */
import type { WasmMemory, WasmModule } from "./wasmKernels";

/** Control block slots: command sequence number, command, finished units, ready workers. */
export const CTRL_SEQ = 0;
/** The command of the current sequence number. */
export const CTRL_CMD = 1;
/** Units of the current command that are finished. */
export const CTRL_DONE = 2;
/** Workers started and waiting. */
export const CTRL_READY = 3;
/** Units run by the workers since the pool started (a statistic for tests). */
export const CTRL_WORKER_UNITS = 4;
/** Size of the control block. */
export const CTRL_LENGTH = 5;

/** Most units in one command (size of the claim flag array). */
export const MAX_UNITS = 64;

/** Command: run the claimed units of the level plan in the task list (see levelPlan.ts). */
export const CMD_PLAN = 1;

/** Task list header: unit count, units of the first phase, engine id, threads taking part; then the command's own fields. */
export const TASK_UNITS = 0;
export const TASK_FIRST_PHASE = 1;
export const TASK_ENGINE = 2;
export const TASK_THREADS = 3;
export const TASK_HEADER = 4;
/** Size of the shared task list, in float64 fields. */
export const TASK_FIELDS = 8192;

/** What the pool's workers receive once, at start. */
export interface WorkerBoot {
  readonly control: SharedArrayBuffer;
  readonly claims: SharedArrayBuffer;
  readonly tasks: SharedArrayBuffer;
  readonly module: WasmModule;
}

/** An engine's shared memory and the byte offsets of its buffers (see HistEngine). */
export interface EngineSetup {
  readonly memory: WasmMemory;
  /** The arena's id: workers keep one kernel instance per memory. */
  readonly memoryId: number;
  readonly idx: number;
  /** Per-thread partition scratch: thread t uses `tmp + t * rows * 4`. */
  readonly tmp: number;
  /** (gradient, hessian) float32 pairs per row. */
  readonly gpair: number;
  /** The float32 gradients alone. */
  readonly grad: number;
  readonly preds: number;
  readonly label: number;
  readonly entries: number;
  readonly wide: boolean;
  readonly rowPtr: number;
  readonly colBins: number;
  readonly rows: number;
  readonly cols: number;
  readonly bins: number;
  readonly cutPtrs: number;
  /** Per feature, the global bin left implicit in the entries, or -1 (int32). */
  readonly implicitBin: number;
  readonly cutValues: number;
  readonly minValues: number;
  readonly hasMissing: number;
  readonly splitParams: number;
}

/** Port messages to a worker. */
export type WorkerMessage =
  | { readonly kind: "setup"; readonly id: number; readonly setup: EngineSetup }
  | { readonly kind: "release"; readonly id: number }
  | { readonly kind: "forget"; readonly memoryId: number };

/**
 * Claims and runs the units of command `seq` for `thread`, counting each finished unit in
 * `control[CTRL_DONE]`; returns how many it ran. Units `[0, firstPhase)` go first (own units,
 * then any left); a unit of the second phase starts only once every first-phase unit is done.
 * A flag holds the sequence number of the command that last claimed its unit, so a thread still
 * looking at an older command can never claim a unit of a newer one.
 */
export function claimUnits(control: Int32Array, claims: Int32Array, seq: number, units: number, firstPhase: number,
  threads: number, thread: number, run: (unit: number) => void): number {
  let ran = 0;
  const tryRun = (u: number): void => {
    const seen = Atomics.load(claims, u);
    if (((seen - seq) | 0) >= 0 || Atomics.compareExchange(claims, u, seen, seq) !== seen) return;
    if (u >= firstPhase) while (Atomics.load(control, CTRL_DONE) < firstPhase);
    run(u);
    ran++;
    Atomics.add(control, CTRL_DONE, 1);
  };
  const phase = (from: number, to: number): void => {
    for (let u = from + thread; u < to; u += threads) tryRun(u);
    for (let u = from; u < to; u++) if ((u - from) % threads !== thread) tryRun(u);
  };
  phase(0, firstPhase);
  phase(firstPhase, units);
  return ran;
}
