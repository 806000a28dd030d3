import { loadOlxCountingRepairsOnRead, type OlxCleaningStats, type OlxOptions } from "../data/olx";
import { OLX_TARGET } from "../data/olxSchema";
import { trainTestSplit } from "../data/split";
import type { Frame } from "../data/frame";
import type { Matrix } from "../util/matrix";
import type { ColumnTransformer } from "./columnTransformer";
import { olxPreprocessor } from "./olxPreprocessor";

/** Options of {@link prepareOlx}. */
export interface PrepareOlxOptions extends OlxOptions {
  /** Seed of the train/test split (`SEED` of the original Python project). */
  readonly seed: number;
  /** Test fraction (default 0.2). */
  readonly testSize?: number;
}

/** The case study's matrices, ready for models, and how they were made. */
export interface PreparedOlx {
  readonly XTrain: Matrix;
  readonly XTest: Matrix;
  readonly yTrain: Float64Array;
  readonly yTest: Float64Array;
  /** The cleaned rows of each part, before preprocessing (for display and model inputs). */
  readonly frameTrain: Frame;
  readonly frameTest: Frame;
  readonly featureNames: string[];
  /** Fitted on the train part only. */
  readonly preprocessor: ColumnTransformer;
  /** As `loadOlx` gives them; `repaired_text_values` is counted when first read. */
  readonly stats: OlxCleaningStats;
  readonly source: "real" | "sample";
}

/**
 * Load, clean, split 80/20 and preprocess, as the original Python project's `load_and_preprocess` does:
 * the preprocessor is fitted on the train part and applied to the test part.
 */
export function prepareOlx(options: PrepareOlxOptions): PreparedOlx {
  const data = loadOlxCountingRepairsOnRead(options);
  const split = trainTestSplit(data.frame.nRows, { testSize: options.testSize ?? 0.2, seed: options.seed });
  const frameTrain = data.frame.take(split.train);
  const frameTest = data.frame.take(split.test);
  const preprocessor = olxPreprocessor(options.seed);
  const XTrain = preprocessor.fitTransform(frameTrain);
  const XTest = preprocessor.transform(frameTest);
  return {
    XTrain,
    XTest,
    yTrain: frameTrain.numeric(OLX_TARGET).slice(),
    yTest: frameTest.numeric(OLX_TARGET).slice(),
    frameTrain,
    frameTest,
    featureNames: preprocessor.getFeatureNamesOut(),
    preprocessor,
    stats: data.stats,
    source: data.source,
  };
}
