import { Worker } from "node:worker_threads";
import type { GrowthLimits } from "../tree/growTree";
import type { PresortedData } from "../tree/presort";
import type { TreeArrays } from "../tree/treeArrays";
import { builtModulePath } from "../workerPath";
import type { ForestWorkerReply, ForestWorkerTask } from "./forestWorker";

function shared<T extends Float64Array | Int32Array | Uint16Array>(a: T, make: (b: SharedArrayBuffer) => T): T {
  const out = make(new SharedArrayBuffer(Math.max(8, a.byteLength)));
  out.set(a);
  return out.subarray(0, a.length) as T;
}

/** The presorted data in shared memory, so that workers read it without copies. */
function toShared(data: PresortedData): PresortedData {
  const f64 = (b: SharedArrayBuffer): Float64Array => new Float64Array(b);
  const i32 = (b: SharedArrayBuffer): Int32Array => new Int32Array(b);
  return {
    rows: data.rows,
    cols: data.cols,
    columns: shared(data.columns, f64),
    y: shared(data.y, f64),
    sortedFeatures: data.sortedFeatures,
    order: shared(data.order, i32),
    binnedFeatures: data.binnedFeatures,
    codes: shared(data.codes, (b) => new Uint16Array(b)),
    defaultBin: data.defaultBin,
    sparseStart: shared(data.sparseStart, i32),
    sparseBins: shared(data.sparseBins, (b) => new Uint16Array(b)),
    binOffset: data.binOffset,
    binValues: data.binValues,
  };
}

/** A forest worker kept between fits, with the requests it has not answered yet. */
interface PooledWorker {
  worker: Worker;
  pending: Map<number, { resolve: (trees: TreeArrays[]) => void; reject: (error: Error) => void }>;
}

const pool: PooledWorker[] = [];
let nextId = 0;

/**
 * The first `jobs` workers of the process-wide pool, started on first use. Idle workers are
 * unref'd (they do not keep the process alive) and reused by later fits, so that their
 * compiled code is warm: a forest of cross-validation folds starts its workers once.
 */
function workers(jobs: number): PooledWorker[] {
  while (pool.length < jobs) {
    const entry: PooledWorker = { worker: new Worker(builtModulePath("models/forest/forestWorker")), pending: new Map() };
    const failAll = (error: Error): void => {
      for (const p of entry.pending.values()) p.reject(error);
      entry.pending.clear();
      const at = pool.indexOf(entry);
      if (at >= 0) pool.splice(at, 1);
    };
    entry.worker.on("message", (reply: ForestWorkerReply) => {
      const p = entry.pending.get(reply.id);
      if (p === undefined) return;
      entry.pending.delete(reply.id);
      if (entry.pending.size === 0) entry.worker.unref();
      if ("error" in reply) p.reject(new Error(`forest worker: ${reply.error}`));
      else p.resolve(reply.trees);
    });
    entry.worker.on("error", failAll);
    entry.worker.on("exit", (code) => failAll(new Error(`forest worker exited with code ${code}`)));
    entry.worker.unref();
    pool.push(entry);
  }
  return pool.slice(0, jobs);
}

function request(entry: PooledWorker, task: Omit<ForestWorkerTask, "id">): Promise<TreeArrays[]> {
  const id = nextId++;
  return new Promise<TreeArrays[]>((resolve, reject) => {
    entry.pending.set(id, { resolve, reject });
    entry.worker.ref();
    entry.worker.postMessage({ id, ...task } satisfies ForestWorkerTask);
  });
}

/**
 * Grows the trees of `seeds` on `jobs` worker threads, each taking a contiguous share,
 * and returns them in seed order (the same trees as growing them on this thread).
 */
export async function growInWorkers(
  data: PresortedData,
  limits: GrowthLimits,
  bootstrap: boolean,
  seeds: number[],
  jobs: number,
): Promise<TreeArrays[]> {
  const sharedData = toShared(data);
  const entries = workers(jobs);
  const shares = entries.map((_, j) => seeds.slice(Math.floor((j * seeds.length) / jobs), Math.floor(((j + 1) * seeds.length) / jobs)));
  const results = await Promise.all(entries.map((entry, j) => request(entry, { data: sharedData, limits, bootstrap, seeds: shares[j] as number[] })));
  return results.flat();
}
