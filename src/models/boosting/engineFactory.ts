import { availableParallelism } from "node:os";
import { HistEngine } from "./histEngine";
import type { QuantizedMatrix } from "./quantized";
import { shardCount } from "./levelPlan";
import { workerPool } from "./workerPool";

/**
 * The histogram engine for `nthread` threads (0 = all cores), never more than the row shards
 * (see levelPlan.ts: small matrices have one shard and run on the calling thread). A missing
 * compiled worker script (running from source without `npm run build`) runs on the calling
 * thread too; results are identical either way.
 */
export function createEngine(q: QuantizedMatrix, nthread: number): HistEngine {
  const threads = Math.min(nthread === 0 ? availableParallelism() : nthread, shardCount(q.rows));
  if (threads <= 1) return new HistEngine(q);
  return new HistEngine(q, workerPool(threads - 1), threads);
}
