/**
 * `autolog()`: MLflow's automatic logging, without importing any ML code. The
 * `integration/` layer calls {@link autologFit} after an estimator's `fit` and
 * {@link autologCrossValidate} after `crossValidate`; they log into the active run only
 * when autologging is on. Duck-typed on purpose: any object with `kind`, `getParams()`
 * and `toJSON()` is an estimator here.
 */
import { MlflowError } from "./errors";
import { activeRun, getClient } from "./fluent";
import { logModelToRun } from "./model/logModel";
import type { SerializableEstimator } from "./model/mlmodel";
import type { InputTable, ModelSignature } from "./model/signature";
import type { Metric } from "./entities";

/** Options of {@link autolog}. */
export interface AutologOptions {
  /** Turn autologging off (default false). */
  readonly disable?: boolean;
  /** Log the fitted model as an artifact after each fit (default true). */
  readonly logModels?: boolean;
  /** Where models go in the run's artifacts (default "model"). */
  readonly artifactPath?: string;
}

/** A fitted estimator as autologging sees it. */
export interface AutologEstimator extends SerializableEstimator {
  readonly kind: string;
  getParams(): object;
}

/** Per-fold scores as `crossValidate` returns them (scikit-learn's `cross_validate` dictionary). */
export interface AutologCvResult {
  readonly fitTime: readonly number[];
  readonly scoreTime: readonly number[];
  readonly test: Readonly<Record<string, readonly number[]>>;
  readonly train?: Readonly<Record<string, readonly number[]>>;
}

let config: Required<AutologOptions> = { disable: true, logModels: true, artifactPath: "model" };

const integrations = new Set<() => void>();

/**
 * Lets a library plug its estimators into {@link autolog} without tracking importing it:
 * `install` runs (idempotently, its own business) whenever autologging is turned on.
 */
export function registerAutologIntegration(install: () => void): void {
  integrations.add(install);
  if (!config.disable) install();
}

/**
 * Turns autologging on (or off with `{ disable: true }`): fitted estimators log their params,
 * tags and model, cross-validations their mean metrics, into the active run.
 */
export function autolog(options: AutologOptions = {}): void {
  config = { disable: options.disable ?? false, logModels: options.logModels ?? true, artifactPath: options.artifactPath ?? "model" };
  if (!config.disable) for (const install of integrations) install();
}

/** True when autologging is on and a run is active, i.e. when the hooks will log. */
export function autologActive(): boolean {
  return !config.disable && activeRun() !== null;
}

/** Flattens nested params as `outer.inner` (MLflow's convention for nested dictionaries). */
export function flattenParams(params: object, prefix = ""): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) {
    const name = prefix === "" ? key : `${prefix}.${key}`;
    if (value !== null && typeof value === "object" && !Array.isArray(value)) Object.assign(out, flattenParams(value as object, name));
    else if (value !== undefined) out[name] = Array.isArray(value) ? JSON.stringify(value) : String(value);
  }
  return out;
}

/**
 * Logs a fitted estimator into the active run: its params, the tags `estimator_name`
 * and `estimator_class`, and (unless `logModels` is off) the model. Params already
 * logged with the same value are skipped; does nothing when autologging is off.
 */
export async function autologFit(
  estimator: AutologEstimator,
  extras: { preprocessor?: SerializableEstimator; signature?: ModelSignature; inputExample?: InputTable } = {},
): Promise<void> {
  if (!autologActive()) return;
  const client = getClient();
  const runId = (activeRun() as NonNullable<ReturnType<typeof activeRun>>).info.runId;
  const existing = new Map((await client.getRun(runId)).data.params.map((p) => [p.key, p.value]));
  const params = Object.entries(flattenParams(estimator.getParams()))
    .filter(([key, value]) => existing.get(key) !== value)
    .map(([key, value]) => ({ key, value }));
  await client.logBatch(runId, {
    params,
    tags: [
      { key: "estimator_name", value: estimator.kind },
      { key: "estimator_class", value: `mlflow-demo-ts.${estimator.kind}` },
    ],
  });
  if (config.logModels) {
    await logModelToRun(client, runId, estimator, { artifactPath: await freeArtifactPath(runId, config.artifactPath), ...extras });
  }
}

/** `path`, or `path-2`, `path-3`, ... when the run already has an artifact of that name (several fits in one run). */
async function freeArtifactPath(runId: string, path: string): Promise<string> {
  const taken = new Set((await getClient().listArtifacts(runId)).map((f) => f.path));
  let candidate = path;
  for (let n = 2; taken.has(candidate); n++) candidate = `${path}-${n}`;
  return candidate;
}

/** Short names the talk's seed uses for scikit-learn's negated scorers. */
const SHORT_SCORE_NAMES: Record<string, string> = {
  neg_mean_absolute_percentage_error: "mape",
  neg_root_mean_squared_error: "rmse",
  neg_mean_squared_error: "mse",
  neg_mean_absolute_error: "mae",
};

function scoreName(name: string): { name: string; sign: number } {
  const short = SHORT_SCORE_NAMES[name];
  return short === undefined ? { name, sign: 1 } : { name: short, sign: -1 };
}

function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

function std(xs: readonly number[]): number {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / xs.length);
}

/**
 * The metrics the original Python project logs from a cross-validation: `mean_test_<score>`,
 * `mean_train_<score>` (negated scikit-learn errors become positive `rmse`, `mape`, ...),
 * `std_test_<score>`, `mean_fit_time_s`, `mean_score_time_s`.
 */
export function cvMetrics(result: AutologCvResult): Record<string, number> {
  if (result.fitTime.length === 0) throw MlflowError.invalidParameterValue("cvMetrics: the result has no folds.");
  const out: Record<string, number> = {};
  for (const [split, scores] of [["test", result.test], ["train", result.train ?? {}]] as const) {
    for (const [raw, values] of Object.entries(scores)) {
      const { name, sign } = scoreName(raw);
      out[`mean_${split}_${name}`] = sign * mean(values);
      if (split === "test") out[`std_test_${name}`] = std(values);
    }
  }
  out.mean_fit_time_s = mean(result.fitTime);
  out.mean_score_time_s = mean(result.scoreTime);
  return out;
}

/** Logs {@link cvMetrics} into the active run (step 0); does nothing when autologging is off. */
export async function autologCrossValidate(result: AutologCvResult): Promise<void> {
  if (!autologActive()) return;
  const runId = (activeRun() as NonNullable<ReturnType<typeof activeRun>>).info.runId;
  const timestamp = Date.now();
  const metrics: Metric[] = Object.entries(cvMetrics(result)).map(([key, value]) => ({ key, value, timestamp, step: 0 }));
  await getClient().logBatch(runId, { metrics });
}
