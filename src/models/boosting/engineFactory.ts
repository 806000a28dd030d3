import { availableParallelism } from "node:os";
import { HistEngine } from "./histEngine";
import type { QuantizedMatrix } from "./quantized";
import { workerPool } from "./workerPool";

/** Below this many matrix entries, threads cost more than they save. */
const MIN_ENTRIES_FOR_THREADS = 100_000;

/**
 * The histogram engine for `nthread` threads (0 = all cores). Small matrices, or a
 * missing compiled worker script (running from source without `npm run build`), run on the
 * calling thread alone; results are identical either way.
 */
export function createEngine(q: QuantizedMatrix, nthread: number): HistEngine {
  const threads = Math.min(nthread === 0 ? availableParallelism() : nthread, Math.max(1, q.cols));
  if (threads <= 1 || q.rows * q.cols < MIN_ENTRIES_FOR_THREADS) return new HistEngine(q);
  return new HistEngine(q, workerPool(threads - 1), threads);
}
