import type { Frame } from "../data/frame";
import type { ModelComparisonRow } from "../evaluation/compareModels";
import type { Regressor } from "../models/base";
import type { ColumnTransformer } from "../preprocess/columnTransformer";
import { flattenParams } from "../tracking/autolog";
import { getClient, logInput, logMetrics, logParams, setExperiment, setTags, withRun } from "../tracking/fluent";
import { defaultRunTags } from "../tracking/systemTags";
import type { RunDataset } from "./datasets";
import { logModel } from "../tracking/model/logModel";
import { frameSchema, frameToTable } from "./tables";
// Registers the xgboost/onnx flavors with logModel.
import "./modelFlavors";

/** Options of {@link trackModelComparison}. */
export interface TrackComparisonOptions {
  /** The experiment that gets one run per model (created when missing). */
  readonly experiment: string;
  /** The fitted preprocessor, logged with each model so that it predicts from raw rows. */
  readonly preprocessor?: ColumnTransformer;
  /** Raw input rows: their columns make the model signature, a few rows its input example. */
  readonly inputFrame?: Frame;
  /** Datasets each run used (the training part, context "train"), logged as run inputs. */
  readonly datasets?: readonly RunDataset[];
  /** Log each model (default true; needs the estimator fitted, i.e. `refit`). */
  readonly logModels?: boolean;
  /** Called with each run's id once it is logged. */
  readonly onRunLogged?: (name: string, runId: string) => void;
}

/**
 * The tracking seam of the model comparison: an `onModelDone` callback that logs each model
 * as one MLflow run named after it, started when the model's cross-validation started (so the
 * run's duration covers its cross-validation, refit and logging, as if it had been open all
 * along), with its parameters, the original Python project's cross-validation metrics
 * (mean_train_mape, mean_test_mape, mean_train_rmse, mean_test_rmse, plus fit and score
 * times) and, with `logModels`, the fitted model and preprocessor.
 */
export async function trackModelComparison(
  options: TrackComparisonOptions,
): Promise<(name: string, model: Regressor, row: ModelComparisonRow) => Promise<void>> {
  const experiment = await setExperiment(options.experiment);
  const columns = options.preprocessor?.requiredColumns;
  return async (name, model, row) => {
    const tags = Object.fromEntries(defaultRunTags().map((t) => [t.key, t.value]));
    const created = await getClient().createRun(experiment.experimentId, { runName: name, startTime: row.startedAt, tags });
    await withRun({ runId: created.info.runId }, async (run) => {
      await setTags({ estimator_name: name, estimator_class: model.kind });
      for (const d of options.datasets ?? []) await logInput(d.dataset, { context: d.context });
      await logParams(flattenParams(model.getParams()));
      await logMetrics({
        mean_train_mape: row.trainMape,
        mean_test_mape: row.testMape,
        mean_train_rmse: row.trainRmse,
        mean_test_rmse: row.testRmse,
        mean_fit_time: row.fitTime,
        mean_score_time: row.scoreTime,
      });
      if (options.logModels ?? true) {
        const input = options.inputFrame !== undefined && columns !== undefined ? options.inputFrame.select(columns) : undefined;
        await logModel(model, {
          preprocessor: options.preprocessor,
          signature: input === undefined ? undefined : { inputs: frameSchema(input) },
          inputExample: input === undefined ? undefined : frameToTable(input, 5),
        });
      }
      options.onRunLogged?.(name, run.info.runId);
    });
  };
}
