import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { MessageChannel, MessagePort, Worker } from "node:worker_threads";
import {
  CMD_EVALUATE, CMD_PARTITION, CMD_RUN, CMD_SYNC, CTRL_CMD, CTRL_DONE, CTRL_LENGTH, CTRL_READY, CTRL_SEQ, EngineSetup,
  PARTITION_FIELDS, SPLIT_FIELDS, TASK_FIELDS, TASK_HEADER, UNIT_FIELDS, WorkerBoot, WorkerMessage,
} from "./parallelProtocol";
import { kernelModule } from "./wasmKernels";

export type { EngineSetup };

/** A histogram unit for a worker: rows `idx[begin..end)` into the histogram at byte offset `slot`. */
export interface UnitSpec {
  readonly slot: number;
  readonly begin: number;
  readonly end: number;
  readonly thread: number;
  /** Offset of the unit's known hessian sums (see HistEngine), or -1. */
  readonly counts: number;
}

/** A partition unit for a worker. */
export interface PartitionSpec {
  readonly begin: number;
  readonly end: number;
  readonly feature: number;
  readonly splitBin: number;
  readonly missingLeft: boolean;
  readonly thread: number;
}

/** A split request for a worker (byte offsets into the engine's memory). */
export interface SplitSpec {
  readonly hist: number;
  readonly features: number;
  readonly count: number;
  readonly G: number;
  readonly H: number;
  readonly rootGain: number;
  readonly candidate: number;
  readonly thread: number;
}

/**
 * The compiled worker script: next to this file once built (dist/), or in dist/ when this
 * file runs from source (tests). Null when neither exists or the build is stale.
 */
export function workerScriptPath(): string | null {
  const beside = join(__dirname, "histWorker.js");
  if (existsSync(beside)) return beside;
  // Running from source: use the built worker only if it is not older than the sources it
  // was built from (a stale worker would speak another protocol).
  const built = join(__dirname, "..", "..", "..", "dist", "models", "boosting", "histWorker.js");
  if (!existsSync(built)) return null;
  const builtTime = statSync(built).mtimeMs;
  for (const source of ["histWorker.ts", "parallelProtocol.ts", "wasmKernels.ts"]) {
    const path = join(__dirname, source);
    if (existsSync(path) && statSync(path).mtimeMs > builtTime) return null;
  }
  return built;
}

/**
 * The process-wide pool of histogram workers (worker `t` is thread `t`, the caller thread 0),
 * created on first use and kept (unref'd). Engines register their shared memory once; each
 * command names the engine it is for, so several engines (one per cv fold) share the pool.
 */
export class WorkerPool {
  private readonly control = new Int32Array(new SharedArrayBuffer(CTRL_LENGTH * 4));
  private readonly tasks = new Float64Array(new SharedArrayBuffer(TASK_FIELDS * 8));
  private readonly ports: MessagePort[] = [];
  private nextId = 0;
  /** How long the last command waited for the workers after the caller's own share, in ms. */
  lastWaitMs = 0;
  /** How long the caller's own share of the last command took, in ms. */
  lastWorkMs = 0;

  constructor(private readonly script: string) {}

  /** Workers running. */
  get size(): number {
    return this.ports.length;
  }

  /** Makes sure at least `n` workers run and are ready. */
  ensure(n: number): void {
    const boot: WorkerBoot = { control: this.control.buffer as SharedArrayBuffer, tasks: this.tasks.buffer as SharedArrayBuffer, module: kernelModule() };
    while (this.ports.length < n) {
      const { port1, port2 } = new MessageChannel();
      const w = new Worker(this.script, { workerData: { boot, port: port2, thread: this.ports.length + 1 }, transferList: [port2] });
      w.unref();
      port1.unref();
      this.ports.push(port1);
    }
    for (;;) {
      const ready = Atomics.load(this.control, CTRL_READY);
      if (ready >= n) break;
      Atomics.wait(this.control, CTRL_READY, ready, 100);
    }
  }

  /** Sends an engine's memory to every worker; returns the engine's id. */
  register(setup: EngineSetup): number {
    const id = this.nextId++;
    this.broadcast({ kind: "setup", id, setup });
    return id;
  }

  /** Lets the workers drop an engine's memory. */
  unregister(id: number): void {
    this.broadcast({ kind: "release", id });
    this.command(CMD_SYNC);
  }

  /** Lets the workers drop their kernel instance on a memory that will not be reused. */
  forgetMemory(memoryId: number): void {
    this.broadcast({ kind: "forget", memoryId });
  }

  /** Whether `n` build units fit the task list. */
  fitsUnits(n: number): boolean {
    return TASK_HEADER + n * UNIT_FIELDS <= TASK_FIELDS;
  }

  /** Whether `n` partition units fit the task list. */
  fitsPartitions(n: number): boolean {
    return TASK_HEADER + n * PARTITION_FIELDS <= TASK_FIELDS;
  }

  /** Whether `n` split requests fit the task list. */
  fitsSplits(n: number): boolean {
    return TASK_HEADER + n * SPLIT_FIELDS <= TASK_FIELDS;
  }

  /** Runs the units of threads >= 1 on the workers while `mine` runs thread 0's. */
  build(engine: number, units: readonly UnitSpec[], mine: () => void): void {
    this.dispatch(CMD_RUN, engine, UNIT_FIELDS, units.map((u) => [u.slot, u.begin, u.end, u.thread, u.counts]), mine);
  }

  /** Partitions the units of threads >= 1 on the workers while `mine` runs thread 0's; fills their `bounds`. */
  partition(engine: number, units: readonly PartitionSpec[], bounds: number[], mine: () => void): void {
    this.dispatch(CMD_PARTITION, engine, PARTITION_FIELDS, units.map((u) => [u.begin, u.end, u.feature, u.splitBin,
      u.missingLeft ? 1 : 0, u.thread, -1]), mine);
    const t = this.tasks;
    units.forEach((u, k) => { if (u.thread !== 0) bounds[k] = t[TASK_HEADER + k * PARTITION_FIELDS + 6] as number; });
  }

  /** Evaluates the split requests of threads >= 1 on the workers while `mine` runs thread 0's. */
  evaluate(engine: number, specs: readonly SplitSpec[], mine: () => void): void {
    this.dispatch(CMD_EVALUATE, engine, SPLIT_FIELDS, specs.map((sp) => [sp.hist, sp.features, sp.count, sp.G, sp.H,
      sp.rootGain, sp.candidate, sp.thread]), mine);
  }

  /** Writes `rows` (each `width` fields) as the task list of `cmd` for `engine`, then runs the command. */
  private dispatch(cmd: number, engine: number, width: number, rows: readonly number[][], mine: () => void): void {
    const t = this.tasks;
    t[0] = rows.length;
    t[1] = engine;
    rows.forEach((row, k) => t.set(row, TASK_HEADER + k * width));
    this.command(cmd, mine);
  }

  private broadcast(message: WorkerMessage): void {
    for (const port of this.ports) port.postMessage(message);
  }

  /** Wakes every worker with `cmd` and waits until all acknowledge; `work` runs meanwhile. */
  private command(cmd: number, work?: () => void): void {
    const c = this.control;
    const n = this.ports.length;
    Atomics.store(c, CTRL_DONE, 0);
    Atomics.store(c, CTRL_CMD, cmd);
    Atomics.add(c, CTRL_SEQ, 1);
    Atomics.notify(c, CTRL_SEQ);
    const workStart = performance.now();
    work?.();
    const waitStart = performance.now();
    this.lastWorkMs = waitStart - workStart;
    // Poll (the caller has nothing else to do; a futex wake-up costs ~50 us, as long as a small
    // command's work), then sleep if the workers are really late.
    let spins = 0;
    for (;;) {
      const done = Atomics.load(c, CTRL_DONE);
      if (done >= n) break;
      if ((++spins & 1023) === 0 && performance.now() - waitStart > WAIT_SPIN_MS) Atomics.wait(c, CTRL_DONE, done, 20);
    }
    this.lastWaitMs = performance.now() - waitStart;
  }
}

/** How long the caller polls for the workers' acknowledgements before sleeping, in ms. */
const WAIT_SPIN_MS = 2;

let shared: WorkerPool | null = null;

/** The process-wide pool with at least `workers` workers, or null when the worker script is not built. */
export function workerPool(workers: number): WorkerPool | null {
  const script = workerScriptPath();
  if (script === null) return null;
  shared ??= new WorkerPool(script);
  shared.ensure(workers);
  return shared;
}
