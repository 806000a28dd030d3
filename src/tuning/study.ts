/**
 * A study: an optimisation task over one objective (Optuna's `optuna/study/study.py` and
 * `study/_tell.py`). Keeps a cache of trials that samplers and pruners read synchronously;
 * the cache is refreshed from storage before each trial, so several workers (processes
 * sharing an RDB storage, or concurrent async trials) see each other's results.
 */
import { ValueError } from "../errors";
import { checkDistributionCompatibility, Distribution, ParamValue } from "./distributions";
import { DuplicatedStudyError, KeyError } from "./errors";
import { copyFrozenTrial, emptyFrozenTrial, FrozenTrial, lastStep } from "./frozenTrial";
import { JsonValue } from "./json";
import { LoopCallback, LoopOptions, Objective, optimizeStudy } from "./optimize";
import { filterStudy } from "./pruners/hyperband";
import { MedianPruner } from "./pruners/median";
import { Pruner } from "./pruners/base";
import { Sampler } from "./samplers/base";
import type { SamplerFactory } from "./resume";
import { TPESampler } from "./samplers/tpe/sampler";
import { isFinished, parseDirection, StudyDirection, TrialState } from "./state";
import { Storage } from "./storages/base";
import { getStorage } from "./storages/factory";
import { WORKER_PROCESS_KEY, workerProcessAttr } from "./storages/workerProcess";
import { TrialFilter } from "./studyView";
import { Trial } from "./trial";
import type { TrialHost } from "./trialHost";
import { trialsDataFrame, TrialsRow } from "./dataframe";

/** Called after every finished trial, like Optuna's `callbacks=[...]`. */
export type StudyCallback = LoopCallback<Study>;

/** Options of {@link Study.optimize}: `nTrials`, `timeout`, `callbacks`, `catch`, `nJobs`. */
export type OptimizeOptions = LoopOptions<Study>;

/** System attribute under which `tell` records why a trial failed (Optuna's `STUDY_TELL_WARNING`). */
export const STUDY_TELL_WARNING_KEY = "STUDY_TELL_WARNING";

/** Options of {@link createStudy}. */
export interface CreateStudyOptions {
  /** Name (a random one when omitted). */
  studyName?: string;
  /** "minimize" (default) or "maximize". */
  direction?: "minimize" | "maximize" | StudyDirection;
  /**
   * Defaults to a TPESampler. A function is called with the number of trials the study already
   * holds, so that a resumed seeded study can draw from a new stream (see `resumeSeed`).
   */
  sampler?: Sampler | SamplerFactory;
  /** Defaults to MedianPruner(). */
  pruner?: Pruner;
  /** A Storage, or a URL: "sqlite:///path.db" (Optuna's form). In memory when omitted. */
  storage?: Storage | string;
  /** Load the study when a study with this name exists instead of failing. */
  loadIfExists?: boolean;
}

/** Options of {@link loadStudy}. */
export interface LoadStudyOptions {
  studyName: string;
  storage: Storage | string;
  /** As in {@link CreateStudyOptions.sampler}. */
  sampler?: Sampler | SamplerFactory;
  pruner?: Pruner;
}

/** Options of {@link Study.enqueueTrial}. */
export interface EnqueueOptions {
  /** User attributes of the enqueued trial. */
  userAttrs?: Record<string, JsonValue>;
  /** Do nothing when a trial with these fixed params already exists. */
  skipIfExists?: boolean;
}

/** Creates (or with `loadIfExists`, loads) a study. */
export async function createStudy(options: CreateStudyOptions = {}): Promise<Study> {
  const storage = typeof options.storage === "string" ? await getStorage(options.storage) : (options.storage ?? (await getStorage(undefined)));
  const direction = parseDirection(options.direction ?? "minimize");
  let studyId: number;
  try {
    studyId = await storage.createNewStudy(direction, options.studyName);
  } catch (error) {
    if (!(error instanceof DuplicatedStudyError) || options.loadIfExists !== true || options.studyName === undefined) throw error;
    studyId = await storage.getStudyIdFromName(options.studyName);
    const stored = await storage.getStudyDirection(studyId);
    if (stored !== direction) throw new ValueError(`Cannot overwrite study direction from ${stored} to ${direction}.`);
  }
  const studyName = await storage.getStudyNameFromId(studyId);
  const sampler = await makeSampler(options.sampler, storage, studyId);
  const study = new Study(studyName, studyId, direction, storage, sampler, options.pruner ?? new MedianPruner());
  await study.refresh();
  return study;
}

/** Loads an existing study; throws KeyError when the name is unknown. */
export async function loadStudy(options: LoadStudyOptions): Promise<Study> {
  const storage = typeof options.storage === "string" ? await getStorage(options.storage) : options.storage;
  const studyId = await storage.getStudyIdFromName(options.studyName);
  const direction = await storage.getStudyDirection(studyId);
  const sampler = await makeSampler(options.sampler, storage, studyId);
  const study = new Study(options.studyName, studyId, direction, storage, sampler, options.pruner ?? new MedianPruner());
  await study.refresh();
  return study;
}

async function makeSampler(given: Sampler | SamplerFactory | undefined, storage: Storage, studyId: number): Promise<Sampler> {
  if (given === undefined) return new TPESampler();
  if (typeof given !== "function") return given;
  return given({ nTrials: (await storage.getAllTrials(studyId)).length });
}

/** Deletes a study and its trials from a storage. */
export async function deleteStudy(options: { studyName: string; storage: Storage | string }): Promise<void> {
  const storage = typeof options.storage === "string" ? await getStorage(options.storage) : options.storage;
  await storage.deleteStudy(await storage.getStudyIdFromName(options.studyName));
}

/** A study. Create one with {@link createStudy} or {@link loadStudy}. */
export class Study implements TrialHost {
  private cache: FrozenTrial[] = [];
  private readonly live = new Map<number, { record: FrozenTrial; trial: Trial }>();
  private readonly paramDistributions = new Map<string, Distribution>();
  private userAttrsCache: Record<string, JsonValue> = {};
  private systemAttrsCache: Record<string, JsonValue> = {};
  /** @internal Set by {@link Study.stop}; read by the optimisation loop. */
  stopFlag = false;

  /** @internal Use {@link createStudy} / {@link loadStudy}. */
  constructor(
    readonly studyName: string,
    readonly studyId: number,
    readonly direction: StudyDirection,
    readonly storage: Storage,
    readonly sampler: Sampler,
    readonly pruner: Pruner,
  ) {}

  /** Re-reads trials and study attributes changed in storage since the last refresh. */
  async refresh(): Promise<void> {
    const known = new Set<number>();
    for (const t of this.cache) if (isFinished(t.state)) known.add(t.trialId);
    const changed = await this.storage.getAllTrials(this.studyId, { skipTrialIds: known });
    const byId = new Map(this.cache.map((t) => [t.trialId, t]));
    for (const t of changed) {
      const live = this.live.get(t.trialId);
      byId.set(t.trialId, live !== undefined ? live.record : t);
    }
    this.cache = [...byId.values()].sort((a, b) => a.number - b.number);
    for (const t of changed) for (const [name, dist] of Object.entries(t.distributions)) this.paramDistributions.set(name, dist);
    this.userAttrsCache = await this.storage.getStudyUserAttrs(this.studyId);
    this.systemAttrsCache = await this.storage.getStudySystemAttrs(this.studyId);
  }

  /** All trials (as of the last refresh), ordered by number. */
  get trials(): FrozenTrial[] {
    return this.getTrials();
  }

  /** Trials (as of the last refresh), optionally only in some states. Do not mutate them. */
  getTrials(filter: TrialFilter = {}): FrozenTrial[] {
    const states = filter.states;
    return states === undefined ? [...this.cache] : this.cache.filter((t) => states.includes(t.state));
  }

  /** The best COMPLETE trial; throws ValueError when there is none. */
  get bestTrial(): FrozenTrial {
    let best: FrozenTrial | undefined;
    for (const t of this.cache) {
      if (t.state !== "COMPLETE" || t.value === null) continue;
      if (best === undefined || (this.direction === "MINIMIZE" ? t.value < (best.value as number) : t.value > (best.value as number))) best = t;
    }
    if (best === undefined) throw new ValueError("No trials are completed yet.");
    return copyFrozenTrial(best);
  }

  /** The best objective value. */
  get bestValue(): number {
    return this.bestTrial.value as number;
  }

  /** The parameters of the best trial. */
  get bestParams(): Record<string, ParamValue> {
    return this.bestTrial.params;
  }

  /** Study user attributes (as of the last refresh). */
  get userAttrs(): Record<string, JsonValue> {
    return structuredClone(this.userAttrsCache);
  }

  /** Study system attributes (as of the last refresh). */
  get systemAttrs(): Record<string, JsonValue> {
    return structuredClone(this.systemAttrsCache);
  }

  /** Sets a study user attribute. */
  async setUserAttr(key: string, value: JsonValue): Promise<void> {
    await this.storage.setStudyUserAttr(this.studyId, key, value);
    this.userAttrsCache[key] = structuredClone(value);
  }

  /** Sets a study system attribute. */
  async setSystemAttr(key: string, value: JsonValue): Promise<void> {
    await this.storage.setStudySystemAttr(this.studyId, key, value);
    this.systemAttrsCache[key] = structuredClone(value);
  }

  /** Stops `optimize` after the running trials finish. */
  stop(): void {
    this.stopFlag = true;
  }

  /** @internal Sets a trial system attribute in the cache and, queued, in storage. */
  setTrialSystemAttr(trialId: number, key: string, value: JsonValue): void {
    const live = this.live.get(trialId);
    if (live !== undefined) {
      live.record.systemAttrs[key] = structuredClone(value);
      live.trial.enqueue(() => this.storage.setTrialSystemAttr(trialId, key, value));
      return;
    }
    void this.storage.setTrialSystemAttr(trialId, key, value).catch((error: unknown) => {
      console.warn(`setTrialSystemAttr(${trialId}, ${key}) failed: ${String(error)}`);
    });
  }

  /** @internal Throws Optuna's error when `name` was used in this study with an incompatible distribution. */
  checkParamCompatibility(name: string, distribution: Distribution): void {
    const previous = this.paramDistributions.get(name);
    if (previous !== undefined) checkDistributionCompatibility(previous, distribution, name);
    else this.paramDistributions.set(name, distribution);
  }

  /**
   * Starts a trial: takes the oldest WAITING (enqueued) trial when one is free, otherwise
   * creates one; then runs the sampler's relative step. `fixedDistributions` are suggested at once.
   */
  async ask(fixedDistributions: Record<string, Distribution> = {}): Promise<Trial> {
    await this.refresh();
    let record: FrozenTrial | undefined;
    for (const waiting of this.getTrials({ states: ["WAITING"] })) {
      if (await this.storage.setTrialStateValues(waiting.trialId, "RUNNING")) {
        record = await this.storage.getTrial(waiting.trialId);
        break;
      }
    }
    // With heartbeats on, the trial is created with its worker process recorded (in the same
    // transaction), so that a process killed at any moment leaves a trial a later worker can fail.
    const beats = this.storage.heartbeatInterval !== null;
    record ??= await this.storage.createNewTrial(
      this.studyId,
      beats ? { ...emptyFrozenTrial("RUNNING"), datetimeStart: new Date(), systemAttrs: { [WORKER_PROCESS_KEY]: workerProcessAttr() } } : undefined,
    );
    const trial = new Trial(this, record);
    this.live.set(record.trialId, { record, trial });
    this.upsertCache(record);
    if (beats) {
      await this.storage.recordHeartbeat(record.trialId);
      if (record.systemAttrs[WORKER_PROCESS_KEY] === undefined) {
        // A WAITING (enqueued) trial taken over: record this process now.
        const worker = workerProcessAttr();
        await this.storage.setTrialSystemAttr(record.trialId, WORKER_PROCESS_KEY, worker);
        record.systemAttrs[WORKER_PROCESS_KEY] = worker;
      }
    }
    trial.initRelativeParams();
    for (const [name, dist] of Object.entries(fixedDistributions)) {
      if (dist.kind === "categorical") trial.suggestCategorical(name, dist.choices);
      else if (dist.kind === "int") trial.suggestInt(name, dist.low, dist.high, { log: dist.log, step: dist.step });
      else trial.suggestFloat(name, dist.low, dist.high, { log: dist.log, step: dist.step });
    }
    return trial;
  }

  /**
   * Finishes a trial (Optuna's `tell`). With no `state`, a finite `value` completes the trial and
   * anything else (NaN, undefined) fails it, recording why in the system attribute
   * `STUDY_TELL_WARNING`. A PRUNED trial keeps its last intermediate value as its value.
   */
  async tell(trialOrNumber: Trial | number, value?: number | null, state?: TrialState): Promise<FrozenTrial> {
    let trialId: number;
    let trial: Trial | undefined;
    if (typeof trialOrNumber === "number") {
      try {
        trialId = await this.storage.getTrialIdFromStudyIdTrialNumber(this.studyId, trialOrNumber);
      } catch (error) {
        if (error instanceof KeyError) throw new ValueError(`Cannot tell for trial with number ${trialOrNumber} since it has not been created.`);
        throw error;
      }
      trial = [...this.live.values()].find((l) => l.record.trialId === trialId)?.trial;
    } else {
      trialId = trialOrNumber.trialId;
      trial = trialOrNumber;
    }
    if (trial !== undefined) await trial.flush();
    const frozen = this.live.get(trialId)?.record ?? (await this.storage.getTrial(trialId));
    if (frozen.state !== "RUNNING") throw new ValueError(`Cannot tell a ${frozen.state} trial.`);
    const given = value === undefined ? null : value;
    if (state === "COMPLETE" && given === null) throw new ValueError("No values were told. Values are required when state is TrialState.COMPLETE.");
    if ((state === "PRUNED" || state === "FAIL") && given !== null) {
      throw new ValueError("Values were told. Values cannot be specified when state is TrialState.PRUNED or TrialState.FAIL.");
    }
    if (state !== undefined && state !== "COMPLETE" && state !== "PRUNED" && state !== "FAIL") throw new ValueError(`Cannot tell with state ${state}.`);
    let finalState: TrialState;
    let finalValue: number | null = given;
    let warning: string | undefined;
    if (state === "COMPLETE") {
      const problem = infeasible(given);
      if (problem !== undefined) throw new ValueError(problem);
      finalState = "COMPLETE";
    } else if (state === "PRUNED") {
      finalState = "PRUNED";
      const step = lastStep(frozen);
      const last = step === null ? undefined : frozen.intermediateValues.get(step);
      finalValue = last !== undefined && !Number.isNaN(last) ? last : null;
    } else if (state === "FAIL") {
      finalState = "FAIL";
    } else {
      warning = given === null ? "The value None could not be cast to float." : infeasible(given);
      finalState = warning === undefined ? "COMPLETE" : "FAIL";
      if (warning !== undefined) finalValue = null;
    }
    try {
      this.sampler.afterTrial?.(filterStudy(this, frozen), frozen, finalState, finalValue);
    } finally {
      await this.storage.setTrialStateValues(trialId, finalState, finalValue);
      this.live.delete(trialId);
    }
    const stored = await this.storage.getTrial(trialId);
    this.upsertCache(stored);
    const result = copyFrozenTrial(stored);
    if (warning !== undefined) result.systemAttrs[STUDY_TELL_WARNING_KEY] = warning;
    return result;
  }

  /** Runs trials of `objective` until `nTrials`, `timeout` seconds, or `stop()`. See {@link OptimizeOptions}. */
  async optimize(objective: Objective, options: OptimizeOptions = {}): Promise<void> {
    await optimizeStudy(this, objective, options);
  }

  /** Queues a trial whose parameters (some or all) are fixed; `ask` runs queued trials first. */
  async enqueueTrial(params: Record<string, ParamValue>, options: EnqueueOptions = {}): Promise<void> {
    if (options.skipIfExists === true) {
      await this.refresh();
      for (const t of this.cache) {
        const fixed = t.systemAttrs["fixed_params"];
        if (fixed !== undefined && JSON.stringify(fixed) === JSON.stringify(params)) return;
      }
    }
    const template = emptyFrozenTrial("WAITING");
    template.systemAttrs["fixed_params"] = { ...params };
    template.userAttrs = structuredClone(options.userAttrs ?? {});
    const created = await this.storage.createNewTrial(this.studyId, template);
    this.upsertCache(created);
  }

  /** Adds a finished trial built elsewhere (Optuna's `add_trial`). */
  async addTrial(trial: FrozenTrial): Promise<void> {
    if (!isFinished(trial.state)) throw new ValueError(`addTrial: the trial must be finished, got state ${trial.state}.`);
    const created = await this.storage.createNewTrial(this.studyId, trial);
    this.upsertCache(created);
  }

  /** One plain row per trial for notebooks (Optuna's `trials_dataframe`). */
  trialsDataFrame(): TrialsRow[] {
    return trialsDataFrame(this.cache);
  }

  private upsertCache(record: FrozenTrial): void {
    const live = this.live.get(record.trialId);
    const entry = live !== undefined ? live.record : record;
    const index = this.cache.findIndex((t) => t.trialId === record.trialId);
    if (index >= 0) this.cache[index] = entry;
    else {
      this.cache.push(entry);
      this.cache.sort((a, b) => a.number - b.number);
    }
    for (const [name, dist] of Object.entries(record.distributions)) this.paramDistributions.set(name, dist);
  }
}

function infeasible(value: number | null): string | undefined {
  if (typeof value !== "number") return `The value ${String(value)} could not be cast to float.`;
  if (Number.isNaN(value)) return `The value nan is not acceptable.`;
  return undefined;
}
