import { accumulateRows, clearBins, fillImplicitBins, partitionRows, subtractBins } from "./histKernels";
import type { QuantizedMatrix } from "./quantized";

/** Build the histogram of rows `idx[begin..end)` (node sums G, H) into `slot`. */
export interface BuildTask {
  readonly slot: number;
  readonly begin: number;
  readonly end: number;
  readonly G: number;
  readonly H: number;
}

/** Fill `out` with `parent - built` (the sibling's histogram). */
export interface SubtractTask {
  readonly out: number;
  readonly parent: number;
  readonly built: number;
}

/** Split rows `idx[begin..end)` on `feature`: bins <= splitBin (and missing if missingLeft) first. */
export interface PartitionTask {
  readonly begin: number;
  readonly end: number;
  readonly feature: number;
  readonly splitBin: number;
  readonly missingLeft: boolean;
}

/**
 * Builds node histograms over a quantized matrix: owns the row-index array the grower
 * partitions, the gradient buffers, and a pool of histogram slots. The serial engine
 * runs everything on the calling thread; `ParallelHistEngine` splits features across workers.
 */
export interface HistEngine {
  readonly idx: Int32Array;
  readonly grad: Float32Array;
  readonly hess: Float32Array;
  /** The histogram stored in `slot`. */
  histogram(slot: number): Float64Array;
  allocSlot(): number;
  freeSlot(slot: number): void;
  /** Partitions the rows of every task (disjoint ranges); returns each task's boundary. */
  partition(tasks: readonly PartitionTask[]): number[];
  /** Runs all builds, then all subtractions. */
  run(builds: readonly BuildTask[], subtracts: readonly SubtractTask[]): void;
  /** Releases threads, if any. */
  close(): void;
}

/** Nodes with at least this many rows are summed in two halves, whatever the thread count. */
export const SPLIT_MIN_ROWS = 4096;

/** One piece of histogram work: rows `idx[begin..end)` summed into `slot` (cleared first). */
export interface BuildUnit {
  readonly slot: number;
  readonly begin: number;
  readonly end: number;
}

/**
 * Cuts builds into units: a large node's rows are summed in two halves, the second into a
 * temporary slot added to the first afterwards (`merges`). The cut depends only on the node,
 * never on the thread count, so the double sums, hence the trees, are the same with 1 or 2
 * threads; it lets two threads share one node's rows.
 */
export function planBuilds(builds: readonly BuildTask[], allocSlot: () => number): { units: BuildUnit[]; merges: Array<[number, number]> } {
  const units: BuildUnit[] = [];
  const merges: Array<[number, number]> = [];
  for (const b of builds) {
    if (b.end - b.begin >= SPLIT_MIN_ROWS) {
      const mid = b.begin + ((b.end - b.begin) >> 1);
      const extra = allocSlot();
      units.push({ slot: b.slot, begin: b.begin, end: mid }, { slot: extra, begin: mid, end: b.end });
      merges.push([b.slot, extra]);
    } else {
      units.push({ slot: b.slot, begin: b.begin, end: b.end });
    }
  }
  return { units, merges };
}

/** Adds histogram `from` into `into` over all bins. */
export function addInto(into: Float64Array, from: Float64Array): void {
  for (let i = 0; i < into.length; i++) into[i] = (into[i] as number) + (from[i] as number);
}

/** Histogram slots allocated on demand and recycled. */
export class SlotPool {
  readonly slots: Float64Array[] = [];
  private readonly free: number[] = [];

  constructor(private readonly slotLength: number, private readonly makeBuffer: (bytes: number) => ArrayBufferLike) {}

  alloc(): number {
    const s = this.free.pop();
    if (s !== undefined) return s;
    this.slots.push(new Float64Array(this.makeBuffer(this.slotLength * 8)));
    return this.slots.length - 1;
  }

  release(slot: number): void {
    this.free.push(slot);
  }
}

/** The single-threaded engine. */
export class SerialHistEngine implements HistEngine {
  readonly idx: Int32Array;
  readonly grad: Float32Array;
  readonly hess: Float32Array;
  private readonly pool: SlotPool;
  private readonly stop: Int32Array;
  private readonly tmp: Int32Array;

  constructor(private readonly q: QuantizedMatrix) {
    this.tmp = new Int32Array(q.rows);
    this.idx = new Int32Array(q.rows);
    this.grad = new Float32Array(q.rows);
    this.hess = new Float32Array(q.rows);
    this.pool = new SlotPool(q.totalBins * 2, (bytes) => new ArrayBuffer(bytes));
    this.stop = q.rowPtr.subarray(1);
  }

  histogram(slot: number): Float64Array {
    return this.pool.slots[slot] as Float64Array;
  }

  allocSlot(): number {
    return this.pool.alloc();
  }

  freeSlot(slot: number): void {
    this.pool.release(slot);
  }

  partition(tasks: readonly PartitionTask[]): number[] {
    const q = this.q;
    return tasks.map((t) => partitionRows(this.idx, this.tmp, q.colBins, q.rows, t.begin, t.end, t.feature, t.splitBin,
      t.missingLeft && q.hasMissing[t.feature] === 1));
  }

  run(builds: readonly BuildTask[], subtracts: readonly SubtractTask[]): void {
    const q = this.q;
    const { units, merges } = planBuilds(builds, () => this.allocSlot());
    for (const u of units) {
      const hist = this.histogram(u.slot);
      clearBins(hist, 0, q.totalBins);
      accumulateRows(hist, this.idx, u.begin, u.end, this.grad, this.hess, q.entries, q.rowPtr, this.stop);
    }
    for (const [into, from] of merges) {
      addInto(this.histogram(into), this.histogram(from));
      this.freeSlot(from);
    }
    for (const t of builds) fillImplicitBins(this.histogram(t.slot), q.cuts.ptrs, q.implicitBin, 0, q.cols, t.G, t.H);
    for (const t of subtracts) {
      subtractBins(this.histogram(t.out), this.histogram(t.parent), this.histogram(t.built), 0, q.totalBins);
    }
  }

  close(): void {}
}
