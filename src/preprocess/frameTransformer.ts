import type { Frame } from "../data/frame";
import type { EstimatorJSON, Transformer } from "../estimator";

/** A transformer from a frame of named columns to a frame: the unit that pipelines chain. */
export type FrameTransformer = Transformer<Frame, Frame>;

/** Saved form of a frame transformer. */
export type TransformerJSON = EstimatorJSON;
