/**
 * The model registry on the FileStore (`mlruns/models/`), in MLflow 2.17's layout:
 * `models/<name>/meta.yaml`, `tags/<key>`, `aliases/<alias>` (content: the version
 * number), `version-<n>/meta.yaml`, `version-<n>/tags/<key>`. Port of
 * `mlflow/store/model_registry/file_store.py`: a deleted version stays on disk with the
 * internal stage `Deleted_Internal`, so version numbers are never reused.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import { MlflowError } from "../errors";
import type {
  ModelVersion,
  ModelVersionStage,
  ModelVersionTag,
  PagedList,
  RegisteredModel,
  RegisteredModelAlias,
  RegisteredModelTag,
} from "../entities";
import { dumpYaml, loadYaml, type YamlValue } from "../yaml";
import { parseModelVersion, validateAlias, validateKey, validateModelName, validateRegistryTag } from "../validation";
import { compareValue, MODEL_ATTRIBUTES, modelVersionValue, paginate, parseFilter, parseOrderBy, registeredModelValue, validateMaxResults, VERSION_ATTRIBUTES } from "../search";
import { hasErrorCode, readTextIfExists, writeFileAtomic } from "./atomicFiles";
import { META_DATA_FILE_NAME, MODELS_FOLDER_NAME, TAGS_FOLDER_NAME, localPathOfUri } from "./fileLayout";
import type { CreateModelVersionRequest, RegistryStore, SearchRegistryOptions } from "./registryStore";
import { makeDirs } from "../../util/makeDirs";

type YamlMap = { [key: string]: YamlValue };

/** The stage MLflow's file store gives a deleted version. */
const STAGE_DELETED_INTERNAL = "Deleted_Internal";
const ALIASES_FOLDER_NAME = "aliases";
const ALL_STAGES: readonly ModelVersionStage[] = ["None", "Staging", "Production", "Archived"];

/** Canonical stage name for `stage` (case-insensitive), or INVALID_PARAMETER_VALUE. */
export function canonicalStage(stage: string): ModelVersionStage {
  const found = ALL_STAGES.find((s) => s.toLowerCase() === String(stage).toLowerCase());
  if (found === undefined) {
    throw MlflowError.invalidParameterValue(`Invalid Model Version stage: ${stage}. Value must be one of ${ALL_STAGES.join(", ")}.`);
  }
  return found;
}


function str(value: YamlValue | undefined): string | null {
  return value === null || value === undefined ? null : String(value);
}

/** The registry half of MLflow's FileStore, over the same root as a {@link FileStore}. */
export class FileRegistryStore implements RegistryStore {
  /** `<root>/models`. */
  readonly modelsDir: string;

  constructor(rootUri = "./mlruns") {
    this.modelsDir = join(localPathOfUri(rootUri), MODELS_FOLDER_NAME);
  }

  private modelDir(name: string): string {
    validateModelName(name);
    return join(this.modelsDir, name);
  }

  private requireModelDir(name: string): string {
    const dir = this.modelDir(name);
    if (!existsSync(join(dir, META_DATA_FILE_NAME))) throw MlflowError.notFound(`Registered Model with name=${name} not found`);
    return dir;
  }

  private readYaml(path: string): YamlMap {
    const text = readTextIfExists(path);
    if (text === null) throw MlflowError.notFound(`Metadata file ${path} does not exist.`);
    const v = loadYaml(text);
    if (v === null || typeof v !== "object" || Array.isArray(v)) throw new MlflowError(`${path} is not a YAML mapping.`, "INTERNAL_ERROR");
    return v;
  }

  private readKeyValues(dir: string): Array<{ key: string; value: string }> {
    let names: string[];
    try {
      names = readdirSync(dir).filter((n) => !n.startsWith(".tmp-")).sort();
    } catch (err) {
      if (hasErrorCode(err, "ENOENT")) return [];
      throw err;
    }
    return names.map((key) => ({ key, value: readTextIfExists(join(dir, key)) ?? "" }));
  }

  private readAliases(modelDir: string): RegisteredModelAlias[] {
    return this.readKeyValues(join(modelDir, ALIASES_FOLDER_NAME)).map((a) => ({ alias: a.key, version: a.value.trim() }));
  }

  private versionNumbers(modelDir: string): number[] {
    let names: string[];
    try {
      names = readdirSync(modelDir);
    } catch (err) {
      if (hasErrorCode(err, "ENOENT")) return [];
      throw err;
    }
    return names
      .map((n) => /^version-(\d+)$/.exec(n))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => Number(m[1]))
      .sort((a, b) => a - b);
  }

  private readVersion(modelDir: string, version: number, aliases: readonly RegisteredModelAlias[]): ModelVersion & { deleted: boolean } {
    const dir = join(modelDir, `version-${version}`);
    const meta = this.readYaml(join(dir, META_DATA_FILE_NAME));
    const stage = String(meta.current_stage ?? "None");
    return {
      name: String(meta.name),
      version: String(meta.version ?? version),
      creationTimestamp: Number(meta.creation_timestamp),
      lastUpdatedTimestamp: Number(meta.last_updated_timestamp),
      userId: str(meta.user_id),
      currentStage: (stage === STAGE_DELETED_INTERNAL ? "None" : stage) as ModelVersionStage,
      description: str(meta.description),
      source: String(meta.source ?? ""),
      runId: str(meta.run_id),
      runLink: str(meta.run_link),
      status: (str(meta.status) ?? "READY") as ModelVersion["status"],
      statusMessage: str(meta.status_message),
      tags: this.readKeyValues(join(dir, TAGS_FOLDER_NAME)),
      aliases: aliases.filter((a) => a.version === String(version)).map((a) => a.alias),
      modelId: str(meta.model_id),
      deleted: stage === STAGE_DELETED_INTERNAL,
    };
  }

  private liveVersions(modelDir: string): ModelVersion[] {
    const aliases = this.readAliases(modelDir);
    return this.versionNumbers(modelDir)
      .map((v) => this.readVersion(modelDir, v, aliases))
      .filter((v) => !v.deleted)
      .map(({ deleted: _deleted, ...v }) => v);
  }

  /** The stored `storage_location` of a version (MLflow 3 keeps a logged model's location there), else null. */
  private storageLocationOf(modelDir: string, version: string): string | null {
    const text = readTextIfExists(join(modelDir, `version-${version}`, META_DATA_FILE_NAME));
    const meta = text === null ? null : (loadYaml(text) as YamlMap | null);
    return meta === null ? null : str(meta.storage_location);
  }

  private writeVersionMeta(modelDir: string, v: ModelVersion, stage: string = v.currentStage, storageLocation?: string): void {
    const dir = join(modelDir, `version-${v.version}`);
    const location = storageLocation ?? this.storageLocationOf(modelDir, v.version) ?? v.source;
    const meta: YamlMap = {
      aliases: [...v.aliases],
      creation_timestamp: v.creationTimestamp,
      current_stage: stage,
      description: v.description,
      last_updated_timestamp: v.lastUpdatedTimestamp,
      name: v.name,
      run_id: v.runId,
      run_link: v.runLink,
      source: v.source,
      status: v.status,
      status_message: v.statusMessage,
      storage_location: location,
      user_id: v.userId,
      version: Number(v.version),
    };
    if (v.modelId !== null) meta.model_id = v.modelId;
    writeFileAtomic(join(dir, META_DATA_FILE_NAME), dumpYaml(meta), dir);
  }

  private latestVersions(versions: readonly ModelVersion[], stages: readonly string[]): ModelVersion[] {
    const out: ModelVersion[] = [];
    for (const stage of stages) {
      const inStage = versions.filter((v) => v.currentStage === stage);
      if (inStage.length > 0) out.push(inStage.reduce((a, b) => (Number(b.version) > Number(a.version) ? b : a)));
    }
    return out;
  }

  private readModel(name: string): RegisteredModel {
    const dir = this.requireModelDir(name);
    const meta = this.readYaml(join(dir, META_DATA_FILE_NAME));
    return {
      name: String(meta.name),
      creationTimestamp: Number(meta.creation_timestamp),
      lastUpdatedTimestamp: Number(meta.last_updated_timestamp),
      description: str(meta.description),
      latestVersions: this.latestVersions(this.liveVersions(dir), ALL_STAGES),
      tags: this.readKeyValues(join(dir, TAGS_FOLDER_NAME)),
      aliases: this.readAliases(dir),
    };
  }

  private writeModelMeta(dir: string, m: { name: string; creationTimestamp: number; lastUpdatedTimestamp: number; description: string | null }): void {
    const aliases: YamlMap = {};
    for (const a of this.readAliases(dir)) aliases[a.alias] = a.version;
    writeFileAtomic(
      join(dir, META_DATA_FILE_NAME),
      dumpYaml({
        aliases,
        creation_timestamp: m.creationTimestamp,
        description: m.description,
        last_updated_timestamp: m.lastUpdatedTimestamp,
        name: m.name,
      }),
      dir,
    );
  }

  private touchModel(name: string, change: { description?: string | null } = {}): RegisteredModel {
    const model = this.readModel(name);
    const updated = {
      ...model,
      lastUpdatedTimestamp: Date.now(),
      description: change.description === undefined ? model.description : change.description,
    };
    this.writeModelMeta(this.modelDir(name), updated);
    return this.readModel(name);
  }

  async createRegisteredModel(name: string, tags: readonly RegisteredModelTag[] = [], description: string | null = null): Promise<RegisteredModel> {
    const dir = this.modelDir(name);
    makeDirs(this.modelsDir);
    try {
      mkdirSync(dir);
    } catch (err) {
      if (hasErrorCode(err, "EEXIST")) throw MlflowError.alreadyExists(`Registered Model (name=${name}) already exists.`);
      throw err;
    }
    for (const t of tags) {
      validateRegistryTag(t);
      writeFileAtomic(join(dir, TAGS_FOLDER_NAME, t.key), t.value, dir);
    }
    const now = Date.now();
    this.writeModelMeta(dir, { name, creationTimestamp: now, lastUpdatedTimestamp: now, description });
    return this.readModel(name);
  }

  async getRegisteredModel(name: string): Promise<RegisteredModel> {
    return this.readModel(name);
  }

  async renameRegisteredModel(name: string, newName: string): Promise<RegisteredModel> {
    const dir = this.requireModelDir(name);
    const newDir = this.modelDir(newName);
    if (existsSync(newDir)) throw MlflowError.alreadyExists(`Registered Model (name=${newName}) already exists.`);
    const model = this.readModel(name);
    renameSync(dir, newDir);
    const now = Date.now();
    this.writeModelMeta(newDir, { ...model, name: newName, lastUpdatedTimestamp: now });
    const aliases = this.readAliases(newDir);
    for (const v of this.versionNumbers(newDir)) {
      const version = this.readVersion(newDir, v, aliases);
      const { deleted, ...rest } = version;
      this.writeVersionMeta(newDir, { ...rest, name: newName, lastUpdatedTimestamp: now }, deleted ? STAGE_DELETED_INTERNAL : rest.currentStage);
    }
    return this.readModel(newName);
  }

  async updateRegisteredModel(name: string, description: string | null): Promise<RegisteredModel> {
    return this.touchModel(name, { description });
  }

  async deleteRegisteredModel(name: string): Promise<void> {
    rmSync(this.requireModelDir(name), { recursive: true, force: true });
  }

  async searchRegisteredModels(options: SearchRegistryOptions = {}): Promise<PagedList<RegisteredModel>> {
    const maxResults = options.maxResults ?? 100;
    validateMaxResults(maxResults, 1000);
    const clauses = parseFilter(options.filterString, MODEL_ATTRIBUTES);
    let names: string[] = [];
    try {
      names = readdirSync(this.modelsDir).filter((n) => existsSync(join(this.modelsDir, n, META_DATA_FILE_NAME)));
    } catch (err) {
      if (!hasErrorCode(err, "ENOENT")) throw err;
    }
    const value = registeredModelValue;
    let models = names.map((n) => this.readModel(n)).filter((m) => clauses.every((c) => compareValue(value(m, c.type, c.key), c)));
    models.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const text of [...(options.orderBy ?? [])].reverse()) {
      const o = parseOrderBy(text, MODEL_ATTRIBUTES);
      models = models
        .map((m) => ({ m, v: value(m, o.type, o.key) ?? "" }))
        .sort((a, b) => (a.v < b.v ? -1 : a.v > b.v ? 1 : 0) * (o.ascending ? 1 : -1))
        .map((x) => x.m);
    }
    return paginate(models, options.pageToken, maxResults);
  }

  async getLatestVersions(name: string, stages?: readonly string[]): Promise<ModelVersion[]> {
    const dir = this.requireModelDir(name);
    const wanted = stages === undefined || stages.length === 0 ? ALL_STAGES : stages.map(canonicalStage);
    return this.latestVersions(this.liveVersions(dir), wanted);
  }

  async setRegisteredModelTag(name: string, tag: RegisteredModelTag): Promise<void> {
    validateRegistryTag(tag);
    const dir = this.requireModelDir(name);
    writeFileAtomic(join(dir, TAGS_FOLDER_NAME, tag.key), tag.value, dir);
  }

  async deleteRegisteredModelTag(name: string, key: string): Promise<void> {
    validateKey("tag", key);
    const dir = this.requireModelDir(name);
    try {
      unlinkSync(join(dir, TAGS_FOLDER_NAME, key));
    } catch (err) {
      if (!hasErrorCode(err, "ENOENT")) throw err;
    }
  }

  async createModelVersion(request: CreateModelVersionRequest): Promise<ModelVersion> {
    const dir = this.requireModelDir(request.name);
    for (const t of request.tags ?? []) validateRegistryTag(t, "Model version");
    let version = (this.versionNumbers(dir).at(-1) ?? 0) + 1;
    // mkdir is atomic: concurrent creators race for the number and the loser takes the next one.
    for (;;) {
      try {
        mkdirSync(join(dir, `version-${version}`));
        break;
      } catch (err) {
        if (!hasErrorCode(err, "EEXIST")) throw err;
        version += 1;
      }
    }
    const now = Date.now();
    const v: ModelVersion = {
      name: request.name,
      version: String(version),
      creationTimestamp: now,
      lastUpdatedTimestamp: now,
      userId: null,
      currentStage: "None",
      description: request.description ?? null,
      source: request.source,
      runId: request.runId ?? null,
      runLink: request.runLink ?? null,
      status: "READY",
      statusMessage: null,
      tags: [],
      aliases: [],
      modelId: request.modelId ?? null,
    };
    const versionDir = join(dir, `version-${version}`);
    for (const t of request.tags ?? []) writeFileAtomic(join(versionDir, TAGS_FOLDER_NAME, t.key), t.value, versionDir);
    this.writeVersionMeta(dir, v, v.currentStage, request.storageLocation ?? request.source);
    this.touchModel(request.name);
    return this.getModelVersion(request.name, String(version));
  }

  private requireVersion(name: string, version: string): { dir: string; v: ModelVersion } {
    const dir = this.requireModelDir(name);
    const n = parseModelVersion(version);
    if (!existsSync(join(dir, `version-${n}`, META_DATA_FILE_NAME))) {
      throw MlflowError.notFound(`Model Version (name=${name}, version=${n}) not found`);
    }
    const { deleted, ...v } = this.readVersion(dir, n, this.readAliases(dir));
    if (deleted) throw MlflowError.notFound(`Model Version (name=${name}, version=${n}) not found`);
    return { dir, v };
  }

  async getModelVersion(name: string, version: string): Promise<ModelVersion> {
    return this.requireVersion(name, String(version)).v;
  }

  async updateModelVersion(name: string, version: string, description: string | null): Promise<ModelVersion> {
    const { dir, v } = this.requireVersion(name, String(version));
    this.writeVersionMeta(dir, { ...v, description, lastUpdatedTimestamp: Date.now() });
    return this.getModelVersion(name, version);
  }

  async deleteModelVersion(name: string, version: string): Promise<void> {
    const { dir, v } = this.requireVersion(name, String(version));
    for (const a of this.readAliases(dir)) {
      if (a.version === v.version) unlinkSync(join(dir, ALIASES_FOLDER_NAME, a.alias));
    }
    this.writeVersionMeta(dir, { ...v, aliases: [], lastUpdatedTimestamp: Date.now() }, STAGE_DELETED_INTERNAL);
    this.touchModel(name);
  }

  async transitionModelVersionStage(
    name: string,
    version: string,
    stage: ModelVersionStage | string,
    archiveExistingVersions: boolean,
  ): Promise<ModelVersion> {
    const target = canonicalStage(stage);
    if (archiveExistingVersions && target !== "Staging" && target !== "Production") {
      throw MlflowError.invalidParameterValue(
        `Model version transition cannot archive existing model versions because '${target}' is not an Active stage. Valid stages are Staging, Production.`,
      );
    }
    const { dir, v } = this.requireVersion(name, String(version));
    const now = Date.now();
    if (archiveExistingVersions) {
      for (const other of this.liveVersions(dir)) {
        if (other.version !== v.version && other.currentStage === target) {
          this.writeVersionMeta(dir, { ...other, currentStage: "Archived", lastUpdatedTimestamp: now });
        }
      }
    }
    this.writeVersionMeta(dir, { ...v, currentStage: target, lastUpdatedTimestamp: now });
    this.touchModel(name);
    return this.getModelVersion(name, version);
  }

  async searchModelVersions(options: SearchRegistryOptions = {}): Promise<PagedList<ModelVersion>> {
    const maxResults = options.maxResults ?? 10_000;
    validateMaxResults(maxResults, 200_000);
    const clauses = parseFilter(options.filterString, VERSION_ATTRIBUTES);
    let names: string[] = [];
    try {
      names = readdirSync(this.modelsDir).filter((n) => existsSync(join(this.modelsDir, n, META_DATA_FILE_NAME)));
    } catch (err) {
      if (!hasErrorCode(err, "ENOENT")) throw err;
    }
    const value = modelVersionValue;
    let versions = names
      .flatMap((n) => this.liveVersions(join(this.modelsDir, n)))
      .filter((v) => clauses.every((c) => compareValue(value(v, c.type, c.key), c)));
    versions.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : Number(b.version) - Number(a.version)));
    for (const text of [...(options.orderBy ?? [])].reverse()) {
      const o = parseOrderBy(text, VERSION_ATTRIBUTES);
      versions = versions
        .map((v) => ({ v, k: value(v, o.type, o.key) ?? "" }))
        .sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0) * (o.ascending ? 1 : -1))
        .map((x) => x.v);
    }
    return paginate(versions, options.pageToken, maxResults);
  }

  async setModelVersionTag(name: string, version: string, tag: ModelVersionTag): Promise<void> {
    validateRegistryTag(tag, "Model version");
    const { dir, v } = this.requireVersion(name, String(version));
    const versionDir = join(dir, `version-${v.version}`);
    writeFileAtomic(join(versionDir, TAGS_FOLDER_NAME, tag.key), tag.value, versionDir);
  }

  async deleteModelVersionTag(name: string, version: string, key: string): Promise<void> {
    validateKey("tag", key);
    const { dir, v } = this.requireVersion(name, String(version));
    try {
      unlinkSync(join(dir, `version-${v.version}`, TAGS_FOLDER_NAME, key));
    } catch (err) {
      if (!hasErrorCode(err, "ENOENT")) throw err;
    }
  }

  private rewriteVersionAliases(dir: string): void {
    const aliases = this.readAliases(dir);
    for (const n of this.versionNumbers(dir)) {
      const { deleted, ...v } = this.readVersion(dir, n, aliases);
      if (!deleted) this.writeVersionMeta(dir, v);
    }
  }

  async setRegisteredModelAlias(name: string, alias: string, version: string): Promise<void> {
    validateAlias(alias);
    const { dir, v } = this.requireVersion(name, String(version));
    writeFileAtomic(join(dir, ALIASES_FOLDER_NAME, alias), v.version, dir);
    this.rewriteVersionAliases(dir);
    this.touchModel(name);
  }

  async deleteRegisteredModelAlias(name: string, alias: string): Promise<void> {
    validateAlias(alias);
    const dir = this.requireModelDir(name);
    try {
      unlinkSync(join(dir, ALIASES_FOLDER_NAME, alias));
    } catch (err) {
      if (!hasErrorCode(err, "ENOENT")) throw err;
    }
    this.rewriteVersionAliases(dir);
    this.touchModel(name);
  }

  async getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion> {
    const dir = this.requireModelDir(name);
    const found = this.readAliases(dir).find((a) => a.alias === alias);
    if (found === undefined) throw MlflowError.invalidParameterValue(`Registered model alias ${alias} not found.`);
    return this.getModelVersion(name, found.version);
  }

  async getModelVersionDownloadUri(name: string, version: string): Promise<string> {
    const v = await this.getModelVersion(name, version);
    return this.storageLocationOf(this.modelDir(name), v.version) ?? v.source;
  }
}
