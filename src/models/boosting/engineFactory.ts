import { availableParallelism } from "node:os";
import { HistEngine } from "./histEngine";
import { shardCount } from "./levelPlan";
import type { QuantizedMatrix } from "./quantized";
import { workerPool } from "./workerPool";

/**
 * The threads a training of `rows` rows uses for `nthread` (0 = all cores): never more than its
 * row shards (see levelPlan.ts; small matrices have one shard and run on the calling thread).
 */
function threadsFor(rows: number, nthread: number): number {
  return Math.min(nthread === 0 ? availableParallelism() : nthread, shardCount(rows));
}

/**
 * Starts the worker threads a training of `rows` rows will use, without waiting for them, so
 * that they boot while the caller quantizes the matrix.
 */
export function startWorkers(rows: number, nthread: number): void {
  const threads = threadsFor(rows, nthread);
  if (threads > 1) workerPool(threads - 1);
}

/**
 * The histogram engine for `nthread` threads. A missing compiled worker script (running from
 * source without `npm run build`) runs on the calling thread; results are identical either way.
 */
export function createEngine(q: QuantizedMatrix, nthread: number): HistEngine {
  const threads = threadsFor(q.rows, nthread);
  if (threads <= 1) return new HistEngine(q);
  return new HistEngine(q, workerPool(threads - 1), threads);
}
