/**
 * MLflow's REST API 2.0 handlers (`mlflow/server/handlers.py`): one entry per endpoint,
 * each reading its parameters as MLflow does and answering MLflow's JSON. Every entry
 * also says whether it reads or writes and which experiment it touches, for auth.
 */
import type { Metric, ModelVersionStage, RunStatus, ViewType } from "../tracking/entities";
import { MlflowError } from "../tracking/errors";
import { paginate, validateMaxResults } from "../tracking/search";
import type { Experiment, PagedList } from "../tracking/entities";
import type { SearchExperimentsOptions } from "../tracking/store/trackingStore";
import { createLinkedModelVersion } from "../tracking/modelVersionLink";
import { modelIdOfUri } from "../tracking/loggedModelRules";
import {
  datasetInputFromJson,
  experimentToJson,
  fileInfoToJson,
  metricToJson,
  modelVersionToJson,
  registeredModelToJson,
  runInfoToJson,
  runToJson,
  type JsonObject,
} from "../tracking-rest/wire";
import { checkJsonDepth, keyValues, optBool, optEnum, optInt, optObjectList, optString, optStringList, reqDouble, reqInt, reqString, type Params } from "./requestParams";
import type { ArtifactStorage } from "./artifactStorage";
import type { Access, Endpoint, HandlerContext, PathParams } from "./endpointContract";
import { safeSegments } from "./artifactStore";
import { acceptArtifactLocation } from "./artifactLocation";
import { allExperiments } from "./allExperiments";
import { requireReadableModels, requireReadableRun } from "./linkedAccess";
import { HttpError } from "./httpUtil";

const VIEW_TYPES: readonly ViewType[] = ["ACTIVE_ONLY", "DELETED_ONLY", "ALL"];
const RUN_STATUSES: readonly RunStatus[] = ["RUNNING", "SCHEDULED", "FINISHED", "FAILED", "KILLED"];

const none = async (): Promise<string | null> => null;
const byExperiment = async (p: Params): Promise<string | null> => optString(p, "experiment_id") ?? null;
const byRun = async (p: Params, ctx: HandlerContext): Promise<string | null> => {
  const runId = optString(p, "run_id") ?? optString(p, "run_uuid");
  if (runId === undefined) return null;
  try {
    return (await ctx.tracking.getRun(runId)).info.experimentId;
  } catch (err) {
    // No such run: checked against "*" (nothing of any experiment is at stake), then the
    // handler answers as MLflow does (404, or an empty history for metrics/get-history).
    if (err instanceof MlflowError && err.errorCode === "RESOURCE_DOES_NOT_EXIST") return null;
    throw err;
  }
};

function runIdOf(p: Params): string {
  const id = optString(p, "run_id") ?? optString(p, "run_uuid");
  if (id === undefined || id === "") return reqString(p, "run_id");
  return id;
}

function withPage(fields: JsonObject, token: string | null): JsonObject {
  return token === null ? fields : { ...fields, next_page_token: token };
}

function metricOf(p: Params): Metric {
  const metric: Metric = {
    key: reqString(p, "key"),
    value: reqDouble(p, "value"),
    timestamp: reqInt(p, "timestamp"),
    step: optInt(p, "step") ?? 0,
  };
  // MLflow 3: a metric may name the logged model it belongs to and the dataset it was computed on.
  const modelId = optString(p, "model_id") || null;
  const datasetName = optString(p, "dataset_name") || null;
  const datasetDigest = optString(p, "dataset_digest") || null;
  return modelId === null && datasetName === null && datasetDigest === null ? metric : { ...metric, modelId, datasetName, datasetDigest };
}

/** The local artifact repository behind a run's artifact URI on this server. */
function repositoryOf(artifactUri: string, ctx: HandlerContext): { list(path: string): Promise<JsonObject[]> } {
  const m = /^mlflow-artifacts:(?:\/\/[^/]*)?\/?(.*)$/.exec(artifactUri);
  if (m !== null) {
    const artifacts = ctx.artifacts;
    if (artifacts === null) throw MlflowError.invalidParameterValue("This server does not serve artifacts (start it with --artifacts-destination).");
    const base = safeSegments(m[1] as string);
    return {
      list: async (path) => {
        const rel = safeSegments(path);
        return (await artifacts.list([...base, ...rel])).map((f) => fileInfoToJson({ ...f, path: f.path.split("/").slice(base.length).join("/") }));
      },
    };
  }
  const { storage: direct, segments: base } = directArtifactOf(artifactUri, ctx);
  return {
    list: async (path) => {
      const rel = safeSegments(path);
      return (await direct.list([...base, ...rel])).map((f) => fileInfoToJson({ ...f, path: f.path.split("/").slice(base.length).join("/") }));
    },
  };
}

/**
 * The segments under the server's direct artifact root of a `file:` (or, for an S3 root,
 * `s3://`) artifact URI. Anything else (another scheme, or a location outside the root,
 * such as an experiment created with `artifact_location: file:///`) is refused: the server
 * never reads arbitrary local paths or buckets.
 */
export function directSegmentsOf(artifactUri: string, ctx: HandlerContext): string[] {
  // URI parsing drops `?...` and `#...`: `file://.../run/artifacts#` would name that run's folder.
  const segments = /[?#]/.test(artifactUri) ? null : (ctx.directArtifacts?.segmentsOfUri(artifactUri) ?? null);
  if (segments === null) {
    throw MlflowError.invalidParameterValue(`This server does not read artifacts at '${artifactUri}': only mlflow-artifacts: URIs and paths under its artifact root are served.`);
  }
  return segments;
}

/**
 * One page of the experiments a restricted user may read: every match is read from the
 * store, the unreadable ones dropped, and only then paged, so pages are full and page
 * tokens reveal nothing about the others.
 */
async function readableExperiments(query: SearchExperimentsOptions, ctx: HandlerContext): Promise<PagedList<Experiment>> {
  validateMaxResults(query.maxResults ?? 1000, 50_000);
  const all = await allExperiments(ctx.tracking, query);
  return paginate(all.filter((e) => ctx.canRead(e.experimentId)), query.pageToken, query.maxResults ?? 1000);
}

/**
 * The storage and segments of a direct (not proxied) artifact URI: under the server's direct
 * artifact root (a folder or an S3 prefix), or else under a FileStore backend's own folder
 * (where runs logged straight to `mlruns/` keep their artifacts), so a file store's
 * artifacts are served without flags. Anything else is refused as {@link directSegmentsOf} does.
 */
export function directArtifactOf(artifactUri: string, ctx: HandlerContext): { storage: ArtifactStorage; segments: string[] } {
  const own = ctx.storeArtifacts ?? null;
  const inRoot = ctx.directArtifacts?.segmentsOfUri(artifactUri) ?? null;
  // As in directSegmentsOf, `?` and `#` are refused: URI parsing drops them, so they could name another run's folder.
  const inStore = own === null || inRoot !== null || /[?#]/.test(artifactUri) ? null : own.segmentsOfUri(artifactUri);
  if (own !== null && inStore !== null) return { storage: own, segments: inStore };
  return { storage: ctx.directArtifacts as ArtifactStorage, segments: directSegmentsOf(artifactUri, ctx) };
}

const E = (
  method: Endpoint["method"],
  path: string,
  access: Access,
  scope: Endpoint["scope"],
  handle: Endpoint["handle"],
): Endpoint => ({ method, path, access, scope, handle });

/** Every endpoint of MLflow's tracking and registry API served here. */
export const ENDPOINTS: readonly Endpoint[] = [
  // ---------------------------------------------------------------- experiments
  E("POST", "experiments/create", "write", none, async (p, ctx) => {
    const name = reqString(p, "name");
    const requested = optString(p, "artifact_location") || undefined;
    const location = requested === undefined ? undefined : await acceptArtifactLocation(requested, ctx);
    const id = await ctx.tracking.createExperiment(name, location, keyValues(p, "tags"));
    return { experiment_id: id };
  }),
  E("GET", "experiments/get", "read", byExperiment, async (p, ctx) => {
    const e = await ctx.tracking.getExperiment(reqString(p, "experiment_id"));
    return { experiment: experimentToJson(e) };
  }),
  E("GET", "experiments/get-by-name", "read", async (p, ctx) => (await ctx.tracking.getExperimentByName(reqString(p, "experiment_name")))?.experimentId ?? null, async (p, ctx) => {
    const name = reqString(p, "experiment_name");
    const e = await ctx.tracking.getExperimentByName(name);
    if (e === null) throw MlflowError.notFound(`Could not find experiment with name '${name}'`);
    return { experiment: experimentToJson(e) };
  }),
  ...(["POST", "GET"] as const).map((method) =>
    // Anyone authenticated may search; the answer only holds the experiments they can read.
    E(method, "experiments/search", "read", async () => [], async (p, ctx) => {
      const query = {
        maxResults: optInt(p, "max_results") ?? 1000,
        pageToken: optString(p, "page_token") ?? null,
        filterString: optString(p, "filter"),
        orderBy: optStringList(p, "order_by") ?? [],
        viewType: optEnum(p, "view_type", VIEW_TYPES) ?? "ACTIVE_ONLY",
      };
      const page = ctx.restricted ? await readableExperiments(query, ctx) : await ctx.tracking.searchExperiments(query);
      return withPage(page.items.length === 0 ? {} : { experiments: page.items.map(experimentToJson) }, page.nextPageToken);
    }),
  ),
  E("POST", "experiments/delete", "write", byExperiment, async (p, ctx) => {
    await ctx.tracking.deleteExperiment(reqString(p, "experiment_id"));
    return {};
  }),
  E("POST", "experiments/restore", "write", byExperiment, async (p, ctx) => {
    await ctx.tracking.restoreExperiment(reqString(p, "experiment_id"));
    return {};
  }),
  E("POST", "experiments/update", "write", byExperiment, async (p, ctx) => {
    const id = reqString(p, "experiment_id");
    const newName = optString(p, "new_name");
    if (newName !== undefined && newName !== "") await ctx.tracking.renameExperiment(id, newName);
    return {};
  }),
  E("POST", "experiments/set-experiment-tag", "write", byExperiment, async (p, ctx) => {
    await ctx.tracking.setExperimentTag(reqString(p, "experiment_id"), { key: reqString(p, "key"), value: optString(p, "value") ?? "" });
    return {};
  }),
  // ---------------------------------------------------------------- runs
  E("POST", "runs/create", "write", async (p) => optString(p, "experiment_id") ?? "0", async (p, ctx) => {
    const run = await ctx.tracking.createRun({
      experimentId: optString(p, "experiment_id") ?? "0",
      userId: ctx.user ?? optString(p, "user_id") ?? "",
      startTime: optInt(p, "start_time") ?? Date.now(),
      tags: keyValues(p, "tags"),
      runName: optString(p, "run_name") || undefined,
    });
    return { run: runToJson(run) };
  }),
  E("POST", "runs/update", "write", byRun, async (p, ctx) => {
    const info = await ctx.tracking.updateRunInfo(runIdOf(p), {
      status: optEnum(p, "status", RUN_STATUSES),
      endTime: optInt(p, "end_time"),
      runName: optString(p, "run_name") || undefined,
    });
    return { run_info: runInfoToJson(info) };
  }),
  E("POST", "runs/delete", "write", byRun, async (p, ctx) => {
    await ctx.tracking.deleteRun(reqString(p, "run_id"));
    return {};
  }),
  E("POST", "runs/restore", "write", byRun, async (p, ctx) => {
    await ctx.tracking.restoreRun(reqString(p, "run_id"));
    return {};
  }),
  E("POST", "runs/log-metric", "write", byRun, async (p, ctx) => {
    await ctx.tracking.logBatch(runIdOf(p), { metrics: [metricOf(p)] });
    return {};
  }),
  E("POST", "runs/log-parameter", "write", byRun, async (p, ctx) => {
    await ctx.tracking.logBatch(runIdOf(p), { params: [{ key: reqString(p, "key"), value: optString(p, "value") ?? "" }] });
    return {};
  }),
  E("POST", "runs/set-tag", "write", byRun, async (p, ctx) => {
    await ctx.tracking.logBatch(runIdOf(p), { tags: [{ key: reqString(p, "key"), value: optString(p, "value") ?? "" }] });
    return {};
  }),
  E("POST", "runs/delete-tag", "write", byRun, async (p, ctx) => {
    await ctx.tracking.deleteTag(reqString(p, "run_id"), reqString(p, "key"));
    return {};
  }),
  E("GET", "runs/get", "read", byRun, async (p, ctx) => ({ run: runToJson(await ctx.tracking.getRun(runIdOf(p))) })),
  E("POST", "runs/log-batch", "write", byRun, async (p, ctx) => {
    const runId = reqString(p, "run_id");
    const metrics = optObjectList(p, "metrics").map((m) => metricOf(m));
    const params = keyValues(p, "params");
    const tags = keyValues(p, "tags");
    await ctx.tracking.logBatch(runId, { metrics, params, tags });
    return {};
  }),
  E("POST", "runs/log-model", "write", byRun, async (p, ctx) => {
    const runId = reqString(p, "run_id");
    const modelJson = reqString(p, "model_json");
    let model: unknown;
    try {
      model = JSON.parse(modelJson);
    } catch {
      throw MlflowError.invalidParameterValue(`Malformed model info. \n ${modelJson} \n is not a valid JSON.`);
    }
    if (model === null || typeof model !== "object" || Array.isArray(model)) throw MlflowError.invalidParameterValue(`Malformed model info. \n ${modelJson} \n is not a JSON object.`);
    checkJsonDepth(model, "model_json");
    await ctx.tracking.recordLoggedModel(runId, model as Record<string, unknown>);
    return {};
  }),
  E("POST", "runs/log-inputs", "write", byRun, async (p, ctx) => {
    const datasets = optObjectList(p, "datasets").map((d) => datasetInputFromJson(d));
    const models = optObjectList(p, "models").map((m) => ({ modelId: reqString(m, "model_id") }));
    await requireReadableModels(ctx, models.map((m) => m.modelId), "record it as a run's input");
    await ctx.tracking.logInputs(reqString(p, "run_id"), datasets, models);
    return {};
  }),
  E("POST", "runs/search", "read", async (p) => optStringList(p, "experiment_ids") ?? [], async (p, ctx) => {
    const page = await ctx.tracking.searchRuns({
      experimentIds: optStringList(p, "experiment_ids") ?? [],
      filterString: optString(p, "filter"),
      runViewType: optEnum(p, "run_view_type", VIEW_TYPES) ?? "ACTIVE_ONLY",
      maxResults: optInt(p, "max_results") ?? 1000,
      orderBy: optStringList(p, "order_by") ?? [],
      pageToken: optString(p, "page_token") ?? null,
    });
    // MLflow answers `{}` when nothing matches.
    return withPage(page.items.length === 0 ? {} : { runs: page.items.map(runToJson) }, page.nextPageToken);
  }),
  E("GET", "metrics/get-history", "read", byRun, async (p, ctx) => {
    const history = await ctx.tracking.getMetricHistory(runIdOf(p), reqString(p, "metric_key"));
    const maxResults = optInt(p, "max_results");
    if (maxResults === undefined) return history.length === 0 ? {} : { metrics: history.map(metricToJson) };
    const page = paginate(history, optString(p, "page_token") ?? null, maxResults);
    return withPage(page.items.length === 0 ? {} : { metrics: page.items.map(metricToJson) }, page.nextPageToken);
  }),
  E("GET", "artifacts/list", "read", byRun, async (p, ctx) => {
    const run = await ctx.tracking.getRun(runIdOf(p));
    const path = optString(p, "path") ?? "";
    const files = await repositoryOf(run.info.artifactUri, ctx).list(path);
    const out: JsonObject = { root_uri: run.info.artifactUri };
    if (files.length > 0) out.files = files;
    return out;
  }),
  // ---------------------------------------------------------------- registry: models
  E("POST", "registered-models/create", "write", none, async (p, ctx) => {
    const m = await ctx.registry.createRegisteredModel(reqString(p, "name"), keyValues(p, "tags"), optString(p, "description") ?? null);
    return { registered_model: registeredModelToJson(m) };
  }),
  E("GET", "registered-models/get", "read", none, async (p, ctx) => ({ registered_model: registeredModelToJson(await ctx.registry.getRegisteredModel(reqString(p, "name"))) })),
  E("POST", "registered-models/rename", "write", none, async (p, ctx) => ({
    registered_model: registeredModelToJson(await ctx.registry.renameRegisteredModel(reqString(p, "name"), reqString(p, "new_name"))),
  })),
  E("PATCH", "registered-models/update", "write", none, async (p, ctx) => ({
    registered_model: registeredModelToJson(await ctx.registry.updateRegisteredModel(reqString(p, "name"), optString(p, "description") ?? null)),
  })),
  E("DELETE", "registered-models/delete", "write", none, async (p, ctx) => {
    await ctx.registry.deleteRegisteredModel(reqString(p, "name"));
    return {};
  }),
  E("GET", "registered-models/search", "read", none, async (p, ctx) => {
    const page = await ctx.registry.searchRegisteredModels({
      filterString: optString(p, "filter"),
      maxResults: optInt(p, "max_results") ?? 100,
      orderBy: optStringList(p, "order_by") ?? [],
      pageToken: optString(p, "page_token") ?? null,
    });
    return withPage(page.items.length === 0 ? {} : { registered_models: page.items.map(registeredModelToJson) }, page.nextPageToken);
  }),
  ...(["POST", "GET"] as const).map((method) =>
    E(method, "registered-models/get-latest-versions", "read", none, async (p, ctx) => {
      const versions = await ctx.registry.getLatestVersions(reqString(p, "name"), optStringList(p, "stages"));
      const out: JsonObject = {};
      if (versions.length > 0) out.model_versions = versions.map(modelVersionToJson);
      return out;
    }),
  ),
  E("POST", "registered-models/set-tag", "write", none, async (p, ctx) => {
    await ctx.registry.setRegisteredModelTag(reqString(p, "name"), { key: reqString(p, "key"), value: optString(p, "value") ?? "" });
    return {};
  }),
  E("DELETE", "registered-models/delete-tag", "write", none, async (p, ctx) => {
    await ctx.registry.deleteRegisteredModelTag(reqString(p, "name"), reqString(p, "key"));
    return {};
  }),
  E("POST", "registered-models/alias", "write", none, async (p, ctx) => {
    await ctx.registry.setRegisteredModelAlias(reqString(p, "name"), reqString(p, "alias"), reqString(p, "version"));
    return {};
  }),
  E("DELETE", "registered-models/alias", "write", none, async (p, ctx) => {
    await ctx.registry.deleteRegisteredModelAlias(reqString(p, "name"), reqString(p, "alias"));
    return {};
  }),
  E("GET", "registered-models/alias", "read", none, async (p, ctx) => ({
    model_version: modelVersionToJson(await ctx.registry.getModelVersionByAlias(reqString(p, "name"), reqString(p, "alias"))),
  })),
  // ---------------------------------------------------------------- registry: versions
  E("POST", "model-versions/create", "write", none, async (p, ctx) => {
    // Linking a run or a logged model exposes it (its id, its artifacts as the version's source): READ on its experiment is needed.
    const runId = optString(p, "run_id") || null;
    const source = reqString(p, "source");
    const modelId = optString(p, "model_id") || null;
    if (runId !== null) await requireReadableRun(ctx, runId, "register it");
    const linkedModels = [modelIdOfUri(source), modelId].filter((id): id is string => id !== null);
    await requireReadableModels(ctx, linkedModels, "register it");
    const v = await createLinkedModelVersion(ctx.tracking, ctx.registry, {
      name: reqString(p, "name"),
      source,
      runId,
      tags: keyValues(p, "tags"),
      runLink: optString(p, "run_link") || null,
      description: optString(p, "description") ?? null,
      modelId,
    });
    return { model_version: modelVersionToJson(v) };
  }),
  E("GET", "model-versions/get", "read", none, async (p, ctx) => ({
    model_version: modelVersionToJson(await ctx.registry.getModelVersion(reqString(p, "name"), reqString(p, "version"))),
  })),
  E("PATCH", "model-versions/update", "write", none, async (p, ctx) => ({
    model_version: modelVersionToJson(await ctx.registry.updateModelVersion(reqString(p, "name"), reqString(p, "version"), optString(p, "description") ?? null)),
  })),
  E("DELETE", "model-versions/delete", "write", none, async (p, ctx) => {
    await ctx.registry.deleteModelVersion(reqString(p, "name"), reqString(p, "version"));
    return {};
  }),
  E("POST", "model-versions/transition-stage", "write", none, async (p, ctx) => {
    const v = await ctx.registry.transitionModelVersionStage(
      reqString(p, "name"),
      reqString(p, "version"),
      reqString(p, "stage") as ModelVersionStage,
      optBool(p, "archive_existing_versions") ?? false,
    );
    return { model_version: modelVersionToJson(v) };
  }),
  E("GET", "model-versions/search", "read", none, async (p, ctx) => {
    const page = await ctx.registry.searchModelVersions({
      filterString: optString(p, "filter"),
      maxResults: optInt(p, "max_results") ?? 10_000,
      orderBy: optStringList(p, "order_by") ?? [],
      pageToken: optString(p, "page_token") ?? null,
    });
    return withPage(page.items.length === 0 ? {} : { model_versions: page.items.map(modelVersionToJson) }, page.nextPageToken);
  }),
  E("GET", "model-versions/get-download-uri", "read", none, async (p, ctx) => ({
    artifact_uri: await ctx.registry.getModelVersionDownloadUri(reqString(p, "name"), reqString(p, "version")),
  })),
  E("POST", "model-versions/set-tag", "write", none, async (p, ctx) => {
    await ctx.registry.setModelVersionTag(reqString(p, "name"), reqString(p, "version"), { key: reqString(p, "key"), value: optString(p, "value") ?? "" });
    return {};
  }),
  E("DELETE", "model-versions/delete-tag", "write", none, async (p, ctx) => {
    await ctx.registry.deleteModelVersionTag(reqString(p, "name"), reqString(p, "version"), reqString(p, "key"));
    return {};
  }),
  // ---------------------------------------------------------------- auth: a user's own permissions (the web UI hides what would be refused)
  E("GET", "experiments/permissions/get", "read", byExperiment, async (p, ctx) => {
    const experimentId = reqString(p, "experiment_id");
    return { experiment_permission: { experiment_id: experimentId, user_id: ownUser(p, ctx), permission: (ctx.permissionOf as (id: string | null) => string)(experimentId) } };
  }),
  E("GET", "registered-models/permissions/get", "read", none, async (p, ctx) => ({
    registered_model_permission: { name: reqString(p, "name"), user_id: ownUser(p, ctx), permission: (ctx.permissionOf as (id: string | null) => string)(null) },
  })),
];

/**
 * The user a permission request is about: only oneself (MLflow's auth app lets managers ask
 * about others; our permissions live in the config file, so there is nothing to manage).
 * Without auth these endpoints do not exist, as in MLflow without its auth app.
 */
function ownUser(p: Params, ctx: HandlerContext): string {
  if (ctx.permissionOf === undefined || ctx.user === null) throw new HttpError(404, "ENDPOINT_NOT_FOUND", "This server runs without auth: there are no permissions to read.");
  const username = reqString(p, "username");
  if (username !== ctx.user) throw new HttpError(403, "PERMISSION_DENIED", `Permission denied: user '${ctx.user}' may only read their own permissions.`);
  return username;
}

/** The path parameters when `path` matches an endpoint pattern (`{name}` matches one segment), else null. */
function matchPath(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split("/");
  const got = path.split("/");
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i] as string;
    const g = got[i] as string;
    if (w.startsWith("{") && w.endsWith("}")) {
      if (g === "") return null;
      try {
        params[w.slice(1, -1)] = decodeURIComponent(g);
      } catch {
        return null;
      }
    } else if (w !== g) return null;
  }
  return params;
}

/**
 * Looks an endpoint up by method and path (under the API prefix); a literal path wins over
 * a pattern (`logged-models/search` over `logged-models/{model_id}`), as Flask's routing does.
 */
export function findEndpoint(
  method: string,
  path: string,
  endpoints: readonly Endpoint[] = ENDPOINTS,
): (Endpoint & { readonly pathParams: PathParams }) | { allowed: string[] } | null {
  const matches = endpoints
    .map((e) => ({ e, params: matchPath(e.path, path) }))
    .filter((m): m is { e: Endpoint; params: Record<string, string> } => m.params !== null);
  if (matches.length === 0) return null;
  const withMethod = matches.filter((m) => m.e.method === method).sort((a, b) => Object.keys(a.params).length - Object.keys(b.params).length);
  const best = withMethod[0];
  return best === undefined ? { allowed: [...new Set(matches.map((m) => m.e.method))] } : { ...best.e, pathParams: best.params };
}
