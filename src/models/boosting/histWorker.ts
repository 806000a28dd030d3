/**
 * A worker thread of the {@link WorkerPool}: it instantiates the WebAssembly kernels on each
 * engine's shared memory (sent once through its port), then sums the histogram units and
 * partitions the nodes the main thread assigns to it. Loaded from the built file.
 */
import { MessagePort, receiveMessageOnPort, workerData } from "node:worker_threads";
import {
  CMD_EVALUATE, CMD_PARTITION, CMD_RUN, CTRL_CMD, CTRL_DONE, CTRL_READY, CTRL_SEQ, EngineSetup, PARTITION_FIELDS, SPLIT_FIELDS, TASK_HEADER,
  UNIT_FIELDS, WorkerBoot, WorkerMessage,
} from "./parallelProtocol";
import { instantiateKernels, KernelExports } from "./wasmKernels";

const data = workerData as { boot: WorkerBoot; port: MessagePort; thread: number };
const port = data.port;
const thread = data.thread;
const control = new Int32Array(data.boot.control);
const tasks = new Float64Array(data.boot.tasks);
const engines = new Map<number, { setup: EngineSetup; k: KernelExports }>();
/** One kernel instance per memory (arenas are reused by later engines). */
const instances = new Map<number, KernelExports>();

function drainPort(): void {
  for (;;) {
    const m = receiveMessageOnPort(port);
    if (m === undefined) return;
    const msg = m.message as WorkerMessage;
    if (msg.kind === "setup") {
      let k = instances.get(msg.setup.memoryId);
      if (k === undefined) {
        k = instantiateKernels(msg.setup.memory, data.boot.module);
        instances.set(msg.setup.memoryId, k);
      }
      engines.set(msg.id, { setup: msg.setup, k });
    } else if (msg.kind === "release") {
      engines.delete(msg.id);
    } else {
      instances.delete(msg.memoryId);
    }
  }
}

/** Calls `run` for each task of the current command (`width` fields each) assigned to this thread. */
function eachTask(width: number, threadField: number, run: (o: number, s: EngineSetup, k: KernelExports) => void): void {
  const e = engines.get(tasks[1] as number);
  if (e === undefined) return;
  const n = tasks[0] as number;
  for (let i = 0, o = TASK_HEADER; i < n; i++, o += width) {
    if (tasks[o + threadField] === thread) run(o, e.setup, e.k);
  }
}

function runUnits(): void {
  eachTask(UNIT_FIELDS, 3, (o, s, k) => k.buildUnit(tasks[o] as number, s.idx, tasks[o + 1] as number, tasks[o + 2] as number,
    s.gpair, s.entries, s.wide ? 1 : 0, s.rowPtr, s.bins, tasks[o + 4] as number));
}

function runPartitions(): void {
  eachTask(PARTITION_FIELDS, 5, (o, s, k) => {
    tasks[o + 6] = k.partitionRows(s.idx, s.tmp + thread * s.rows * 4, s.colBins, s.rows, tasks[o] as number,
      tasks[o + 1] as number, tasks[o + 2] as number, tasks[o + 3] as number, tasks[o + 4] as number);
  });
}

function runEvaluations(): void {
  eachTask(SPLIT_FIELDS, 7, (o, s, k) => k.evaluateNode(tasks[o] as number, tasks[o + 1] as number, tasks[o + 2] as number,
    s.cutPtrs, s.cutValues, s.minValues, s.hasMissing, tasks[o + 3] as number, tasks[o + 4] as number, tasks[o + 5] as number,
    s.splitParams, tasks[o + 6] as number));
}

// Read the sequence number before announcing readiness, so no command can slip in between.
let seen = Atomics.load(control, CTRL_SEQ);
Atomics.add(control, CTRL_READY, 1);
Atomics.notify(control, CTRL_READY);
/** How long a worker keeps polling for the next command before sleeping: longer than the main
 * thread's work between two commands of one tree (so a training never waits for a wake-up, which
 * costs 0.05-0.1 ms), short enough to free the core soon after training. */
const SPIN_MS = 1;
for (;;) {
  let spins = 0;
  let spinStart = 0;
  while (Atomics.load(control, CTRL_SEQ) === seen) {
    if ((++spins & 1023) !== 0) continue;
    if (spinStart === 0) spinStart = performance.now();
    else if (performance.now() - spinStart > SPIN_MS) Atomics.wait(control, CTRL_SEQ, seen);
  }
  seen = Atomics.load(control, CTRL_SEQ);
  drainPort();
  const cmd = Atomics.load(control, CTRL_CMD);
  if (cmd === CMD_RUN) runUnits();
  if (cmd === CMD_PARTITION) runPartitions();
  if (cmd === CMD_EVALUATE) runEvaluations();
  Atomics.add(control, CTRL_DONE, 1);
  Atomics.notify(control, CTRL_DONE);
}
