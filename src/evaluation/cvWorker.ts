/**
 * worker_threads entry for `crossValidate` with nJobs > 1: rebuilds the estimator from its
 * kind and options, then fits and scores the folds it is sent, one message per fold.
 */
import { parentPort, workerData } from "node:worker_threads";
import { createRegressor } from "../models/registry";
import type { Matrix } from "../util/matrix";
import { runFold, type FoldOutcome } from "./foldRunner";

/** What `crossValidate` hands each worker once. */
export interface CvWorkerInput {
  X: Matrix;
  y: Float64Array;
  kind: string;
  params: object;
  scoring: string[];
  returnTrainScore: boolean;
}

/** One fold to run. */
export interface CvWorkerTask {
  index: number;
  train: Int32Array;
  test: Int32Array;
}

/** The reply for one fold. */
export type CvWorkerReply = { index: number; outcome: FoldOutcome } | { index: number; error: string };

if (parentPort !== null && workerData !== null && workerData !== undefined) {
  const port = parentPort;
  const input = workerData as CvWorkerInput;
  port.on("message", (task: CvWorkerTask) => {
    const model = createRegressor(input.kind, input.params);
    runFold(model, input.X, input.y, { train: task.train, test: task.test }, input.scoring, input.returnTrainScore, false).then(
      ({ outcome }) => port.postMessage({ index: task.index, outcome } satisfies CvWorkerReply),
      (error: unknown) =>
        port.postMessage({ index: task.index, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) } satisfies CvWorkerReply),
    );
  });
}
