import { parseArgs } from "node:util";
import { HYPER_OPT_MODEL_NAME, HYPER_OPT_STUDY, runHyperOpt } from "../experiments/hyperOpt";
import { getTrackingUri } from "../tracking/fluent";
import { isSamplerName, SAMPLER_NAMES } from "../tuning/samplers/byName";
import type { FrozenTrial } from "../tuning/frozenTrial";
import type { Study } from "../tuning/study";
import { printJsonLine, type Command } from "./command";
import { formatNumber, formatTable } from "./table";

const USAGE = `usage: mlflow-demo-ts tune [--csv PATH] [--trials 50] [--timeout 3600] [--storage URL]
                          [--study-name NAME] [--rounds 300] [--base-score mean|NUMBER]
                          [--sampler tpe|cmaes|gp|random]
                          [--no-tracking] [--no-champion] [--json]

The original Python project's hyper_opt.py: TPE (seed 42; --sampler picks another) over the booster's
parameters, each trial a RepeatedKFold(4 x 2) cross-validation with early stopping (30) and a MedianPruner
(10 warm-up rounds) on test RMSE; then the best parameters trained on the train split,
evaluated on the holdout, logged with the preprocessor, registered as
${HYPER_OPT_MODEL_NAME} and given the alias "champion".
  --csv PATH          the CSV to read (default: OLX_CSV, else the bundled sample)
  --trials N          trials to run (default 50); 0 with --storage: no new trials, only the final
                      model of the stored study's best (after parallel --no-champion workers)
  --timeout S         stop starting trials after S seconds
  --storage URL       persistent study: sqlite:///study.db or postgresql://... (resumes)
  --study-name NAME   study and MLflow experiment name (default ${HYPER_OPT_STUDY})
  --sampler NAME      tpe (default), cmaes, gp (Gaussian process) or random, seed 42
  --rounds N          boosting rounds (default 300)
  --base-score V      "mean" (default, as XGBoost 2.x) or a number (0.5 = XGBoost 1.7)
  --no-tracking       do not log to MLflow
  --no-champion       log the trials only: the final model is scored but not logged or registered
                      (for parallel workers sharing one --storage and --study-name)
  --json              print one JSON object as the last line`;

function positive(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const v = Number(text);
  if (!(v > 0)) throw new Error(`--${name} must be a positive number, got "${text}"`);
  return v;
}

function progress(trial: FrozenTrial, study: Study): void {
  const value = trial.value === null ? "-" : formatNumber(trial.value);
  let best = "-";
  try {
    best = formatNumber(study.bestValue);
  } catch {
    // No trial has completed yet.
  }
  process.stderr.write(`trial ${String(trial.number).padStart(3)}  ${trial.state.padEnd(8)}  value ${value.padStart(10)}  best ${best}\n`);
}

/** `mlflow-demo-ts tune`: the original Python project's hyper-parameter search, final model and registration. */
export const tuneCommand: Command = {
  summary: "tune the boosted trees with TPE and median pruning, register the champion (the original Python project's hyper_opt)",
  usage: USAGE,
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      options: {
        csv: { type: "string" },
        trials: { type: "string" },
        timeout: { type: "string" },
        storage: { type: "string" },
        "study-name": { type: "string" },
        rounds: { type: "string" },
        "base-score": { type: "string" },
        sampler: { type: "string", default: "tpe" },
        "no-tracking": { type: "boolean", default: false },
        "no-champion": { type: "boolean", default: false },
        json: { type: "boolean", default: false },
      },
      strict: true,
    });
    const baseScoreText = values["base-score"];
    const baseScore = baseScoreText === undefined || baseScoreText === "mean" ? "mean" : Number(baseScoreText);
    if (typeof baseScore === "number" && !Number.isFinite(baseScore)) throw new Error(`--base-score must be "mean" or a number, got "${baseScoreText}"`);
    const trials = values.trials === "0" && values.storage !== undefined ? 0 : positive("trials", values.trials);
    const rounds = positive("rounds", values.rounds);
    if (trials !== undefined && !Number.isInteger(trials)) throw new Error(`--trials must be an integer, got "${values.trials}"`);
    if (!isSamplerName(values.sampler)) throw new Error(`--sampler must be one of ${SAMPLER_NAMES.join(", ")}, got "${values.sampler}"`);
    const { result, study } = await runHyperOpt({
      csv: values.csv,
      trials,
      timeout: positive("timeout", values.timeout),
      storage: values.storage,
      studyName: values["study-name"],
      sampler: values.sampler,
      numBoostRound: rounds,
      baseScore,
      tracking: !values["no-tracking"],
      registerChampion: !values["no-champion"],
      onTrial: progress,
    });
    process.stdout.write(
      `\n${result.source === "real" ? "Real data" : "Bundled synthetic sample"}: study "${result.study_name}", ` +
        `${result.n_trials} trials (${result.n_complete} complete, ${result.n_pruned} pruned, ${result.n_fail} failed)\n`,
    );
    process.stdout.write(`best CV test RMSE ${formatNumber(result.best_value)} (trial ${study.bestTrial.number})\n\n`);
    process.stdout.write(formatTable(["parameter", "value"], Object.entries(result.best_params).map(([k, v]) => [k, typeof v === "number" ? v : String(v)])) + "\n\n");
    const h = result.holdout;
    process.stdout.write(formatTable(["holdout", "value"], [["MAE", h.mae], ["MAPE", h.mape], ["RMSE", h.rmse], ["R2", h.r2]]) + "\n");
    if (result.model_version !== null) {
      process.stdout.write(`\nregistered ${HYPER_OPT_MODEL_NAME} version ${result.model_version} as @champion at ${getTrackingUri()}\n`);
    }
    if (values.json) printJsonLine(result);
    return 0;
  },
};
