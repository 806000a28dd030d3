/**
 * A worker thread of the {@link WorkerPool}: it instantiates the WebAssembly kernels on each
 * engine's shared memory (sent once through its port), then claims and runs units of the level
 * plans the main thread posts: shards, then groups of nodes (see levelPlan.ts).
 * Loaded from the built file.
 */
import { MessagePort, receiveMessageOnPort, workerData } from "node:worker_threads";
import {
  claimUnits, CMD_PLAN, CTRL_CMD, CTRL_READY, CTRL_SEQ, CTRL_WORKER_UNITS, EngineSetup, TASK_ENGINE, TASK_FIRST_PHASE,
  TASK_THREADS, TASK_UNITS, WorkerBoot, WorkerMessage,
} from "./parallelProtocol";
import { runGroup, runShard } from "./levelPlan";
import { instantiateKernels, KernelExports } from "./wasmKernels";

const data = workerData as { boot: WorkerBoot; port: MessagePort; thread: number };
const port = data.port;
const thread = data.thread;
const control = new Int32Array(data.boot.control);
const claims = new Int32Array(data.boot.claims);
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

/** Takes part in command `seq`, if this thread is one of its threads and knows its engine. */
function work(seq: number): void {
  const threads = tasks[TASK_THREADS] as number;
  const e = engines.get(tasks[TASK_ENGINE] as number);
  if (thread >= threads || e === undefined) return;
  if (Atomics.load(control, CTRL_CMD) !== CMD_PLAN) return;
  const firstPhase = tasks[TASK_FIRST_PHASE] as number;
  const run = (u: number): void => {
    if (u < firstPhase) runShard(tasks, u, thread, e.setup, e.k);
    else runGroup(tasks, u - firstPhase, e.setup, e.k);
  };
  const ran = claimUnits(control, claims, seq, tasks[TASK_UNITS] as number, firstPhase, threads, thread, run);
  if (ran > 0) Atomics.add(control, CTRL_WORKER_UNITS, ran);
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
  work(seen);
}
