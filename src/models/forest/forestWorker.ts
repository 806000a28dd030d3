/**
 * worker_threads entry of the forest pool: grows the trees it is asked for from the shared
 * presorted data and posts their arrays back (transferred, not copied). Stays alive between
 * fits, so its compiled code is reused.
 */
import { parentPort } from "node:worker_threads";
import type { GrowthLimits } from "../tree/growTree";
import type { PresortedData } from "../tree/presort";
import type { TreeArrays } from "../tree/treeArrays";
import { growForestTrees } from "./growForestTrees";

/** One request to a forest worker. */
export interface ForestWorkerTask {
  id: number;
  data: PresortedData;
  limits: GrowthLimits;
  bootstrap: boolean;
  seeds: number[];
}

/** The reply to a {@link ForestWorkerTask}. */
export type ForestWorkerReply = { id: number; trees: TreeArrays[] } | { id: number; error: string };

if (parentPort !== null) {
  const port = parentPort;
  port.on("message", (task: ForestWorkerTask) => {
    try {
      const trees = growForestTrees(task.data, task.limits, task.bootstrap, task.seeds);
      const transfer: ArrayBuffer[] = [];
      for (const t of trees) transfer.push(t.feature.buffer as ArrayBuffer, t.value.buffer as ArrayBuffer, t.right.buffer as ArrayBuffer);
      port.postMessage({ id: task.id, trees } satisfies ForestWorkerReply, transfer);
    } catch (error) {
      port.postMessage({ id: task.id, error: error instanceof Error ? error.message : String(error) } satisfies ForestWorkerReply);
    }
  });
}
