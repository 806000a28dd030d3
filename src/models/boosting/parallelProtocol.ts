/**
 * The shared-memory protocol between {@link ParallelHistEngine} and its workers: a small
 * Int32 control block and a Float64 task list, both on SharedArrayBuffers.
 */

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
/** Read the new setup / slots from the port, then acknowledge. */
export const CMD_SETUP = 2;
/** Drop the current data so it can be garbage collected, then acknowledge. */
export const CMD_RELEASE = 3;

/** Partition the tasks assigned to this worker (see PARTITION_FIELDS). */
export const CMD_PARTITION = 4;

/** Partition task layout after the count: begin, end, feature, splitBin, missingLeft, thread, boundary (out). */
export const PARTITION_FIELDS = 7;

/** Size of the shared task list, in float64 fields. */
export const TASK_FIELDS = 8192;

/** Build unit layout after the count: slot, begin, end, thread. */
export const UNIT_FIELDS = 4;

/** What the pool's workers receive once, at start. */
export interface WorkerBoot {
  readonly control: SharedArrayBuffer;
  readonly tasks: SharedArrayBuffer;
}

/** What a worker receives for each training run (one engine). */
export interface WorkerSetup {
  readonly kind: "setup";
  readonly idx: SharedArrayBuffer;
  readonly grad: SharedArrayBuffer;
  readonly hess: SharedArrayBuffer;
  readonly entries: SharedArrayBuffer;
  readonly entriesWide: boolean;
  /** `rows + 1` entry pointers (Int32). */
  readonly rowPtr: SharedArrayBuffer;
  /** Feature-major bins (Uint16), for partitioning. */
  readonly colBins: SharedArrayBuffer;
  readonly rows: number;
  readonly thread: number;
  readonly totalBins: number;
}
