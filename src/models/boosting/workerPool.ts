import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { MessageChannel, MessagePort, Worker } from "node:worker_threads";
import {
  claimUnits, CTRL_CMD, CTRL_DONE, CTRL_LENGTH, CTRL_READY, CTRL_SEQ, CTRL_WORKER_UNITS, EngineSetup, MAX_UNITS,
  TASK_ENGINE, TASK_FIELDS, TASK_FIRST_PHASE, TASK_THREADS, TASK_UNITS, WorkerBoot, WorkerMessage,
} from "./parallelProtocol";
import { kernelModule } from "./wasmKernels";

export type { EngineSetup };

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
  for (const source of ["histWorker.ts", "parallelProtocol.ts", "levelPlan.ts", "wasmKernels.ts"]) {
    const path = join(__dirname, source);
    if (existsSync(path) && statSync(path).mtimeMs > builtTime) return null;
  }
  return built;
}

/**
 * The process-wide pool of worker threads (worker `t` is thread `t`, the caller thread 0),
 * created on first use and kept (unref'd). Engines register their shared memory once; each
 * command names the engine it is for, so several engines (one per cv fold) share the pool.
 * Commands are lists of units that every thread claims (see parallelProtocol.ts).
 */
export class WorkerPool {
  private readonly control = new Int32Array(new SharedArrayBuffer(CTRL_LENGTH * 4));
  private readonly claims = new Int32Array(new SharedArrayBuffer(MAX_UNITS * 4));
  /** The task list of the next command: the caller writes it, then calls {@link command}. */
  readonly tasks = new Float64Array(new SharedArrayBuffer(TASK_FIELDS * 8));
  private readonly ports: MessagePort[] = [];
  private nextId = 0;

  constructor(private readonly script: string) {}

  /** Workers running. */
  get size(): number {
    return this.ports.length;
  }

  /** Units the workers have run since the pool started. */
  get workerUnits(): number {
    return Atomics.load(this.control, CTRL_WORKER_UNITS);
  }

  /**
   * Makes sure at least `n` workers are started, without waiting for them: until a worker is
   * ready, the threads that are claim its units (see parallelProtocol.ts), so the first training
   * does not wait for a thread to boot.
   */
  ensure(n: number): void {
    const boot: WorkerBoot = {
      control: this.control.buffer as SharedArrayBuffer, claims: this.claims.buffer as SharedArrayBuffer,
      tasks: this.tasks.buffer as SharedArrayBuffer, module: kernelModule(),
    };
    while (this.ports.length < n) {
      const { port1, port2 } = new MessageChannel();
      const w = new Worker(this.script, { workerData: { boot, port: port2, thread: this.ports.length + 1 }, transferList: [port2] });
      w.unref();
      port1.unref();
      this.ports.push(port1);
    }
  }

  /** Blocks until every started worker is ready for commands. */
  waitReady(): void {
    for (;;) {
      const ready = Atomics.load(this.control, CTRL_READY);
      if (ready >= this.ports.length) return;
      Atomics.wait(this.control, CTRL_READY, ready, 100);
    }
  }

  /** Sends an engine's memory to every worker; returns the engine's id. */
  register(setup: EngineSetup): number {
    const id = this.nextId++;
    this.broadcast({ kind: "setup", id, setup });
    return id;
  }

  /** Lets the workers drop an engine (they read it before their next command). */
  unregister(id: number): void {
    this.broadcast({ kind: "release", id });
  }

  /** Lets the workers drop their kernel instance on a memory that will not be reused. */
  forgetMemory(memoryId: number): void {
    this.broadcast({ kind: "forget", memoryId });
  }

  /**
   * Runs command `cmd` of `units` units, the first `firstPhase` of them before the others (its
   * task list already written after the header), for `engine` on `threads` threads, the caller
   * included: `run(unit)` runs the units the caller claims; returns once every unit is finished.
   */
  command(cmd: number, engine: number, units: number, firstPhase: number, threads: number, run: (unit: number) => void): void {
    if (units > MAX_UNITS) throw new RangeError(`boosting: ${units} units in one command (at most ${MAX_UNITS})`);
    const c = this.control;
    const t = this.tasks;
    t[TASK_UNITS] = units;
    t[TASK_FIRST_PHASE] = firstPhase;
    t[TASK_ENGINE] = engine;
    t[TASK_THREADS] = threads;
    const seq = (Atomics.load(c, CTRL_SEQ) + 1) | 0;
    // Units past this command's count are marked taken, so no thread claims them.
    for (let u = units; u < MAX_UNITS; u++) Atomics.store(this.claims, u, seq);
    Atomics.store(c, CTRL_DONE, 0);
    Atomics.store(c, CTRL_CMD, cmd);
    Atomics.store(c, CTRL_SEQ, seq);
    Atomics.notify(c, CTRL_SEQ);
    claimUnits(c, this.claims, seq, units, firstPhase, threads, 0, run);
    // Poll (a futex wake-up costs ~50 us, as long as a small command's work), then sleep if a
    // worker that claimed a unit is really late (a busy machine).
    const waitStart = performance.now();
    let spins = 0;
    for (;;) {
      const done = Atomics.load(c, CTRL_DONE);
      if (done >= units) break;
      if ((++spins & 1023) === 0 && performance.now() - waitStart > WAIT_SPIN_MS) Atomics.wait(c, CTRL_DONE, done, 20);
    }
  }

  private broadcast(message: WorkerMessage): void {
    for (const port of this.ports) port.postMessage(message);
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
