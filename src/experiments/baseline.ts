/**
 * The baseline that tuning must beat: experiment 1's winner, the random forest with the
 * simple trainer's settings, trained on the tuning's training part and scored on its holdout,
 * so both models are judged on the same rows.
 */
import { SIMPLE_TRAINER_SEED, simpleTrainerModels } from "../evaluation/simpleTrainer";
import { hasFitAsync } from "../models/asyncFit";
import type { Regressor } from "../models/base";
import type { PreparedOlx } from "../preprocess/prepareOlx";
import { holdoutMetrics, type HoldoutMetrics } from "./hyperOpt";

/** A model fitted on the training part and its figures on the holdout. */
export interface HoldoutBaseline {
  readonly name: string;
  readonly model: Regressor;
  readonly holdout: HoldoutMetrics;
  /** Seconds to fit and predict. */
  readonly seconds: number;
}

/**
 * Fits one of the simple trainer's models (default "RandomForest", with its seed and threads)
 * on `data`'s training part and scores it on `data`'s holdout.
 */
export async function holdoutBaseline(data: PreparedOlx, name = "RandomForest", seed = SIMPLE_TRAINER_SEED): Promise<HoldoutBaseline> {
  const spec = simpleTrainerModels(seed).find((m) => m.name === name);
  if (spec === undefined) {
    throw new Error(`holdoutBaseline: no simple-trainer model named "${name}" (choose one of ${simpleTrainerModels().map((m) => m.name).join(", ")})`);
  }
  const started = performance.now();
  const model = spec.estimator.clone();
  if (hasFitAsync(model)) await model.fitAsync(data.XTrain, data.yTrain);
  else model.fit(data.XTrain, data.yTrain);
  const holdout = holdoutMetrics(data.yTest, model.predict(data.XTest));
  return { name, model, holdout, seconds: (performance.now() - started) / 1000 };
}

/**
 * The holdout rows with no identical row (every column equal) in the training part. The data
 * keeps exact duplicates, as the original Python project does, so a random split puts copies of
 * many holdout flats into the training part, where a model that memorises (a forest) has seen them.
 */
export function unseenHoldoutRows(data: PreparedOlx): number[] {
  const key = (frame: PreparedOlx["frameTrain"], i: number): string => {
    const row = frame.rowRecord(i);
    return JSON.stringify(frame.columnNames.map((c) => row[c] ?? null));
  };
  const seen = new Set<string>();
  for (let i = 0; i < data.frameTrain.nRows; i++) seen.add(key(data.frameTrain, i));
  const rows: number[] = [];
  for (let i = 0; i < data.frameTest.nRows; i++) if (!seen.has(key(data.frameTest, i))) rows.push(i);
  return rows;
}

/** A fitted model's figures on some of the holdout's rows (e.g. {@link unseenHoldoutRows}). */
export function holdoutMetricsOn(model: Regressor, data: PreparedOlx, rows: readonly number[]): HoldoutMetrics {
  if (rows.length === 0) throw new Error("holdoutMetricsOn: no rows to score");
  const predicted = model.predict(data.XTest);
  return holdoutMetrics(
    rows.map((i) => data.yTest[i] as number),
    rows.map((i) => predicted[i] as number),
  );
}
