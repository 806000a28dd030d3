import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { MessageChannel, MessagePort, Worker } from "node:worker_threads";
import type { BuildTask, BuildUnit, HistEngine, PartitionTask, SubtractTask } from "./histEngine";
import { addInto, planBuilds, SlotPool, SPLIT_MIN_ROWS } from "./histEngine";
import { accumulateRows, clearBins, fillImplicitBins, partitionRows, subtractBins } from "./histKernels";
import {
  CMD_PARTITION, CMD_RELEASE, CMD_RUN, CMD_SETUP, CTRL_CMD, CTRL_DONE, CTRL_LENGTH, CTRL_READY, CTRL_SEQ, PARTITION_FIELDS,
  TASK_FIELDS, UNIT_FIELDS, WorkerBoot, WorkerSetup,
} from "./parallelProtocol";
import type { QuantizedMatrix } from "./quantized";

/**
 * The compiled worker script: next to this file once built (dist/), or in dist/ when this
 * file runs from source (tests). Null when neither exists.
 */
export function workerScriptPath(): string | null {
  const beside = join(__dirname, "histWorker.js");
  if (existsSync(beside)) return beside;
  // Running from source: use the built worker only if it is not older than the sources it
  // was built from (a stale worker would speak another protocol).
  const built = join(__dirname, "..", "..", "..", "dist", "models", "boosting", "histWorker.js");
  if (!existsSync(built)) return null;
  const builtTime = statSync(built).mtimeMs;
  for (const source of ["histWorker.ts", "histKernels.ts", "parallelProtocol.ts"]) {
    const path = join(__dirname, source);
    if (existsSync(path) && statSync(path).mtimeMs > builtTime) return null;
  }
  return built;
}

/** The process-wide pool of histogram workers, created on first use and kept (unref'd). */
class WorkerPool {
  readonly control = new Int32Array(new SharedArrayBuffer(CTRL_LENGTH * 4));
  readonly tasks = new Float64Array(new SharedArrayBuffer(TASK_FIELDS * 8));
  private readonly ports: MessagePort[] = [];
  /** The engine currently using the pool (one at a time: training is synchronous). */
  owner: ParallelHistEngine | null = null;

  constructor(private readonly script: string) {}

  get size(): number {
    return this.ports.length;
  }

  /** Makes sure `n` workers run and are ready. */
  ensure(n: number): void {
    const boot: WorkerBoot = { control: this.control.buffer as SharedArrayBuffer, tasks: this.tasks.buffer as SharedArrayBuffer };
    while (this.ports.length < n) {
      const { port1, port2 } = new MessageChannel();
      const w = new Worker(this.script, { workerData: { boot, port: port2 }, transferList: [port2] });
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

  /** Sends `message` to worker `k` (read when it next wakes up). */
  post(k: number, message: unknown): void {
    (this.ports[k] as MessagePort).postMessage(message);
  }

  /** Wakes the first `n` workers with `cmd` and waits until they acknowledge; `work` runs meanwhile. */
  command(cmd: number, n: number, work?: () => void): void {
    const c = this.control;
    Atomics.store(c, CTRL_DONE, 0);
    Atomics.store(c, CTRL_CMD, cmd);
    Atomics.add(c, CTRL_SEQ, 1);
    Atomics.notify(c, CTRL_SEQ);
    work?.();
    let spins = 0;
    for (;;) {
      const done = Atomics.load(c, CTRL_DONE);
      if (done >= n) break;
      if (++spins > 2000) Atomics.wait(c, CTRL_DONE, done, 20);
    }
  }
}

let pool: WorkerPool | null = null;

/**
 * Builds histograms and partitions rows with `threads` threads sharing memory (the caller is
 * thread 0). Work is cut into units that do not depend on the thread count (see
 * `planBuilds`; a partition split in halves gives the same stable order), and units are
 * dealt to threads by size, so the trees are bit-identical at any thread count.
 */
export class ParallelHistEngine implements HistEngine {
  readonly idx: Int32Array;
  readonly grad: Float32Array;
  readonly hess: Float32Array;
  private readonly slotPool: SlotPool;
  private readonly pool: WorkerPool;
  private readonly rowPtr: Int32Array;
  private readonly stop: Int32Array;
  private readonly others: number;
  private readonly threads: number;
  private readonly tmp: Int32Array;
  private readonly colBins: Uint16Array;
  private readonly entries: Uint16Array | Uint32Array;
  private sentSlots = 0;
  private readonly setups: WorkerSetup[] = [];

  constructor(private readonly q: QuantizedMatrix, threads: number, script: string) {
    const n = q.rows;
    const shared = <T extends Int32Array | Float32Array | Uint16Array | Uint32Array>(make: (b: SharedArrayBuffer) => T, bytes: number): T =>
      make(new SharedArrayBuffer(bytes));
    this.idx = shared((b) => new Int32Array(b), n * 4);
    this.grad = shared((b) => new Float32Array(b), n * 4);
    this.hess = shared((b) => new Float32Array(b), n * 4);
    this.rowPtr = shared((b) => new Int32Array(b), (n + 1) * 4);
    this.rowPtr.set(q.rowPtr);
    this.stop = this.rowPtr.subarray(1);
    this.entries = q.entries instanceof Uint16Array
      ? shared((b) => new Uint16Array(b), q.entries.byteLength) : shared((b) => new Uint32Array(b), q.entries.byteLength);
    this.entries.set(q.entries);
    this.colBins = shared((b) => new Uint16Array(b), q.colBins.byteLength);
    this.colBins.set(q.colBins);
    this.slotPool = new SlotPool(q.totalBins * 2, (bytes) => new SharedArrayBuffer(bytes));
    this.tmp = new Int32Array(n);
    this.threads = threads;
    this.others = threads - 1;
    pool ??= new WorkerPool(script);
    this.pool = pool;
    this.pool.ensure(this.others);
    for (let t = 1; t < threads; t++) {
      this.setups.push({
        kind: "setup",
        idx: this.idx.buffer as SharedArrayBuffer, grad: this.grad.buffer as SharedArrayBuffer,
        hess: this.hess.buffer as SharedArrayBuffer, entries: this.entries.buffer as SharedArrayBuffer,
        entriesWide: this.entries instanceof Uint32Array, rowPtr: this.rowPtr.buffer as SharedArrayBuffer,
        colBins: this.colBins.buffer as SharedArrayBuffer, rows: n, thread: t, totalBins: q.totalBins,
      });
    }
    this.acquire();
  }

  /**
   * Points the pool's workers at this engine's arrays. Several engines may exist at once
   * (one per fold in `cv`); they take turns, re-sending their setup when they take over.
   */
  private acquire(): void {
    if (this.pool.owner === this) return;
    this.setups.forEach((setup, k) => this.pool.post(k, setup));
    this.pool.command(CMD_SETUP, this.others);
    this.sentSlots = 0;
    this.pool.owner = this;
  }

  histogram(slot: number): Float64Array {
    return this.slotPool.slots[slot] as Float64Array;
  }

  allocSlot(): number {
    return this.slotPool.alloc();
  }

  freeSlot(slot: number): void {
    this.slotPool.release(slot);
  }

  /** Deals `sizes` to threads, largest load first, in order; returns each item's thread. */
  private deal(sizes: readonly number[]): number[] {
    const load = new Float64Array(this.threads);
    return sizes.map((size) => {
      let best = 0;
      for (let k = 1; k < this.threads; k++) if ((load[k] as number) < (load[best] as number)) best = k;
      load[best] = (load[best] as number) + size;
      return best;
    });
  }

  /**
   * Partitions nodes in parallel. A large node is cut in two halves partitioned
   * separately, then the left rows of the second half are moved before the right rows of the
   * first: the same stable order as one pass.
   */
  partition(tasks: readonly PartitionTask[]): number[] {
    const q = this.q;
    const missingLeft = (t: PartitionTask): boolean => t.missingLeft && q.hasMissing[t.feature] === 1;
    const units: Array<{ task: PartitionTask; begin: number; end: number }> = [];
    for (const t of tasks) {
      if (t.end - t.begin >= SPLIT_MIN_ROWS) {
        const mid = t.begin + ((t.end - t.begin) >> 1);
        units.push({ task: t, begin: t.begin, end: mid }, { task: t, begin: mid, end: t.end });
      } else {
        units.push({ task: t, begin: t.begin, end: t.end });
      }
    }
    const rowsTotal = units.reduce((a, u) => a + u.end - u.begin, 0);
    const bounds = new Array<number>(units.length).fill(-1);
    const runUnit = (k: number): void => {
      const u = units[k]!;
      bounds[k] = partitionRows(this.idx, this.tmp, this.colBins, q.rows, u.begin, u.end, u.task.feature, u.task.splitBin, missingLeft(u.task));
    };
    if (units.length < 2 || rowsTotal < SPLIT_MIN_ROWS || 1 + units.length * PARTITION_FIELDS > TASK_FIELDS) {
      units.forEach((_, k) => runUnit(k));
    } else {
      this.acquire();
      const owner = this.deal(units.map((u) => u.end - u.begin));
      const buf = this.pool.tasks;
      buf[0] = units.length;
      units.forEach((u, k) => {
        const o = 1 + k * PARTITION_FIELDS;
        buf[o] = u.begin; buf[o + 1] = u.end; buf[o + 2] = u.task.feature; buf[o + 3] = u.task.splitBin;
        buf[o + 4] = missingLeft(u.task) ? 1 : 0; buf[o + 5] = owner[k] as number; buf[o + 6] = -1;
      });
      this.pool.command(CMD_PARTITION, this.others, () => {
        units.forEach((_, k) => { if (owner[k] === 0) runUnit(k); });
      });
      units.forEach((_, k) => { if (owner[k] !== 0) bounds[k] = buf[1 + k * PARTITION_FIELDS + 6] as number; });
    }
    const mids: number[] = [];
    let k = 0;
    for (const t of tasks) {
      if (t.end - t.begin >= SPLIT_MIN_ROWS) {
        const half = units[k]!.end;
        const mid0 = bounds[k] as number;
        const mid1 = bounds[k + 1] as number;
        // [begin, mid0) left0 | [mid0, half) right0 | [half, mid1) left1 | [mid1, end) right1
        const right0 = this.idx.slice(mid0, half);
        this.idx.copyWithin(mid0, half, mid1);
        this.idx.set(right0, mid0 + (mid1 - half));
        mids.push(mid0 + (mid1 - half));
        k += 2;
      } else {
        mids.push(bounds[k] as number);
        k += 1;
      }
    }
    return mids;
  }

  run(builds: readonly BuildTask[], subtracts: readonly SubtractTask[]): void {
    this.acquire();
    const q = this.q;
    const { units, merges } = planBuilds(builds, () => this.allocSlot());
    const slots = this.slotPool.slots;
    if (this.sentSlots < slots.length) {
      const fresh = slots.slice(this.sentSlots).map((s) => s.buffer as SharedArrayBuffer);
      for (let k = 0; k < this.others; k++) this.pool.post(k, fresh);
      this.sentSlots = slots.length;
    }
    const mine = (u: BuildUnit): void => {
      const hist = this.histogram(u.slot);
      clearBins(hist, 0, q.totalBins);
      accumulateRows(hist, this.idx, u.begin, u.end, this.grad, this.hess, this.entries, this.rowPtr, this.stop);
    };
    const rowsTotal = units.reduce((a, u) => a + u.end - u.begin, 0);
    if (units.length < 2 || rowsTotal < SPLIT_MIN_ROWS || 1 + units.length * UNIT_FIELDS > TASK_FIELDS) {
      units.forEach(mine);
    } else {
      const owner = this.deal(units.map((u) => u.end - u.begin));
      const t = this.pool.tasks;
      t[0] = units.length;
      units.forEach((u, k) => {
        const o = 1 + k * UNIT_FIELDS;
        t[o] = u.slot; t[o + 1] = u.begin; t[o + 2] = u.end; t[o + 3] = owner[k] as number;
      });
      this.pool.command(CMD_RUN, this.others, () => {
        units.forEach((u, k) => { if (owner[k] === 0) mine(u); });
      });
    }
    for (const [into, from] of merges) {
      addInto(this.histogram(into), this.histogram(from));
      this.freeSlot(from);
    }
    for (const b of builds) fillImplicitBins(this.histogram(b.slot), q.cuts.ptrs, q.implicitBin, 0, q.cols, b.G, b.H);
    for (const s of subtracts) subtractBins(this.histogram(s.out), this.histogram(s.parent), this.histogram(s.built), 0, q.totalBins);
  }

  close(): void {
    if (this.pool.owner !== this) return;
    this.pool.command(CMD_RELEASE, this.others);
    this.pool.owner = null;
  }
}
