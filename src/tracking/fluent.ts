/**
 * MLflow's fluent API (port of `mlflow/tracking/fluent.py`): module-level functions over
 * a stack of active runs. `startRun(options, fn)` / `withRun` is Python's
 * `with mlflow.start_run():` — the run ends FINISHED when `fn` resolves and FAILED when
 * it throws. Each callback runs with its own copy of the stack (AsyncLocalStorage), so
 * concurrent callbacks (parallel trials) do not see each other's runs.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { MlflowError } from "./errors";
import type { Dataset, Experiment, Metric, Run, RunStatus } from "./entities";
import { MlflowClient, type LogInputOptions } from "./client";
import { resolveTrackingUri } from "./store/storeRegistry";
import { defaultRunTags, MLFLOW_TAGS } from "./systemTags";
import { appendToUri } from "./artifacts/artifactRepository";
import type { JsonValue } from "./pythonRepr";

/** Options of {@link startRun}. */
export interface StartRunOptions {
  /** Resume this existing run instead of creating one. */
  readonly runId?: string;
  /** Default: the active experiment (see {@link setExperiment}), `MLFLOW_EXPERIMENT_NAME`/`_ID`, else "0". */
  readonly experimentId?: string;
  /** Default: an MLflow-style generated name such as "bright-owl-123". */
  readonly runName?: string;
  /** Start a child of the active run (tag `mlflow.parentRunId`). */
  readonly nested?: boolean;
  /** Extra tags for the new run. */
  readonly tags?: Readonly<Record<string, string>>;
  /** Stored as the `mlflow.note.content` tag, shown by MLflow's UI as the run description. */
  readonly description?: string;
}

/** Options of {@link logMetric} and {@link logMetrics}. */
export interface FluentMetricOptions {
  readonly step?: number;
  readonly timestamp?: number;
}

interface RunContext {
  stack: Run[];
}

const storage = new AsyncLocalStorage<RunContext>();
const globalContext: RunContext = { stack: [] };
let trackingUri: string | undefined;
let activeExperimentId: string | undefined;
let lastRunId: string | undefined;
let cachedClient: { uri: string; client: MlflowClient } | undefined;

function context(): RunContext {
  return storage.getStore() ?? globalContext;
}

/** Sets the tracking URI for the fluent API (a path, `file:` URI or a registered scheme such as http). */
export function setTrackingUri(uri: string): void {
  trackingUri = uri;
  cachedClient = undefined;
}

/** The tracking URI in use: set by {@link setTrackingUri}, else `MLFLOW_TRACKING_URI`, else `./mlruns`. */
export function getTrackingUri(): string {
  return resolveTrackingUri(trackingUri);
}

/** The client the fluent API uses (for the current tracking URI). */
export function getClient(): MlflowClient {
  const uri = getTrackingUri();
  if (cachedClient === undefined || cachedClient.uri !== uri) cachedClient = { uri, client: new MlflowClient(uri) };
  return cachedClient.client;
}

/**
 * Makes an experiment active, creating it when no experiment has that name.
 * Pass `{ experimentId }` to select by id.
 */
export async function setExperiment(nameOrId: string | { experimentId: string }): Promise<Experiment> {
  const client = getClient();
  let experiment: Experiment | null;
  if (typeof nameOrId === "string") {
    experiment = await client.getExperimentByName(nameOrId);
    if (experiment === null) {
      try {
        experiment = await client.getExperiment(await client.createExperiment(nameOrId));
      } catch (err) {
        // Another process created it between our lookup and create.
        if (!(err instanceof MlflowError && err.errorCode === "RESOURCE_ALREADY_EXISTS")) throw err;
        experiment = await client.getExperimentByName(nameOrId);
        if (experiment === null) throw err;
      }
    }
  } else {
    experiment = await client.getExperiment(nameOrId.experimentId);
  }
  if (experiment.lifecycleStage === "deleted") {
    throw MlflowError.invalidParameterValue(
      `Cannot set a deleted experiment '${experiment.name}' as the active experiment. ` +
        `You can restore the experiment, or permanently delete the experiment to create a new one.`,
    );
  }
  activeExperimentId = experiment.experimentId;
  return experiment;
}

async function resolveExperimentId(explicit: string | undefined): Promise<string> {
  if (explicit !== undefined) return explicit;
  if (activeExperimentId !== undefined) return activeExperimentId;
  const name = process.env.MLFLOW_EXPERIMENT_NAME;
  if (name !== undefined && name !== "") return (await setExperiment(name)).experimentId;
  const id = process.env.MLFLOW_EXPERIMENT_ID;
  if (id !== undefined && id !== "") return id;
  return "0";
}

/** The innermost active run of the current context, or null. */
export function activeRun(): Run | null {
  const stack = context().stack;
  return stack[stack.length - 1] ?? null;
}

/** The id of the run most recently ended or started in this process, or null. */
export function lastActiveRunId(): string | null {
  return lastRunId ?? null;
}

async function createOrResume(options: StartRunOptions): Promise<Run> {
  const client = getClient();
  const ctx = context();
  const parent = ctx.stack[ctx.stack.length - 1];
  if (parent !== undefined && options.nested !== true) {
    throw MlflowError.invalidParameterValue(
      `Run with UUID ${parent.info.runId} is already active. To start a new run, first end the current run with endRun(). ` +
        `To start a nested run, call startRun with { nested: true }.`,
    );
  }
  if (options.runId !== undefined) {
    const existing = await client.getRun(options.runId);
    if (existing.info.lifecycleStage === "deleted") {
      throw MlflowError.invalidParameterValue(`Cannot start run with ID ${options.runId} because it is in the deleted state.`);
    }
    // As MLflow: the status goes back to RUNNING, the end time is left as it was.
    await client.updateRun(options.runId, { status: "RUNNING" });
    const extra = Object.entries(options.tags ?? {}).map(([key, value]) => ({ key, value }));
    if (extra.length > 0) await client.logBatch(options.runId, { tags: extra });
    return client.getRun(options.runId);
  }
  const experimentId = await resolveExperimentId(options.experimentId);
  const tags: Record<string, string> = {};
  for (const t of defaultRunTags()) tags[t.key] = t.value;
  if (parent !== undefined) tags[MLFLOW_TAGS.parentRunId] = parent.info.runId;
  if (options.description !== undefined) tags[MLFLOW_TAGS.note] = options.description;
  Object.assign(tags, options.tags ?? {});
  return client.createRun(experimentId, { tags, runName: options.runName });
}

/** Starts (or resumes) a run and makes it active; end it with {@link endRun}. */
export async function startRun(options?: StartRunOptions): Promise<Run>;
/**
 * Starts a run, runs `fn` with it active, and ends it: FINISHED when `fn` resolves,
 * FAILED when it throws (the error is rethrown). Resolves to `fn`'s result.
 */
export async function startRun<T>(options: StartRunOptions, fn: (run: Run) => T | Promise<T>): Promise<T>;
export async function startRun<T>(options: StartRunOptions = {}, fn?: (run: Run) => T | Promise<T>): Promise<Run | T> {
  if (fn !== undefined) return withRun(options, fn);
  const run = await createOrResume(options);
  context().stack.push(run);
  lastRunId = run.info.runId;
  return run;
}

/** {@link startRun} with a callback: Python's `with mlflow.start_run():`. */
export async function withRun<T>(options: StartRunOptions, fn: (run: Run) => T | Promise<T>): Promise<T> {
  const run = await createOrResume(options);
  lastRunId = run.info.runId;
  const inner: RunContext = { stack: [...context().stack, run] };
  let result: T;
  try {
    result = await storage.run(inner, () => fn(run));
  } catch (err) {
    await endRunsFrom(inner, run.info.runId, "FAILED");
    throw err;
  }
  await endRunsFrom(inner, run.info.runId, "FINISHED");
  return result;
}

/** Logging started from synchronous code (autologged `fit`), awaited before its run ends. */
const pendingByRun = new Map<string, Set<Promise<unknown>>>();

/**
 * Attaches logging work to the active run, for callers that cannot await it (a synchronous
 * `fit` patched by autolog): the run waits for it before it ends, as MLflow flushes its
 * asynchronous logging at `end_run`. Without an active run the work is only awaited by nobody.
 */
export function logInBackground(work: Promise<unknown>): void {
  const run = activeRun();
  if (run === null) return;
  const set = pendingByRun.get(run.info.runId) ?? new Set<Promise<unknown>>();
  pendingByRun.set(run.info.runId, set);
  set.add(work);
  // Failures surface when the run ends; until then they must not be unhandled rejections.
  work.catch(() => undefined);
}

/** Waits for a run's background logging; resolves to the first failure, if any. */
async function flushPending(runId: string): Promise<unknown> {
  const set = pendingByRun.get(runId);
  if (set === undefined) return undefined;
  pendingByRun.delete(runId);
  const failed = (await Promise.allSettled(set)).find((r) => r.status === "rejected");
  return failed === undefined ? undefined : (failed as PromiseRejectedResult).reason ?? new Error("background logging failed");
}

async function terminate(runId: string, status: RunStatus): Promise<void> {
  const failure = await flushPending(runId);
  await getClient().setTerminated(runId, failure === undefined ? status : "FAILED");
  if (failure !== undefined) throw failure;
}

async function endRunsFrom(ctx: RunContext, runId: string, status: RunStatus): Promise<void> {
  const index = ctx.stack.findIndex((r) => r.info.runId === runId);
  if (index < 0) return;
  // Runs left open inside the callback end with it, innermost first.
  while (ctx.stack.length > index) {
    const run = ctx.stack.pop() as Run;
    await terminate(run.info.runId, status);
  }
}

/** Ends the innermost active run with `status` (default FINISHED); does nothing when none is active. */
export async function endRun(status: RunStatus = "FINISHED"): Promise<void> {
  const run = context().stack.pop();
  if (run === undefined) return;
  lastRunId = run.info.runId;
  await terminate(run.info.runId, status);
}

async function runIdForLogging(): Promise<string> {
  const run = activeRun();
  if (run !== null) return run.info.runId;
  // MLflow starts a run implicitly when logging without one.
  return (await startRun()).info.runId;
}

/** Logs a param of the active run (value converted with `String`). */
export async function logParam(key: string, value: unknown): Promise<void> {
  await getClient().logParam(await runIdForLogging(), key, value);
}

/** Logs several params of the active run in one batch. */
export async function logParams(params: Readonly<Record<string, unknown>>): Promise<void> {
  const list = Object.entries(params).map(([key, value]) => ({ key, value: String(value) }));
  await getClient().logBatch(await runIdForLogging(), { params: list });
}

/** Appends a metric value to the active run. */
export async function logMetric(key: string, value: number, options: FluentMetricOptions = {}): Promise<void> {
  await getClient().logMetric(await runIdForLogging(), key, value, options);
}

/** Appends several metrics (same step and timestamp) to the active run in one batch. */
export async function logMetrics(metrics: Readonly<Record<string, number>>, options: FluentMetricOptions = {}): Promise<void> {
  const timestamp = options.timestamp ?? Date.now();
  const step = options.step ?? 0;
  const list: Metric[] = Object.entries(metrics).map(([key, value]) => ({ key, value, timestamp, step }));
  await getClient().logBatch(await runIdForLogging(), { metrics: list });
}

/** Sets a tag of the active run. */
export async function setTag(key: string, value: unknown): Promise<void> {
  await getClient().setTag(await runIdForLogging(), key, value);
}

/** Sets several tags of the active run in one batch. */
export async function setTags(tags: Readonly<Record<string, unknown>>): Promise<void> {
  const list = Object.entries(tags).map(([key, value]) => ({ key, value: String(value) }));
  await getClient().logBatch(await runIdForLogging(), { tags: list });
}

/** Deletes a tag of the active run. */
export async function deleteTag(key: string): Promise<void> {
  await getClient().deleteTag(await runIdForLogging(), key);
}

/**
 * Logs a dataset as an input of the active run (MLflow's `mlflow.log_input`), with its
 * context ("training", "evaluation", ...) stored as the `mlflow.data.context` input tag.
 */
export async function logInput(dataset: Dataset, options: LogInputOptions = {}): Promise<void> {
  await getClient().logInput(await runIdForLogging(), dataset, options);
}

/** Copies a local file into the active run's artifacts (under `artifactPath`). */
export async function logArtifact(localPath: string, artifactPath?: string): Promise<void> {
  await getClient().logArtifact(await runIdForLogging(), localPath, artifactPath);
}

/** Copies a local directory's contents into the active run's artifacts. */
export async function logArtifacts(localDir: string, artifactPath?: string): Promise<void> {
  await getClient().logArtifacts(await runIdForLogging(), localDir, artifactPath);
}

/** Writes text as an artifact file of the active run. */
export async function logText(text: string, artifactFile: string): Promise<void> {
  await getClient().logText(await runIdForLogging(), text, artifactFile);
}

/** Writes a dictionary as a JSON or YAML artifact file of the active run. */
export async function logDict(dict: { [key: string]: JsonValue }, artifactFile: string): Promise<void> {
  await getClient().logDict(await runIdForLogging(), dict, artifactFile);
}

/** The artifact URI of the active run, or of `artifactPath` inside it. */
export async function getArtifactUri(artifactPath?: string): Promise<string> {
  const run = await getClient().getRun(await runIdForLogging());
  return artifactPath === undefined ? run.info.artifactUri : appendToUri(run.info.artifactUri, artifactPath);
}

/** Options of the fluent {@link searchRuns}. */
export interface FluentSearchRunsOptions {
  /** Default: the active experiment. */
  readonly experimentIds?: readonly string[];
  readonly experimentNames?: readonly string[];
  readonly filterString?: string;
  readonly orderBy?: readonly string[];
  readonly maxResults?: number;
  readonly runViewType?: "ACTIVE_ONLY" | "DELETED_ONLY" | "ALL";
}

/** Every run matching (MLflow's `mlflow.search_runs`, as a list of runs rather than a DataFrame). */
export async function searchRuns(options: FluentSearchRunsOptions = {}): Promise<Run[]> {
  const client = getClient();
  const ids = [...(options.experimentIds ?? [])];
  for (const name of options.experimentNames ?? []) {
    const e = await client.getExperimentByName(name);
    if (e !== null) ids.push(e.experimentId);
  }
  if (ids.length === 0 && options.experimentNames === undefined) ids.push(await resolveExperimentId(undefined));
  const runs = await client.searchAllRuns(ids, {
    filterString: options.filterString,
    orderBy: options.orderBy,
    runViewType: options.runViewType,
  });
  return options.maxResults === undefined ? runs : runs.slice(0, options.maxResults);
}
