/**
 * A running trial (Optuna's `optuna/trial/_trial.py`): suggests parameters through the study's
 * sampler, reports intermediate values and asks the pruner. Everything here is synchronous so
 * that it can be called from a synchronous training loop; storage writes are queued on the
 * trial and awaited when the trial is told.
 */
import { ValueError } from "../errors";
import {
  CategoricalChoice,
  CategoricalDistribution,
  checkDistributionCompatibility,
  Distribution,
  FloatDistribution,
  FloatOptions,
  IntDistribution,
  IntOptions,
  ParamValue,
  singleValue,
} from "./distributions";
import { FrozenTrial } from "./frozenTrial";
import { JsonValue } from "./json";
import { filterStudy } from "./pruners/hyperband";
import type { TrialHost } from "./trialHost";

/** A trial in progress. Obtain one from `study.ask()` or inside `study.optimize`. */
export class Trial {
  /** The live record (shared with the study's cache). */
  private readonly record: FrozenTrial;
  private relativeParams: Record<string, ParamValue> = {};
  private relativeSearchSpace: Record<string, Distribution> = {};
  private pending: Promise<void> = Promise.resolve();
  private writeError: unknown = undefined;
  private lastHeartbeat = 0;

  /** @internal Created by {@link Study.ask}. */
  constructor(
    /** The study this trial belongs to. */
    readonly study: TrialHost,
    record: FrozenTrial,
  ) {
    this.record = record;
  }

  /** @internal Runs the sampler's before-trial hook and relative sampling. */
  initRelativeParams(): void {
    const sampler = this.study.sampler;
    const view = filterStudy(this.study, this.record);
    sampler.beforeTrial?.(view, this.record);
    this.relativeSearchSpace = sampler.inferRelativeSearchSpace(view, this.record);
    this.relativeParams = sampler.sampleRelative(view, this.record, this.relativeSearchSpace);
  }

  /** 0-based trial number in the study. */
  get number(): number {
    return this.record.number;
  }

  /** Storage id of the trial. */
  get trialId(): number {
    return this.record.trialId;
  }

  /** Parameters suggested so far. */
  get params(): Record<string, ParamValue> {
    return { ...this.record.params };
  }

  /** Distributions of the parameters suggested so far. */
  get distributions(): Record<string, Distribution> {
    return { ...this.record.distributions };
  }

  /** User attributes set so far. */
  get userAttrs(): Record<string, JsonValue> {
    return structuredClone(this.record.userAttrs);
  }

  /** System attributes. */
  get systemAttrs(): Record<string, JsonValue> {
    return structuredClone(this.record.systemAttrs);
  }

  /** When the trial started. */
  get datetimeStart(): Date | null {
    return this.record.datetimeStart;
  }

  /** A float in [low, high], log-uniform with `log`, on a grid of `step` from `low` with `step`. */
  suggestFloat(name: string, low: number, high: number, options: FloatOptions = {}): number {
    return this.suggest(name, new FloatDistribution(low, high, options)) as number;
  }

  /** An integer in [low, high] (high adjusted down to the step grid), log-uniform with `log`. */
  suggestInt(name: string, low: number, high: number, options: IntOptions = {}): number {
    return this.suggest(name, new IntDistribution(low, high, options)) as number;
  }

  /** One of `choices` (None/bool/number/string values, as storage accepts). */
  suggestCategorical<T extends CategoricalChoice>(name: string, choices: readonly T[]): T {
    return this.suggest(name, new CategoricalDistribution(choices)) as T;
  }

  /**
   * Reports an intermediate objective value at `step` (>= 0). A step already reported is
   * ignored, as in Optuna. Also refreshes the trial's heartbeat (at most twice per interval) when
   * the storage keeps one, since a synchronous objective blocks the loop's heartbeat timer.
   */
  report(value: number, step: number): void {
    if (typeof value !== "number") {
      throw new TypeError(`The \`value\` argument is of type '${typeof value}' but supposed to be a float.`);
    }
    if (!Number.isInteger(step)) throw new TypeError(`The \`step\` argument is ${step} but must be an integer.`);
    if (step < 0) throw new ValueError(`The \`step\` argument is ${step} but cannot be negative.`);
    if (this.record.intermediateValues.has(step)) {
      console.warn(`The reported value is ignored because this \`step\` ${step} is already reported.`);
      return;
    }
    this.record.intermediateValues.set(step, value);
    const storage = this.study.storage;
    this.enqueue(() => storage.setTrialIntermediateValue(this.record.trialId, step, value));
    const interval = storage.heartbeatInterval;
    if (interval !== null && Date.now() - this.lastHeartbeat >= (interval * 1000) / 2) {
      this.lastHeartbeat = Date.now();
      if (storage.recordHeartbeatSync?.(this.record.trialId) !== true) this.enqueue(() => storage.recordHeartbeat(this.record.trialId));
    }
  }

  /** Whether the study's pruner would stop this trial now; throw `TrialPruned` when true. */
  shouldPrune(): boolean {
    return this.study.pruner.prune(this.study, this.record);
  }

  /** Sets a user attribute (any JSON value). */
  setUserAttr(key: string, value: JsonValue): void {
    this.record.userAttrs[key] = structuredClone(value);
    this.enqueue(() => this.study.storage.setTrialUserAttr(this.record.trialId, key, value));
  }

  /** Sets a system attribute (any JSON value). */
  setSystemAttr(key: string, value: JsonValue): void {
    this.study.setTrialSystemAttr(this.record.trialId, key, value);
  }

  /** @internal Queues a storage write; writes run in order and are awaited by {@link Trial.flush}. */
  enqueue(write: () => Promise<void>): void {
    this.pending = this.pending.then(write).catch((error: unknown) => {
      if (this.writeError === undefined) this.writeError = error;
    });
  }

  /** Waits for queued storage writes; rethrows the first one that failed. */
  async flush(): Promise<void> {
    await this.pending;
    if (this.writeError !== undefined) {
      const error = this.writeError;
      this.writeError = undefined;
      throw error;
    }
  }

  private suggest(name: string, distribution: Distribution): ParamValue {
    const existing = this.record.distributions[name];
    if (existing !== undefined) {
      checkDistributionCompatibility(existing, distribution, name);
      return this.record.params[name] as ParamValue;
    }
    this.study.checkParamCompatibility(name, distribution);
    let value: ParamValue;
    const fixed = this.record.systemAttrs["fixed_params"];
    if (fixed !== null && typeof fixed === "object" && !Array.isArray(fixed) && name in fixed) {
      value = fixed[name] as ParamValue;
      if (!distribution.contains(distribution.toInternalRepr(value))) {
        console.warn(`Fixed parameter '${name}' with value ${String(value)} is out of range for distribution ${JSON.stringify(distribution.toAttributes())}.`);
      }
    } else if (distribution.single()) {
      value = singleValue(distribution);
    } else if (name in this.relativeSearchSpace && name in this.relativeParams && distribution.contains(distribution.toInternalRepr(this.relativeParams[name] as ParamValue))) {
      value = this.relativeParams[name] as ParamValue;
    } else {
      value = this.study.sampler.sampleIndependent(filterStudy(this.study, this.record), this.record, name, distribution);
    }
    const internal = distribution.toInternalRepr(value);
    this.record.distributions[name] = distribution;
    this.record.params[name] = distribution.toExternalRepr(internal);
    this.enqueue(() => this.study.storage.setTrialParam(this.record.trialId, name, internal, distribution));
    return this.record.params[name] as ParamValue;
  }
}
