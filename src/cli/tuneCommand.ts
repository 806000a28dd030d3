import { parseArgs } from "node:util";
import { HYPER_OPT_MODEL_NAME, HYPER_OPT_STUDY, runHyperOpt } from "../experiments/hyperOpt";
import { ValueError } from "../errors";
import { formatTrialProgress, type TrialProgress } from "../experiments/progress";
import { getTrackingUri } from "../tracking/fluent";
import { isSamplerName, SAMPLER_NAMES } from "../tuning/samplers/byName";
import { integerOption, MAX_ROUNDS, MAX_TRIALS, positiveOption, printJsonLine, type Command } from "./command";
import { formatNumber, formatTable } from "./table";

const USAGE = `usage: mlflow-demo-ts tune [--csv PATH] [--trials 50] [--timeout 3600] [--storage URL]
                          [--study-name NAME] [--rounds 300] [--base-score mean|NUMBER]
                          [--sampler tpe|cmaes|gp|random] [--heartbeat-interval 60]
                          [--no-tracking] [--no-champion] [--json]

The original Python project's hyper_opt.py: TPE (seed 42; --sampler picks another) over the booster's
parameters, each trial a RepeatedKFold(4 x 2) cross-validation with early stopping (30) and a MedianPruner
(10 warm-up rounds) on test RMSE; then the best parameters trained on the train split,
evaluated on the holdout, logged with the preprocessor, registered as
${HYPER_OPT_MODEL_NAME} and given the alias "champion".
  --csv PATH          the CSV to read (default: OLX_CSV, else the bundled sample)
  --trials N          trials to run in this invocation (default 50, at most ${MAX_TRIALS.toLocaleString("en-US")}),
                      as Optuna's optimize(n_trials=N): a resumed study runs N more. 0 with
                      --storage: no new trials, only the final model of the stored study's best
                      (after parallel --no-champion workers)
  --timeout S         seconds for the whole command, final fit included: trials stop in time for
                      the final fit (a running one is cut at the round it reached), the final
                      fit stops adding trees at the deadline
  --storage URL       persistent study: sqlite:///study.db or postgresql://... Rerun to resume:
                      a trial whose process is gone (kill -9) is failed (at once on this
                      machine, else after 2 heartbeat intervals without heartbeat) and not made
                      up: to complete a killed 50-trial study, rerun with the number of trials
                      still wanted. The sampler is seeded from 42 and the number of trials
                      already stored, so a resumed study never draws its earlier parameters again
  --heartbeat-interval S  seconds between heartbeats of running trials with --storage (default 60)
  --study-name NAME   study and MLflow experiment name (default ${HYPER_OPT_STUDY})
  --sampler NAME      tpe (default), cmaes, gp (Gaussian process) or random, seed 42
  --rounds N          boosting rounds (default 300, at most ${MAX_ROUNDS.toLocaleString("en-US")})
  --base-score V      "mean" (default, as XGBoost 2.x) or a number (0.5 = XGBoost 1.7)
  --no-tracking       do not log to MLflow
  --no-champion       log the trials only: the final model is scored but not logged or registered
                      (for parallel workers sharing one --storage and --study-name)
  --json              print one JSON object as the last line`;

function progress(p: TrialProgress): void {
  process.stderr.write(`${formatTrialProgress(p)}\n`);
}

/** `mlflow-demo-ts tune`: the original Python project's hyper-parameter search, final model and registration. */
export const tuneCommand: Command = {
  summary: "tune the boosted trees with TPE and median pruning, register the champion (the original Python project's hyper_opt)",
  usage: USAGE,
  async run(argv) {
    // The budget of --timeout counts from the process's start: node and module loading included.
    const startedAt = performance.timeOrigin;
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
        "heartbeat-interval": { type: "string" },
        "no-tracking": { type: "boolean", default: false },
        "no-champion": { type: "boolean", default: false },
        json: { type: "boolean", default: false },
      },
      strict: true,
    });
    const baseScoreText = values["base-score"];
    const baseScore = baseScoreText === undefined || baseScoreText === "mean" ? "mean" : Number(baseScoreText);
    if (typeof baseScore === "number" && !Number.isFinite(baseScore)) throw new Error(`--base-score must be "mean" or a number, got "${baseScoreText}"`);
    const trials = integerOption("trials", values.trials, 0, MAX_TRIALS);
    if (trials === 0 && values.storage === undefined) throw new ValueError("--trials 0 needs --storage: it only fits and registers the stored study's best");
    const rounds = integerOption("rounds", values.rounds, 1, MAX_ROUNDS);
    if (!isSamplerName(values.sampler)) throw new Error(`--sampler must be one of ${SAMPLER_NAMES.join(", ")}, got "${values.sampler}"`);
    const { result, study } = await runHyperOpt({
      csv: values.csv,
      trials,
      timeout: positiveOption("timeout", values.timeout),
      startedAt,
      storage: values.storage,
      heartbeatInterval: positiveOption("heartbeat-interval", values["heartbeat-interval"]),
      onStaleTrial: (t) => process.stderr.write(`trial ${String(t.number).padStart(3)}  FAIL      its worker is gone (no process, or no heartbeat): failed, not run again\n`),
      studyName: values["study-name"],
      sampler: values.sampler,
      numBoostRound: rounds,
      baseScore,
      tracking: !values["no-tracking"],
      registerChampion: !values["no-champion"],
      onProgress: progress,
    });
    process.stdout.write(
      `\n${result.source === "real" ? "Real data" : "Bundled synthetic sample"}: study "${result.study_name}", ` +
        `${result.n_trials} trials (${result.n_complete} complete, ${result.n_pruned} pruned, ${result.n_fail} failed)\n`,
    );
    process.stdout.write(`best CV test RMSE ${formatNumber(result.best_value)} (trial ${study.bestTrial.number})\n`);
    if (result.stopped_by_timeout) process.stdout.write(`--timeout ${values.timeout} s cut the run short: final model of ${result.final_rounds} round(s)\n`);
    process.stdout.write("\n");
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
