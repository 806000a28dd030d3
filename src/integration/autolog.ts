import { addCrossValidateListener } from "../evaluation/listeners";
import type { Regressor } from "../models/base";
import { createRegressor, registeredKinds } from "../models/registry";
import { autologActive, autologCrossValidate, autologFit, registerAutologIntegration } from "../tracking/autolog";
import { logInBackground } from "../tracking/fluent";
// Registers the xgboost/onnx flavors with logModel, so autologged boosters get them.
import "./modelFlavors";

let installed = false;
/** Cross-validations in progress: their per-fold fits are summarised by the CV metrics instead. */
let crossValidating = 0;

/**
 * What `autolog()` does for this library's estimators, after MLflow's sklearn autolog:
 * every registered regressor's `fit` logs params, tags and the model into the active run
 * (in the background, flushed when the run ends), and `crossValidate` logs the original Python project's
 * mean/std metrics; fits inside a cross-validation are not logged one by one.
 */
export function installEstimatorAutolog(): void {
  if (installed) return;
  installed = true;
  for (const kind of registeredKinds()) {
    const proto = Object.getPrototypeOf(createRegressor(kind, {})) as Regressor;
    const fit = proto.fit;
    proto.fit = function patchedFit(this: Regressor, X, y) {
      const fitted = fit.call(this, X, y);
      if (crossValidating === 0 && autologActive()) logInBackground(autologFit(this));
      return fitted;
    };
  }
  addCrossValidateListener({
    started: () => {
      crossValidating++;
    },
    finished: async (_estimator, result) => {
      crossValidating--;
      await autologCrossValidate(result);
    },
    failed: () => {
      crossValidating--;
    },
  });
}

registerAutologIntegration(installEstimatorAutolog);
