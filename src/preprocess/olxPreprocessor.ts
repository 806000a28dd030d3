import { OLX_CATEGORICAL_FEATURES, OLX_NUMERIC_FEATURES } from "../data/olxSchema";
import { ColumnTransformer } from "./columnTransformer";
import { IterativeImputer } from "./iterativeImputer";
import { OneHotEncoder } from "./oneHotEncoder";
import { Pipeline } from "./pipeline";
import { SimpleImputer } from "./simpleImputer";
import { StandardScaler } from "./standardScaler";

/**
 * The original Python project's preprocessor: numeric columns through IterativeImputer(mean, 5 rounds) and
 * StandardScaler; categorical columns through a constant "missing" imputer and a one-hot
 * encoder that drops the first category and groups categories seen fewer than 2,000 times.
 */
export function olxPreprocessor(seed = 0): ColumnTransformer {
  return new ColumnTransformer([
    [
      "num",
      new Pipeline([
        ["imputer", new IterativeImputer({ initialStrategy: "mean", maxIter: 5, randomState: seed })],
        ["scaler", new StandardScaler()],
      ]),
      OLX_NUMERIC_FEATURES,
    ],
    [
      "cat",
      new Pipeline([
        ["imputer", new SimpleImputer({ strategy: "constant", fillValue: "missing" })],
        ["encoder", new OneHotEncoder({ drop: "first", handleUnknown: "infrequent_if_exist", minFrequency: 2000 })],
      ]),
      OLX_CATEGORICAL_FEATURES,
    ],
  ]);
}
