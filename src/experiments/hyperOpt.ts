import type { OlxOptions } from "../data/olx";
import { RepeatedKFold } from "../evaluation/kFold";
import { mae, mape, r2, rmse } from "../evaluation/metrics";
import { cv } from "../models/boosting/cv";
import { DMatrix } from "../models/boosting/dmatrix";
import type { BoosterParams } from "../models/boosting/params";
import { XGBRegressor } from "../models/boosting/xgbRegressor";
import { prepareOlx, type PreparedOlx } from "../preprocess/prepareOlx";
import { flattenParams } from "../tracking/autolog";
import { getClient, logInput, logMetrics, logParams, setExperiment, withRun } from "../tracking/fluent";
import { olxDatasets, type RunDataset } from "../integration/datasets";
import { logModel } from "../tracking/model/logModel";
import type { FrozenTrial } from "../tuning/frozenTrial";
import { MedianPruner } from "../tuning/pruners/median";
import { resumeSeed } from "../tuning/resume";
import type { Sampler } from "../tuning/samplers/base";
import { createSampler, type SamplerName } from "../tuning/samplers/byName";
import { getStorage } from "../tuning/storages/factory";
import { failStaleTrials } from "../tuning/storages/heartbeat";
import { createStudy, type Study } from "../tuning/study";
import type { Trial } from "../tuning/trial";
import { MLflowCallback } from "../integration/mlflowCallback";
import { frameSchema, frameToTable } from "../integration/tables";
import { XGBoostPruningCallback } from "../integration/xgboostPruningCallback";
import { TimeBudget } from "./timeBudget";
// Registers the xgboost/onnx flavors with logModel: the champion is logged in both.
import "../integration/modelFlavors";
import { trialProgressTracker, type TrialProgress } from "./progress";

/** The original Python project's `SEED` for the tuning experiment. */
export const HYPER_OPT_SEED = 42;
/** The study (and MLflow experiment) name used when none is given. */
export const HYPER_OPT_STUDY = "godel_cozy_ds-hyper_opt";
/** The registered model the final model becomes a version of. */
export const HYPER_OPT_MODEL_NAME = "house_pricing_xgboost_model";
/** The alias the new version gets. */
export const CHAMPION_ALIAS = "champion";
/** Seconds between heartbeats of a stored study's running trials unless told (Optuna's usual 60). */
export const HYPER_OPT_HEARTBEAT_INTERVAL = 60;

/** The original Python project's fixed booster parameters (XGBoost 1.7 names; "booster": "gbtree" is the only booster here). */
export const HYPER_OPT_FIXED_PARAMS: BoosterParams = {
  objective: "reg:squarederror",
  eval_metric: ["mape", "rmse"],
  tree_method: "hist",
  verbosity: 0,
};

/** The original Python project's search space: eta, gamma, depth, sampling, child weight and both regularisers. */
export function suggestBoosterParams(trial: Trial): BoosterParams {
  return {
    eta: trial.suggestFloat("eta", 0.001, 0.3),
    gamma: trial.suggestFloat("gamma", 0.001, 10, { log: true }),
    max_depth: trial.suggestInt("max_depth", 5, 10),
    subsample: trial.suggestFloat("subsample", 0.5, 1.0),
    colsample_bytree: trial.suggestFloat("colsample_bytree", 0.5, 1.0),
    min_child_weight: trial.suggestInt("min_child_weight", 1, 100),
    reg_alpha: trial.suggestFloat("reg_alpha", 1e-4, 10.0, { log: true }),
    reg_lambda: trial.suggestFloat("reg_lambda", 1e-4, 10.0, { log: true }),
  };
}

/** Options of {@link runHyperOpt}; defaults are the original Python project's. */
export interface HyperOptOptions extends OlxOptions {
  /**
   * Trials to run in this call (default 50), as Optuna's `optimize(n_trials=N)`: a resumed study
   * runs N more. A trial failed on resume because its worker is gone (killed) is not made up, so
   * to complete a killed 50-trial study, run again with the number of trials still wanted. 0
   * (with a storage) runs none: only the final model of the stored study's best.
   */
  readonly trials?: number;
  /**
   * "tpe" (default, the original Python project's), "cmaes", "gp", "random", or a sampler object.
   * A named sampler is seeded 42 on a new study, and from 42 and the number of stored trials on a
   * resumed one (`resumeSeed`); a sampler object is used as given.
   */
  readonly sampler?: SamplerName | Sampler;
  /**
   * Seconds for the whole run, final fit included (counted from `startedAt`): trials stop in time
   * for the final fit (a running one is cut at the round it reached), the final fit stops adding
   * trees at the deadline.
   */
  readonly timeout?: number;
  /** When the time budget started, in milliseconds since the epoch (default: when `runHyperOpt` is called). */
  readonly startedAt?: number;
  /** Optuna-compatible storage URL (`sqlite:///study.db`, `postgresql://...`); default in memory. A stored study resumes. */
  readonly storage?: string;
  /**
   * With a storage: seconds between heartbeats of running trials (default 60; the grace period is
   * twice that). On resume, a RUNNING trial whose process is gone (same machine) or whose
   * heartbeat is older than the grace period is failed.
   */
  readonly heartbeatInterval?: number;
  /** Called with each trial failed on resume because its worker is gone. */
  readonly onStaleTrial?: (trial: FrozenTrial) => void;
  readonly studyName?: string;
  /** Boosting rounds per cross-validation and for the final model (default 300). */
  readonly numBoostRound?: number;
  /** Early stopping in cross-validation (default 30). */
  readonly earlyStoppingRounds?: number;
  /** RepeatedKFold splits and repeats (default 4 x 2). */
  readonly nSplits?: number;
  readonly nRepeats?: number;
  /** MedianPruner warm-up steps (default 10). */
  readonly nWarmupSteps?: number;
  /** "mean" (XGBoost 2.x, our default) or a number (0.5 reproduces XGBoost 1.7). */
  readonly baseScore?: "mean" | number;
  /** Booster threads (default 2). */
  readonly nthread?: number;
  /** Log trials and the final model to MLflow (default true). */
  readonly tracking?: boolean;
  /** Registered model name for the final model (default house_pricing_xgboost_model). */
  readonly registeredModelName?: string;
  /**
   * Log and register the final model as the champion (default true with tracking). Parallel
   * workers on one stored study pass false; one run with `trials: 0` registers it afterwards.
   */
  readonly registerChampion?: boolean;
  /** Called after each trial (live progress). */
  readonly onTrial?: (trial: FrozenTrial, study: Study) => void;
  /** Called after each trial with "n of N" and an estimate of the time left (see {@link formatTrialProgress}). */
  readonly onProgress?: (progress: TrialProgress) => void;
  /** Reuse already prepared data instead of loading it. */
  readonly data?: PreparedOlx;
  /**
   * Stops the run when aborted: no trial starts after it (the running one finishes and is kept),
   * no final model is trained, and the call rejects with the signal's reason. Between trials the
   * run yields to the event loop, so a signal handler (Jupyter's Kernel > Interrupt is SIGINT)
   * can abort it.
   */
  readonly signal?: AbortSignal;
}

function samplerLabel(sampler: SamplerName | Sampler | undefined): string {
  if (typeof sampler === "object") return sampler.constructor.name;
  return { tpe: "TPE", cmaes: "CMA-ES", gp: "a Gaussian process", random: "random search" }[sampler ?? "tpe"];
}

/** Holdout figures of the final model. */
export interface HoldoutMetrics {
  readonly mae: number;
  readonly mape: number;
  readonly rmse: number;
  readonly r2: number;
}

/** A model's figures on the holdout, from the true and predicted prices. */
export function holdoutMetrics(yTrue: ArrayLike<number>, predicted: ArrayLike<number>): HoldoutMetrics {
  return { mae: mae(yTrue, predicted), mape: mape(yTrue, predicted), rmse: rmse(yTrue, predicted), r2: r2(yTrue, predicted) };
}

/** What the `tune` command prints with `--json`. */
export interface HyperOptResult {
  readonly study_name: string;
  readonly best_value: number;
  readonly best_params: Record<string, number | string | boolean | null>;
  readonly n_trials: number;
  readonly n_complete: number;
  readonly n_pruned: number;
  readonly n_fail: number;
  readonly holdout: HoldoutMetrics;
  readonly model_uri: string | null;
  readonly model_version: string | null;
  readonly source: "real" | "sample";
  readonly wall_s: number;
  /** Trees of the final model: the rounds asked for, fewer when `timeout` cut the fit short. */
  readonly final_rounds: number;
  /** True when the time budget cut a trial or the final fit short. */
  readonly stopped_by_timeout: boolean;
}

/**
 * The original Python project's second experiment (`hyper_opt.py`): TPE search over the booster's parameters,
 * each trial a repeated k-fold `cv` pruned by a median pruner on test RMSE, every trial
 * logged to MLflow; then the best parameters trained on the whole train split, evaluated on
 * the holdout, logged with the fitted preprocessor (and MLflow's xgboost and onnx flavors),
 * registered and given the alias "champion".
 */
export async function runHyperOpt(options: HyperOptOptions = {}): Promise<{ result: HyperOptResult; study: Study; model: XGBRegressor; data: PreparedOlx }> {
  options.signal?.throwIfAborted();
  const started = performance.now();
  const startedAt = options.startedAt ?? Date.now();
  const data = options.data ?? prepareOlx({ ...options, seed: HYPER_OPT_SEED });
  const rounds = options.numBoostRound ?? 300;
  const fixed: BoosterParams = {
    ...HYPER_OPT_FIXED_PARAMS,
    nthread: options.nthread ?? 2,
    ...(options.baseScore === undefined || options.baseScore === "mean" ? {} : { base_score: options.baseScore }),
  };
  const dtrain = new DMatrix(data.XTrain, { label: data.yTrain, featureNames: data.featureNames });
  const nSplits = options.nSplits ?? 4;
  const nRepeats = options.nRepeats ?? 2;
  const folds = new RepeatedKFold({ nSplits, nRepeats, seed: HYPER_OPT_SEED }).split(data.XTrain.rows);
  const studyName = options.studyName ?? HYPER_OPT_STUDY;
  const sampler = options.sampler ?? "tpe";
  const tracking = options.tracking ?? true;
  const budget = options.timeout === undefined ? null : new TimeBudget(startedAt + options.timeout * 1000, rounds, 1 / (nRepeats * (nSplits - 1)));
  let stoppedByTimeout = false;
  const storage =
    options.storage === undefined
      ? undefined
      : await getStorage(options.storage, {
          heartbeatInterval: options.heartbeatInterval ?? HYPER_OPT_HEARTBEAT_INTERVAL,
          failedTrialCallback: (_study, trial) => options.onStaleTrial?.(trial),
        });
  const study = await createStudy({
    studyName,
    direction: "minimize",
    // A resumed study draws from a new stream: it never repeats the parameters of its first run.
    sampler: typeof sampler === "object" ? sampler : ({ nTrials }) => createSampler(sampler, { seed: resumeSeed(HYPER_OPT_SEED, nTrials) }),
    pruner: new MedianPruner({ nWarmupSteps: options.nWarmupSteps ?? 10 }),
    storage,
    loadIfExists: true,
  });
  try {
    if (study.storage.heartbeatInterval !== null) {
      await failStaleTrials(study);
      await study.refresh();
    }
    const objective = (trial: Trial): number => {
      const params = { ...fixed, ...suggestBoosterParams(trial) };
      const history = cv(params, dtrain, {
        folds,
        numBoostRound: rounds,
        earlyStoppingRounds: options.earlyStoppingRounds ?? 30,
        seed: HYPER_OPT_SEED,
        callbacks: [
          new XGBoostPruningCallback(trial, "test-rmse"),
          ...(budget === null
            ? []
            : [
                budget.trialCallback((round) => {
                  stoppedByTimeout = true;
                  trial.setUserAttr("stopped_by_timeout_at_round", round);
                }),
              ]),
        ],
      });
      const last = (key: string): number => (history[key] as number[])[(history[key] as number[]).length - 1] as number;
      trial.setUserAttr("n_rounds", (history["test-rmse-mean"] as number[]).length);
      trial.setUserAttr("test_mape_mean", last("test-mape-mean"));
      trial.setUserAttr("train_rmse_mean", last("train-rmse-mean"));
      return last("test-rmse-mean");
    };
    const datasets = tracking ? olxDatasets(data, options.csv) : [];
    const nTrials = options.trials ?? 50;
    // The estimate of the time left never exceeds what remains of the whole command's timeout.
    const timeLeft = options.timeout === undefined ? undefined : Math.max(0, options.timeout - (Date.now() - startedAt) / 1000);
    const progress = trialProgressTracker(nTrials, { timeoutSeconds: timeLeft });
    const callbacks = [
      ...(tracking ? [new MLflowCallback({ experimentName: studyName, datasets: datasets.filter((d) => d.context === "train") }).asStudyCallback()] : []),
      ...(options.onTrial ? [(s: Study, t: FrozenTrial): void => options.onTrial?.(t, s)] : []),
      ...(options.onProgress ? [(s: Study, t: FrozenTrial): void => options.onProgress?.(progress(t, bestValueOrNull(s)))] : []),
      (s: Study): void => {
        if (budget?.trialsOver() === true) s.stop();
      },
      ...(options.signal === undefined ? [] : [(s: Study): Promise<void> => stopWhenAborted(s, options.signal as AbortSignal)]),
    ];
    await study.optimize(objective, { nTrials, callbacks });

    options.signal?.throwIfAborted();
    if (study.getTrials({ states: ["COMPLETE"] }).length === 0) {
      throw new Error(`study "${studyName}" has no COMPLETE trial to train the final model with (${study.trials.length} trial(s), none completed)`);
    }
    const best = study.bestTrial;
    const model = new XGBRegressor({ ...fixed, ...(best.params as BoosterParams), n_estimators: rounds });
    let finalRounds = rounds;
    model.fit(data.XTrain, data.yTrain, {
      callbacks:
        budget === null
          ? []
          : [
              budget.finalCallback((round) => {
                stoppedByTimeout = true;
                finalRounds = round + 1;
              }),
            ],
    });
    const predicted = model.predict(data.XTest);
    const holdout = holdoutMetrics(data.yTest, predicted);
    let modelUri: string | null = null;
    let modelVersion: string | null = null;
    if (tracking && options.registerChampion !== false) {
      ({ modelUri, modelVersion } = await logChampion(model, data, studyName, holdout, finalRounds, options.registeredModelName ?? HYPER_OPT_MODEL_NAME, samplerLabel(options.sampler), datasets));
    }
    const trials = study.trials;
    const count = (state: string): number => trials.filter((t) => t.state === state).length;
    const result: HyperOptResult = {
      study_name: studyName,
      best_value: best.value as number,
      best_params: best.params,
      n_trials: trials.length,
      n_complete: count("COMPLETE"),
      n_pruned: count("PRUNED"),
      n_fail: count("FAIL"),
      holdout,
      model_uri: modelUri,
      model_version: modelVersion,
      source: data.source,
      wall_s: (performance.now() - started) / 1000,
      final_rounds: finalRounds,
      stopped_by_timeout: stoppedByTimeout,
    };
    return { result, study, model, data };
  } finally {
    await study.storage.close();
  }
}

/**
 * Parameters for people reading a model version's description (the registry page, the slides):
 * "eta 0.2134, max_depth 7, ...", four significant digits, so a page can wrap it. The run's
 * params keep the exact values.
 */
function describeParams(params: object): string {
  const value = (v: unknown): string => (typeof v === "number" ? String(Number(v.toPrecision(4))) : Array.isArray(v) ? v.join("+") : String(v));
  return Object.entries(params)
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => `${k} ${value(v)}`)
    .join(", ");
}

function bestValueOrNull(study: Study): number | null {
  return study.trials.some((t) => t.state === "COMPLETE") ? study.bestValue : null;
}

/** After a trial: one turn of the event loop (signal handlers run there), then stop if aborted. */
async function stopWhenAborted(study: Study, signal: AbortSignal): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  if (signal.aborted) study.stop();
}

/** Logs the final model with its preprocessor, registers it, describes the version and makes it the champion. */
async function logChampion(
  model: XGBRegressor,
  data: PreparedOlx,
  experimentName: string,
  holdout: HoldoutMetrics,
  finalRounds: number,
  registeredModelName: string,
  tunedBy: string,
  datasets: readonly RunDataset[],
): Promise<{ modelUri: string; modelVersion: string }> {
  const experiment = await setExperiment(experimentName);
  return withRun({ experimentId: experiment.experimentId, runName: "final-model" }, async () => {
    for (const d of datasets) await logInput(d.dataset, { context: d.context });
    const params = model.getParams();
    await logParams(flattenParams(params));
    await logMetrics({ holdout_mae: holdout.mae, holdout_mape: holdout.mape, holdout_rmse: holdout.rmse, holdout_r2: holdout.r2, final_rounds: finalRounds });
    const input = data.frameTest.select(data.preprocessor.requiredColumns);
    const logged = await logModel(model, {
      preprocessor: data.preprocessor,
      signature: { inputs: frameSchema(input) },
      inputExample: frameToTable(input, 5),
      registeredModelName,
      onnx: true,
    });
    const version = logged.registeredModelVersion;
    if (version === null) throw new Error("logModel did not register the model");
    const client = getClient();
    const fmt = (v: number): string => (Math.abs(v) >= 100 ? v.toFixed(0) : v.toPrecision(4));
    await client.updateModelVersion(
      registeredModelName,
      version.version,
      `XGBoost-style booster tuned by ${tunedBy}.\nParameters: ${describeParams(params)}\n` +
        `Holdout: MAE ${fmt(holdout.mae)}, MAPE ${fmt(holdout.mape)}, RMSE ${fmt(holdout.rmse)}, R2 ${fmt(holdout.r2)}`,
    );
    // The registry page shows the model's own description first: say what the model is, once.
    const registered = await client.getRegisteredModel(registeredModelName);
    if ((registered.description ?? "") === "") {
      await client.updateRegisteredModel(registeredModelName, "Flat prices in Poland (OLX, Q1 2022) from an offer's columns: the tuned booster with its preprocessor; @champion is the one in use.");
    }
    await client.setRegisteredModelAlias(registeredModelName, CHAMPION_ALIAS, version.version);
    return { modelUri: logged.modelUri, modelVersion: String(version.version) };
  });
}
