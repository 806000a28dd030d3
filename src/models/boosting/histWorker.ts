/**
 * A histogram worker thread of the pool in parallelEngine.ts: for each training run it
 * receives the shared arrays (see parallelProtocol.ts), then sums the histogram units and
 * partitions the nodes the main thread assigns to it. Loaded from the built file.
 */
import { MessagePort, receiveMessageOnPort, workerData } from "node:worker_threads";
import { accumulateRows, clearBins, partitionRows } from "./histKernels";
import {
  CMD_PARTITION, CMD_RELEASE, CMD_RUN, CMD_SETUP, CTRL_CMD, CTRL_DONE, CTRL_READY, CTRL_SEQ, PARTITION_FIELDS, UNIT_FIELDS,
  WorkerBoot, WorkerSetup,
} from "./parallelProtocol";

interface State {
  idx: Int32Array;
  grad: Float32Array;
  hess: Float32Array;
  entries: Uint16Array | Uint32Array;
  start: Int32Array;
  stop: Int32Array;
  colBins: Uint16Array;
  tmp: Int32Array;
  rows: number;
  thread: number;
  totalBins: number;
  slots: Float64Array[];
}

const data = workerData as { boot: WorkerBoot; port: MessagePort };
const port = data.port;
const control = new Int32Array(data.boot.control);
const tasks = new Float64Array(data.boot.tasks);
let state: State | null = null;

function drainPort(): void {
  for (;;) {
    const m = receiveMessageOnPort(port);
    if (m === undefined) return;
    const msg = m.message as WorkerSetup | SharedArrayBuffer[];
    if (Array.isArray(msg)) {
      for (const buf of msg) state?.slots.push(new Float64Array(buf));
    } else {
      const rowPtr = new Int32Array(msg.rowPtr);
      state = {
        idx: new Int32Array(msg.idx),
        grad: new Float32Array(msg.grad),
        hess: new Float32Array(msg.hess),
        entries: msg.entriesWide ? new Uint32Array(msg.entries) : new Uint16Array(msg.entries),
        start: rowPtr,
        stop: rowPtr.subarray(1),
        colBins: new Uint16Array(msg.colBins),
        tmp: new Int32Array(msg.rows),
        rows: msg.rows,
        thread: msg.thread,
        totalBins: msg.totalBins,
        slots: [],
      };
    }
  }
}

function runUnits(s: State): void {
  const n = tasks[0] as number;
  for (let k = 0, o = 1; k < n; k++, o += UNIT_FIELDS) {
    if (tasks[o + 3] !== s.thread) continue;
    const hist = s.slots[tasks[o] as number] as Float64Array;
    clearBins(hist, 0, s.totalBins);
    accumulateRows(hist, s.idx, tasks[o + 1] as number, tasks[o + 2] as number, s.grad, s.hess, s.entries, s.start, s.stop);
  }
}

function runPartitions(s: State): void {
  const n = tasks[0] as number;
  for (let k = 0, o = 1; k < n; k++, o += PARTITION_FIELDS) {
    if (tasks[o + 5] !== s.thread) continue;
    tasks[o + 6] = partitionRows(s.idx, s.tmp, s.colBins, s.rows, tasks[o] as number, tasks[o + 1] as number,
      tasks[o + 2] as number, tasks[o + 3] as number, tasks[o + 4] === 1);
  }
}

// Read the sequence number before announcing readiness, so no command can slip in between.
let seen = Atomics.load(control, CTRL_SEQ);
Atomics.add(control, CTRL_READY, 1);
Atomics.notify(control, CTRL_READY);
/** How long a worker keeps polling for the next command before sleeping: waking a sleeping
 * thread costs ~0.1 ms; spinning longer steals the core from the main thread on a busy machine. */
const SPIN_MS = 0.25;
for (;;) {
  let spins = 0;
  let spinStart = 0;
  while (Atomics.load(control, CTRL_SEQ) === seen) {
    if ((++spins & 1023) !== 0) continue;
    if (spinStart === 0) spinStart = performance.now();
    else if (performance.now() - spinStart > SPIN_MS) Atomics.wait(control, CTRL_SEQ, seen);
  }
  seen = Atomics.load(control, CTRL_SEQ);
  const cmd = Atomics.load(control, CTRL_CMD);
  if (cmd === CMD_SETUP || cmd === CMD_RUN) drainPort();
  if (cmd === CMD_RUN && state !== null) runUnits(state);
  if (cmd === CMD_PARTITION && state !== null) runPartitions(state);
  if (cmd === CMD_RELEASE) state = null;
  Atomics.add(control, CTRL_DONE, 1);
  Atomics.notify(control, CTRL_DONE);
}
