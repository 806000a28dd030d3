/**
 * Which extra flavors a model is logged with. Tracking imports no ML code, so the library's
 * integration layer registers a provider that turns a model about to be logged into the
 * flavors it can offer (an `XGBRegressor` into MLflow's `xgboost` flavor, ...).
 */
import type { SerializableEstimator } from "../mlmodel";
import type { InputTable, ModelSignature } from "../signature";
import type { ModelFlavor } from "./modelFlavor";

/** What a {@link ModelFlavorProvider} is told about the model being logged. */
export interface FlavorRequest {
  readonly preprocessor?: SerializableEstimator;
  /** The model's own input (our flavor's): raw columns when there is a preprocessor. */
  readonly signature?: ModelSignature;
  readonly inputExample?: InputTable;
  /** Also write the whole pipeline as ONNX (MLflow's `onnx` flavor). */
  readonly onnx?: boolean;
}

/** Turns a model about to be logged into the extra flavors it can be written in (none: `[]`). */
export type ModelFlavorProvider = (model: SerializableEstimator, request: FlavorRequest) => ModelFlavor[];

const providers = new Set<ModelFlavorProvider>();

/**
 * Lets a library offer more flavors for its models (as `registerAutologIntegration`
 * plugs in autologging): every model logged afterwards gets the flavors the providers return.
 */
export function registerModelFlavorProvider(provider: ModelFlavorProvider): void {
  providers.add(provider);
}

/** The extra flavors of `model`, from every registered provider, in registration order. */
export function extraFlavorsFor(model: SerializableEstimator, request: FlavorRequest): ModelFlavor[] {
  return [...providers].flatMap((provide) => provide(model, request));
}
