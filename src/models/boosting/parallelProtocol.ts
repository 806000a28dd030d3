/**
 * The shared-memory protocol between the {@link WorkerPool} and its workers: a small Int32
 * control block, one claim flag per unit of work, and a Float64 task list, all on
 * SharedArrayBuffers; engine setups travel once through each worker's message port.
 *
 * A command is a list of units (the shards of a tree level, or groups of split evaluations).
 * Every thread, the caller included, claims units by compare-and-swap of their flags to the
 * command's sequence number, its own units first (unit `u` belongs to thread `u % threads`),
 * then any left: a late worker never holds the caller up, and which thread runs a unit never
 * changes its result.
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

/** Command: run the claimed shards of the shard plan in the task list (see shardPlan.ts). */
export const CMD_SHARDS = 1;
/** Command: evaluate the split requests of the claimed groups (see SPLIT_FIELDS). */
export const CMD_EVALUATE = 2;

/** Task list header: unit count, engine id, threads taking part; then the command's own fields. */
export const TASK_UNITS = 0;
export const TASK_ENGINE = 1;
export const TASK_THREADS = 2;
export const TASK_HEADER = 3;
/** Split request layout: histogram offset, features offset, feature count, G, H, root gain, candidate offset, group. */
export const SPLIT_FIELDS = 8;
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
  readonly preds: number;
  readonly label: number;
  readonly entries: number;
  readonly wide: boolean;
  readonly rowPtr: number;
  readonly colBins: number;
  readonly rows: number;
  readonly bins: number;
  readonly cutPtrs: number;
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
 * Claims and runs the units of command `seq` for `thread` (own units first, then any left),
 * counting each finished unit in `control[CTRL_DONE]`; returns how many it ran. A flag holds the
 * sequence number of the command that last claimed its unit, so a thread still looking at an
 * older command can never claim a unit of a newer one.
 */
export function claimUnits(control: Int32Array, claims: Int32Array, seq: number, units: number, threads: number,
  thread: number, run: (unit: number) => void): number {
  let ran = 0;
  const tryRun = (u: number): void => {
    const seen = Atomics.load(claims, u);
    if (((seen - seq) | 0) >= 0 || Atomics.compareExchange(claims, u, seen, seq) !== seen) return;
    run(u);
    ran++;
    Atomics.add(control, CTRL_DONE, 1);
  };
  for (let u = thread; u < units; u += threads) tryRun(u);
  for (let u = 0; u < units; u++) if (u % threads !== thread) tryRun(u);
  return ran;
}
