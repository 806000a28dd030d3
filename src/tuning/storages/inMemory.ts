/**
 * Studies and trials held in process memory (Optuna's `optuna/storages/_in_memory.py`):
 * the default when no storage is given; lost when the process exits.
 */
import { checkDistributionCompatibility, Distribution } from "../distributions";
import { DuplicatedStudyError, KeyError } from "../errors";
import { copyFrozenTrial, emptyFrozenTrial, FrozenTrial } from "../frozenTrial";
import { JsonValue } from "../json";
import { isFinished, StudyDirection, TrialState } from "../state";
import { assertUpdatable, GetTrialsOptions, Storage, StudySummary } from "./base";

interface StudyRecord {
  name: string;
  direction: StudyDirection;
  userAttrs: Record<string, JsonValue>;
  systemAttrs: Record<string, JsonValue>;
  trials: FrozenTrial[];
  paramDistribution: Map<string, Distribution>;
}

/** In-memory {@link Storage}. Methods return copies, so callers cannot corrupt it. */
export class InMemoryStorage implements Storage {
  /** Heartbeats are meaningless in one process. */
  readonly heartbeatInterval = null;
  private readonly studies = new Map<number, StudyRecord>();
  private readonly trialOwner = new Map<number, { studyId: number; index: number }>();
  private nextStudyId = 0;
  private nextTrialId = 0;

  async createNewStudy(direction: StudyDirection, studyName?: string): Promise<number> {
    const name = studyName ?? `no-name-${cryptoRandomId()}`;
    for (const s of this.studies.values()) {
      if (s.name === name) throw new DuplicatedStudyError(`Another study with name '${name}' already exists. Please specify a different name, or reuse the existing one by setting \`loadIfExists\` (for Python compatibility, \`load_if_exists\`) to true.`);
    }
    const id = this.nextStudyId++;
    this.studies.set(id, { name, direction, userAttrs: {}, systemAttrs: {}, trials: [], paramDistribution: new Map() });
    return id;
  }

  async deleteStudy(studyId: number): Promise<void> {
    const study = this.study(studyId);
    for (const t of study.trials) this.trialOwner.delete(t.trialId);
    this.studies.delete(studyId);
  }

  async getStudyIdFromName(studyName: string): Promise<number> {
    for (const [id, s] of this.studies) if (s.name === studyName) return id;
    throw new KeyError(`No such study ${studyName}.`);
  }

  async getStudyNameFromId(studyId: number): Promise<string> {
    return this.study(studyId).name;
  }

  async getStudyDirection(studyId: number): Promise<StudyDirection> {
    return this.study(studyId).direction;
  }

  async setStudyUserAttr(studyId: number, key: string, value: JsonValue): Promise<void> {
    this.study(studyId).userAttrs[key] = structuredClone(value);
  }

  async setStudySystemAttr(studyId: number, key: string, value: JsonValue): Promise<void> {
    this.study(studyId).systemAttrs[key] = structuredClone(value);
  }

  async getStudyUserAttrs(studyId: number): Promise<Record<string, JsonValue>> {
    return structuredClone(this.study(studyId).userAttrs);
  }

  async getStudySystemAttrs(studyId: number): Promise<Record<string, JsonValue>> {
    return structuredClone(this.study(studyId).systemAttrs);
  }

  async getAllStudies(): Promise<StudySummary[]> {
    return [...this.studies].map(([studyId, s]) => ({ studyId, studyName: s.name, direction: s.direction, nTrials: s.trials.length }));
  }

  async createNewTrial(studyId: number, template?: FrozenTrial): Promise<FrozenTrial> {
    const study = this.study(studyId);
    const trial = template === undefined ? emptyFrozenTrial("RUNNING") : copyFrozenTrial(template);
    trial.trialId = this.nextTrialId++;
    trial.number = study.trials.length;
    if (template === undefined) trial.datetimeStart = new Date();
    for (const [name, dist] of Object.entries(trial.distributions)) this.checkParam(study, name, dist);
    this.trialOwner.set(trial.trialId, { studyId, index: study.trials.length });
    study.trials.push(trial);
    return copyFrozenTrial(trial);
  }

  async setTrialParam(trialId: number, name: string, internal: number, distribution: Distribution): Promise<void> {
    const { trial, study } = this.locate(trialId);
    assertUpdatable(trialId, trial.state);
    this.checkParam(study, name, distribution);
    trial.distributions[name] = distribution;
    trial.params[name] = distribution.toExternalRepr(internal);
  }

  async setTrialStateValues(trialId: number, state: TrialState, value?: number | null): Promise<boolean> {
    const { trial } = this.locate(trialId);
    assertUpdatable(trialId, trial.state);
    if (state === "RUNNING" && trial.state !== "WAITING") return false;
    trial.state = state;
    if (value !== undefined && value !== null) trial.value = value;
    if (state === "RUNNING") trial.datetimeStart = new Date();
    if (isFinished(state)) trial.datetimeComplete = new Date();
    return true;
  }

  async setTrialIntermediateValue(trialId: number, step: number, value: number): Promise<void> {
    const { trial } = this.locate(trialId);
    assertUpdatable(trialId, trial.state);
    trial.intermediateValues.set(step, value);
  }

  async setTrialUserAttr(trialId: number, key: string, value: JsonValue): Promise<void> {
    const { trial } = this.locate(trialId);
    assertUpdatable(trialId, trial.state);
    trial.userAttrs[key] = structuredClone(value);
  }

  async setTrialSystemAttr(trialId: number, key: string, value: JsonValue): Promise<void> {
    const { trial } = this.locate(trialId);
    assertUpdatable(trialId, trial.state);
    trial.systemAttrs[key] = structuredClone(value);
  }

  async getTrial(trialId: number): Promise<FrozenTrial> {
    return copyFrozenTrial(this.locate(trialId).trial);
  }

  async getTrialIdFromStudyIdTrialNumber(studyId: number, number: number): Promise<number> {
    const trial = this.study(studyId).trials[number];
    if (trial === undefined) throw new KeyError(`No trial with trial number ${number} exists in study with study_id ${studyId}.`);
    return trial.trialId;
  }

  async getAllTrials(studyId: number, options: GetTrialsOptions = {}): Promise<FrozenTrial[]> {
    const out: FrozenTrial[] = [];
    for (const t of this.study(studyId).trials) {
      if (options.states !== undefined && !options.states.includes(t.state)) continue;
      if (options.skipTrialIds?.has(t.trialId) === true) continue;
      out.push(copyFrozenTrial(t));
    }
    return out;
  }

  async recordHeartbeat(): Promise<void> {}

  async getStaleTrialIds(): Promise<number[]> {
    return [];
  }

  async close(): Promise<void> {}

  private study(studyId: number): StudyRecord {
    const s = this.studies.get(studyId);
    if (s === undefined) throw new KeyError(`No study with study_id ${studyId} exists.`);
    return s;
  }

  private locate(trialId: number): { trial: FrozenTrial; study: StudyRecord } {
    const owner = this.trialOwner.get(trialId);
    if (owner === undefined) throw new KeyError(`No trial with trial_id ${trialId} exists.`);
    const study = this.study(owner.studyId);
    return { trial: study.trials[owner.index] as FrozenTrial, study };
  }

  private checkParam(study: StudyRecord, name: string, distribution: Distribution): void {
    const previous = study.paramDistribution.get(name);
    if (previous !== undefined) checkDistributionCompatibility(previous, distribution, name);
    study.paramDistribution.set(name, distribution);
  }
}

/** A random id for unnamed studies, like Optuna's `no-name-<uuid4>`. */
export function cryptoRandomId(): string {
  return globalThis.crypto.randomUUID();
}
