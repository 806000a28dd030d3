import { Worker } from "node:worker_threads";
import { ValueError } from "../errors";
import type { CrossValidateResult } from "./cvResult";
import { notifyFailed, notifyFinished, notifyStarted } from "./listeners";
import type { Regressor } from "../models/base";
import { builtModulePath, resolveJobs } from "../models/workerPath";
import type { Matrix } from "../util/matrix";
import type { CvWorkerInput, CvWorkerReply, CvWorkerTask } from "./cvWorker";
import { runFold, type FoldOutcome } from "./foldRunner";
import { KFold, type Fold, type Splitter } from "./kFold";
import { getScorer } from "./scoring";

export type { CrossValidateResult } from "./cvResult";

/** Options of {@link crossValidate}, after scikit-learn's `cross_validate`. */
export interface CrossValidateOptions {
  /** Number of unshuffled K folds, a splitter, or explicit folds, possibly with their rows taken out (default 5). */
  cv?: number | Splitter | readonly Fold[];
  /** Scoring name(s), scikit-learn's ("neg_root_mean_squared_error", ...) or plain ("rmse", ...); default "r2". */
  scoring?: string | readonly string[];
  /** Also score each fold's model on its training rows (default false). */
  returnTrainScore?: boolean;
  /**
   * Worker threads running folds at once (default 1; -1: one per core). Scores are identical
   * whatever the value; workers run the built library (`npm run build`) and rebuild the estimator
   * from its kind and options, so its kind must be registered (`registerRegressor`).
   */
  nJobs?: number;
  /** Called as each fold finishes (in completion order), e.g. for a progress bar. */
  onFold?: (index: number, outcome: FoldOutcome) => void;
}

/** The folds `cv` describes for `nSamples` rows (see {@link CrossValidateOptions.cv}). */
export function resolveFolds(cv: CrossValidateOptions["cv"], nSamples: number): Fold[] {
  if (cv === undefined || typeof cv === "number") {
    const k = cv ?? 5;
    if (!Number.isInteger(k) || k < 2) throw new ValueError(`crossValidate: cv must be an integer >= 2, got ${k}`);
    if (k > nSamples) throw new ValueError(`crossValidate: cv=${k} folds is more than the ${nSamples} samples`);
    return new KFold({ nSplits: k }).split(nSamples);
  }
  if (Array.isArray(cv)) return [...(cv as readonly Fold[])];
  return (cv as Splitter).split(nSamples);
}

/**
 * Evaluates `estimator` by cross-validation: for each fold, fits a clone on the train rows and
 * scores it on the test rows (and, with `returnTrainScore`, on the train rows), timing both.
 */
export async function crossValidate(
  estimator: Regressor,
  X: Matrix,
  y: ArrayLike<number>,
  options: CrossValidateOptions = {},
): Promise<CrossValidateResult> {
  if (X.rows !== y.length) throw new ValueError(`crossValidate: X has ${X.rows} rows but y has ${y.length} values`);
  const scoring = typeof options.scoring === "string" ? [options.scoring] : [...(options.scoring ?? ["r2"])];
  if (scoring.length === 0) throw new ValueError("crossValidate: scoring is empty");
  for (const name of scoring) getScorer(name);
  const returnTrainScore = options.returnTrainScore ?? false;
  const folds = resolveFolds(options.cv, X.rows);
  const jobs = resolveJobs(options.nJobs, folds.length);
  const outcomes: FoldOutcome[] = new Array<FoldOutcome>(folds.length);
  notifyStarted(estimator);
  try {
    if (jobs <= 1) {
      for (let i = 0; i < folds.length; i++) {
        const { outcome } = await runFold(estimator.clone(), X, y, folds[i] as Fold, scoring, returnTrainScore, true);
        outcomes[i] = outcome;
        options.onFold?.(i, outcome);
      }
    } else {
      await runInWorkers(estimator, X, y, folds, scoring, returnTrainScore, jobs, outcomes, options.onFold);
    }
  } catch (err) {
    notifyFailed(estimator);
    throw err;
  }
  const result: CrossValidateResult = {
    fitTime: outcomes.map((o) => o.fitTime),
    scoreTime: outcomes.map((o) => o.scoreTime),
    test: Object.fromEntries(scoring.map((name, s) => [name, outcomes.map((o) => o.test[s] as number)])),
  };
  if (returnTrainScore) {
    result.train = Object.fromEntries(scoring.map((name, s) => [name, outcomes.map((o) => (o.train as number[])[s] as number)]));
  }
  await notifyFinished(estimator, result);
  return result;
}

function toSharedMatrix(X: Matrix): Matrix {
  const data = new Float64Array(new SharedArrayBuffer(Math.max(8, X.data.byteLength))).subarray(0, X.data.length);
  data.set(X.data);
  return { rows: X.rows, cols: X.cols, data };
}

async function runInWorkers(
  estimator: Regressor,
  X: Matrix,
  y: ArrayLike<number>,
  folds: Fold[],
  scoring: string[],
  returnTrainScore: boolean,
  jobs: number,
  outcomes: FoldOutcome[],
  onFold: CrossValidateOptions["onFold"],
): Promise<void> {
  const file = builtModulePath("evaluation/cvWorker");
  const yShared = new Float64Array(new SharedArrayBuffer(Math.max(8, y.length * 8))).subarray(0, y.length);
  yShared.set(Array.from(y));
  const json = estimator.toJSON();
  const input: CvWorkerInput = {
    X: toSharedMatrix(X),
    y: yShared,
    kind: json.kind,
    params: json.params,
    scoring,
    returnTrainScore,
  };
  let next = 0;
  const workers: Worker[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      let done = 0;
      const dispatch = (worker: Worker): void => {
        if (next >= folds.length) return;
        const index = next++;
        const fold = folds[index] as Fold;
        // Only the indices travel: the worker takes the rows from the shared X itself.
        worker.postMessage({ index, train: fold.train, test: fold.test } satisfies CvWorkerTask);
      };
      for (let j = 0; j < jobs; j++) {
        const worker = new Worker(file, { workerData: input });
        workers.push(worker);
        worker.on("message", (reply: CvWorkerReply) => {
          if ("error" in reply) {
            reject(new Error(`crossValidate: fold ${reply.index} failed in a worker: ${reply.error}`));
            return;
          }
          outcomes[reply.index] = reply.outcome;
          onFold?.(reply.index, reply.outcome);
          done++;
          if (done === folds.length) resolve();
          else dispatch(worker);
        });
        worker.on("error", reject);
        worker.on("exit", (code) => {
          if (done < folds.length) reject(new Error(`crossValidate: a worker exited with code ${code} before finishing`));
        });
        dispatch(worker);
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
