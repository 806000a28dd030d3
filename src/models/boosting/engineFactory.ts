import { availableParallelism } from "node:os";
import { SerialHistEngine, HistEngine } from "./histEngine";
import { ParallelHistEngine, workerScriptPath } from "./parallelEngine";
import type { QuantizedMatrix } from "./quantized";

/** Below this many matrix entries, threads cost more than they save. */
const MIN_ENTRIES_FOR_THREADS = 100_000;

/**
 * The histogram engine for `nthread` threads (0 = all cores). Small matrices, or a
 * missing compiled worker script (running from source without `npm run build`), use the
 * serial engine; results are identical either way.
 */
export function createEngine(q: QuantizedMatrix, nthread: number): HistEngine {
  const threads = Math.min(nthread === 0 ? availableParallelism() : nthread, Math.max(1, q.cols));
  if (threads <= 1 || q.rows * q.cols < MIN_ENTRIES_FOR_THREADS) return new SerialHistEngine(q);
  const script = workerScriptPath();
  if (script === null) return new SerialHistEngine(q);
  return new ParallelHistEngine(q, threads, script);
}
