import { ValueError } from "../errors";
import type { EstimatorJSON } from "../estimator";
import type { FrameTransformer } from "./frameTransformer";
import { IterativeImputer } from "./iterativeImputer";
import { OneHotEncoder } from "./oneHotEncoder";
import { Pipeline } from "./pipeline";
import { SimpleImputer } from "./simpleImputer";
import { StandardScaler } from "./standardScaler";

/** Rebuilds a saved frame transformer from its JSON; unknown kinds are an error (no code is run). */
export function transformerFromJSON(json: EstimatorJSON): FrameTransformer {
  switch (json.kind) {
    case "SimpleImputer":
      return SimpleImputer.fromJSON(json);
    case "OneHotEncoder":
      return OneHotEncoder.fromJSON(json);
    case "IterativeImputer":
      return IterativeImputer.fromJSON(json);
    case "StandardScaler":
      return StandardScaler.fromJSON(json);
    case "Pipeline":
      return Pipeline.fromJSON(json, transformerFromJSON);
    default:
      throw new ValueError(`transformerFromJSON: unknown transformer kind "${json.kind}"`);
  }
}
