import { loadOlx, type OlxData, type OlxOptions } from "../data/olx";
import { OLX_TARGET } from "../data/olxSchema";
import type { PreparedOlx } from "../preprocess/prepareOlx";
import { column, type Matrix } from "../util/matrix";
import { arquero, type ArqueroTable } from "./arquero";
import { frameToArquero } from "./convert";

/**
 * The cleaned OLX offers as an arquero table, in one call: from what `loadOlx` returned, or
 * loaded here with the same options (`olxArquero()` is the bundled sample, or `OLX_CSV`).
 * Numeric columns are shared with the frame, not copied (see {@link frameToArquero}).
 */
export function olxArquero(source: OlxData | OlxOptions = {}): ArqueroTable {
  const data = "frame" in source ? source : loadOlx(source);
  return frameToArquero(data.frame);
}

/** What {@link preparedOlxArquero} returns: each part of `prepareOlx`'s split as a table. */
export interface PreparedOlxArquero {
  /** The cleaned rows of the train part, every column, as loaded (before preprocessing). */
  readonly train: ArqueroTable;
  /** The cleaned rows of the test part, likewise. */
  readonly test: ArqueroTable;
  /** The train part as the models see it: one column per feature name, then the target `price`. */
  readonly featuresTrain: ArqueroTable;
  /** The test part as the models see it, likewise. */
  readonly featuresTest: ArqueroTable;
}

/**
 * `prepareOlx`'s result as arquero tables, in one call. The cleaned rows share their columns
 * with the frames; the feature tables copy the matrices' columns (a matrix is stored by rows),
 * and share the targets `yTrain` / `yTest`.
 */
export function preparedOlxArquero(prepared: PreparedOlx): PreparedOlxArquero {
  return {
    train: frameToArquero(prepared.frameTrain),
    test: frameToArquero(prepared.frameTest),
    featuresTrain: matrixTable(prepared.XTrain, prepared.featureNames, prepared.yTrain),
    featuresTest: matrixTable(prepared.XTest, prepared.featureNames, prepared.yTest),
  };
}

function matrixTable(X: Matrix, names: readonly string[], y: Float64Array): ArqueroTable {
  const columns = new Map<string, Float64Array>();
  for (let j = 0; j < X.cols; j++) columns.set(names[j] ?? `x${j}`, column(X, j));
  columns.set(OLX_TARGET, y);
  return arquero().table(columns, [...columns.keys()]);
}
