/**
 * The shared-memory protocol between the {@link WorkerPool} and its workers: a small Int32
 * control block and a Float64 task list, both on SharedArrayBuffers; engine setups travel
 * once through each worker's message port.
 */
import type { WasmMemory, WasmModule } from "./wasmKernels";

/** Control block slots: command sequence number, command, acknowledgements, ready workers. */
export const CTRL_SEQ = 0;
/** The command of the current sequence number. */
export const CTRL_CMD = 1;
/** Workers that finished the current command. */
export const CTRL_DONE = 2;
/** Workers started and waiting. */
export const CTRL_READY = 3;
/** Size of the control block. */
export const CTRL_LENGTH = 4;

/** Commands: sum the build units assigned to the worker. */
export const CMD_RUN = 1;
/** Read pending messages (engine setups and releases) from the port, then acknowledge. */
export const CMD_SYNC = 2;
/** Partition the tasks assigned to this worker (see PARTITION_FIELDS). */
export const CMD_PARTITION = 4;
/** Find the best splits of the nodes assigned to this worker (see SPLIT_FIELDS). */
export const CMD_EVALUATE = 5;

/** Task list header: unit count, engine id. */
export const TASK_HEADER = 2;
/** Partition unit layout: begin, end, feature, splitBin, missingLeft, thread, boundary (out). */
export const PARTITION_FIELDS = 7;
/** Build unit layout: slot offset, begin, end, thread, known hessian sums offset (-1: none). */
export const UNIT_FIELDS = 5;
/** Split request layout: histogram offset, features offset, feature count, G, H, root gain, candidate offset, thread. */
export const SPLIT_FIELDS = 8;
/** Size of the shared task list, in float64 fields. */
export const TASK_FIELDS = 8192;

/** What the pool's workers receive once, at start. */
export interface WorkerBoot {
  readonly control: SharedArrayBuffer;
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
