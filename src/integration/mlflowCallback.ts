import { formatPythonFloat, pythonJsonDumps } from "../tracking/pythonRepr";
import { logInput, logMetrics, logParams, setExperiment, setTags, withRun } from "../tracking/fluent";
import type { RunDataset } from "./datasets";
import { MAX_TAG_VAL_LENGTH } from "../tracking/validation";
import { distributionRepr } from "../tuning/distributions";
import type { FrozenTrial } from "../tuning/frozenTrial";
import type { JsonValue } from "../tuning/json";
import type { Study } from "../tuning/study";

/** Options of {@link MLflowCallback}, after optuna-integration's `MLflowCallback`. */
export interface MLflowCallbackOptions {
  /** Name of the metric holding the trial's value (default "value"). */
  readonly metricName?: string;
  /** Experiment for the runs (default: the study's name). */
  readonly experimentName?: string;
  /** Copy the trial's user attributes into the run's tags (default true). */
  readonly tagTrialUserAttrs?: boolean;
  /** Copy the study's user attributes into the run's tags (default false). */
  readonly tagStudyUserAttrs?: boolean;
  /** Called with each trial's run id once it is logged. */
  readonly onRunLogged?: (trialNumber: number, runId: string) => void;
  /** Datasets every trial used (e.g. the training part, context "train"), logged as each run's inputs. */
  readonly datasets?: readonly RunDataset[];
}

/** Python's `str(datetime)`: "2026-11-26 10:31:39.123000", or "None". */
function pythonDatetime(date: Date | null): string {
  if (date === null) return "None";
  const p = (n: number, w = 2): string => String(n).padStart(w, "0");
  return `${date.getFullYear()}-${p(date.getMonth() + 1)}-${p(date.getDate())} ${p(date.getHours())}:${p(date.getMinutes())}:${p(date.getSeconds())}.${p(date.getMilliseconds() * 1000, 6)}`;
}

/** Python's `str(value)` for a JSON value, as the callback tags it. */
function pythonStr(value: JsonValue): string {
  if (typeof value === "string") return value;
  if (typeof value === "number") return Number.isInteger(value) && Math.abs(value) < 2 ** 53 ? String(value) : formatPythonFloat(value);
  if (typeof value === "boolean") return value ? "True" : "False";
  if (value === null) return "None";
  return pythonJsonDumps(value as Parameters<typeof pythonJsonDumps>[0]);
}

/**
 * A study callback that logs every finished trial as one MLflow run in an experiment named
 * after the study: the trial's params, its value as a metric, and the tags number,
 * datetime_start, datetime_complete, state, direction and `<param>_distribution`.
 */
export class MLflowCallback {
  private readonly options: MLflowCallbackOptions;
  private queue: Promise<void> = Promise.resolve();

  constructor(options: MLflowCallbackOptions = {}) {
    this.options = options;
  }

  /** The callback itself: pass `callback.asStudyCallback()` or `(s, t) => callback.call(s, t)`. */
  call(study: Study, trial: FrozenTrial): Promise<void> {
    // Trials finishing at once (nJobs > 1) are logged one after another, as Optuna's lock does.
    this.queue = this.queue.then(() => this.log(study, trial));
    return this.queue;
  }

  /** This callback in the shape `study.optimize({callbacks})` takes. */
  asStudyCallback(): (study: Study, trial: FrozenTrial) => Promise<void> {
    return (study, trial) => this.call(study, trial);
  }

  private async log(study: Study, trial: FrozenTrial): Promise<void> {
    const experiment = await setExperiment(this.options.experimentName ?? study.studyName);
    await withRun({ experimentId: experiment.experimentId, runName: String(trial.number) }, async (run) => {
      if (trial.value !== null && trial.value !== undefined) await logMetrics({ [this.options.metricName ?? "value"]: trial.value });
      await logParams(trial.params);
      for (const d of this.options.datasets ?? []) await logInput(d.dataset, { context: d.context });
      const tags: Record<string, string> = {
        number: String(trial.number),
        datetime_start: pythonDatetime(trial.datetimeStart),
        datetime_complete: pythonDatetime(trial.datetimeComplete),
      };
      if (trial.state !== "RUNNING" && trial.state !== "WAITING") tags["state"] = trial.state;
      tags["direction"] = study.direction;
      for (const [name, distribution] of Object.entries(trial.distributions)) tags[`${name}_distribution`] = distributionRepr(distribution);
      if (this.options.tagTrialUserAttrs ?? true) for (const [k, v] of Object.entries(trial.userAttrs)) tags[k] = pythonStr(v);
      if (this.options.tagStudyUserAttrs ?? false) for (const [k, v] of Object.entries(study.userAttrs)) tags[k] = pythonStr(v);
      for (const [k, v] of Object.entries(tags)) if (v.length > MAX_TAG_VAL_LENGTH) tags[k] = `${v.slice(0, MAX_TAG_VAL_LENGTH - 3)}...`;
      await setTags(tags);
      this.options.onRunLogged?.(trial.number, run.info.runId);
    });
  }
}
