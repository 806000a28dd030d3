/**
 * MLflow 3's logged-model endpoints (`mlflow/server/handlers.py`, 3.6): create, get,
 * finalize (PATCH, which reads the model id from the body as MLflow's server does), tags,
 * params, delete, search, artifact listing, `runs/outputs`; and where a logged model's
 * artifacts are on this server, for the artifact file route.
 */
import { MlflowError } from "../tracking/errors";
import type { LoggedModelStatus } from "../tracking/entities";
import { loggedModelStatusFromProto } from "../tracking/loggedModelRules";
import type { LoggedModelOrderBy } from "../tracking/store/loggedModelStore";
import { loggedModelToJson } from "../tracking-rest/loggedModelWire";
import { fileInfoToJson, type JsonObject } from "../tracking-rest/wire";
import { allExperiments } from "./allExperiments";
import { safeSegments } from "./artifactStore";
import type { ArtifactDownload, ArtifactStorage } from "./artifactStorage";
import type { Endpoint, HandlerContext, PathParams } from "./endpointContract";
import { directSegmentsOf } from "./handlers";
import { requireReadableModels } from "./linkedAccess";
import { keyValues, optBool, optInt, optObjectList, optString, optStringList, reqString, type Params } from "./requestParams";

const SUFFIX = " See the API docs for more information about request parameters.";

/** MLflow's default page size of `logged-models/search` (the proto's default). */
const SEARCH_DEFAULT_MAX_RESULTS = 50;

function statusOf(p: Params): LoggedModelStatus {
  const raw = p.status;
  if (raw === undefined || raw === null || raw === "") throw MlflowError.invalidParameterValue(`Missing value for required parameter 'status'.${SUFFIX}`);
  const status = loggedModelStatusFromProto(raw);
  if (status === null) {
    const shown = typeof raw === "string" ? `"${raw}"` : JSON.stringify(raw);
    const type = typeof raw === "string" ? "str" : typeof raw === "number" ? "int" : typeof raw;
    throw MlflowError.invalidParameterValue(`Invalid value ${shown} for parameter 'status' supplied:  Hint: Value was of type '${type}'.${SUFFIX}`);
  }
  return status;
}

const modelIdOf = (path: PathParams): string => path.model_id ?? "";
const byModel = async (_p: Params, ctx: HandlerContext, path: PathParams): Promise<string> => (await ctx.tracking.getLoggedModel(modelIdOf(path))).experimentId;
const byBodyModel = async (p: Params, ctx: HandlerContext): Promise<string> => (await ctx.tracking.getLoggedModel(reqString(p, "model_id"))).experimentId;
const byRun = async (p: Params, ctx: HandlerContext): Promise<string> => (await ctx.tracking.getRun(reqString(p, "run_id"))).info.experimentId;

function orderByOf(p: Params): LoggedModelOrderBy[] {
  return optObjectList(p, "order_by").map((o) => ({
    fieldName: reqString(o, "field_name"),
    ascending: optBool(o, "ascending") ?? true,
    datasetName: optString(o, "dataset_name") || null,
    datasetDigest: optString(o, "dataset_digest") || null,
  }));
}

/** Where a logged model's artifacts are on this server: the proxied root or the direct artifact root. */
function artifactRootOf(artifactUri: string, ctx: HandlerContext): { store: ArtifactStorage; base: string[] } {
  const proxied = /^mlflow-artifacts:(?:\/\/[^/]*)?\/?(.*)$/.exec(artifactUri);
  if (proxied !== null) {
    if (ctx.artifacts === null) throw MlflowError.invalidParameterValue("This server does not serve artifacts (start it with --artifacts-destination).");
    return { store: ctx.artifacts, base: safeSegments(proxied[1] as string) };
  }
  return { store: ctx.directArtifacts as ArtifactStorage, base: directSegmentsOf(artifactUri, ctx) };
}

/** Opens one file of a logged model's artifacts (`logged-models/<id>/artifacts/files?artifact_file_path=`). */
export async function openLoggedModelArtifact(ctx: HandlerContext, modelId: string, artifactFilePath: string | null): Promise<ArtifactDownload> {
  if (artifactFilePath === null || artifactFilePath === "") {
    throw new MlflowError('Request must include the "artifact_file_path" query parameter.', "BAD_REQUEST");
  }
  const model = await ctx.tracking.getLoggedModel(modelId);
  const { store, base } = artifactRootOf(model.artifactLocation, ctx);
  return store.open([...base, ...safeSegments(artifactFilePath)]);
}

const L = (method: Endpoint["method"], path: string, access: Endpoint["access"], scope: Endpoint["scope"], handle: Endpoint["handle"]): Endpoint => ({
  method,
  path,
  access,
  scope,
  handle,
});

/** The logged-model endpoints and `runs/outputs`. */
export const LOGGED_MODEL_ENDPOINTS: readonly Endpoint[] = [
  L("POST", "logged-models", "write", async (p) => reqString(p, "experiment_id"), async (p, ctx) => {
    // As MLflow's server: unset strings arrive as "" (proto3), and "" for a name means "generate one".
    const model = await ctx.tracking.createLoggedModel({
      experimentId: reqString(p, "experiment_id"),
      name: optString(p, "name") || null,
      modelType: optString(p, "model_type") ?? "",
      sourceRunId: optString(p, "source_run_id") ?? "",
      params: keyValues(p, "params"),
      tags: keyValues(p, "tags"),
    });
    return { model: loggedModelToJson(model) };
  }),
  L("GET", "logged-models/{model_id}", "read", byModel, async (_p, ctx, path) => ({ model: loggedModelToJson(await ctx.tracking.getLoggedModel(modelIdOf(path))) })),
  L("PATCH", "logged-models/{model_id}", "write", byBodyModel, async (p, ctx) => {
    const modelId = reqString(p, "model_id");
    return { model: loggedModelToJson(await ctx.tracking.finalizeLoggedModel(modelId, statusOf(p))) };
  }),
  L("DELETE", "logged-models/{model_id}", "write", async (_p, ctx, path) => {
    try {
      return (await ctx.tracking.getLoggedModel(modelIdOf(path))).experimentId;
    } catch (err) {
      if (!(err instanceof MlflowError && err.errorCode === "RESOURCE_DOES_NOT_EXIST")) throw err;
      // A deleted model is not found any more, but deleting it again is allowed (as MLflow's SQL
      // store) and touches it. It may be any experiment's: under auth, WRITE on all of them is needed.
      return ctx.restricted ? (await allExperiments(ctx.tracking, { viewType: "ALL" })).map((e) => e.experimentId) : null;
    }
  }, async (_p, ctx, path) => {
    await ctx.tracking.deleteLoggedModel(modelIdOf(path));
    return {};
  }),
  L("PATCH", "logged-models/{model_id}/tags", "write", byModel, async (p, ctx, path) => {
    await ctx.tracking.setLoggedModelTags(modelIdOf(path), keyValues(p, "tags"));
    return {};
  }),
  L("DELETE", "logged-models/{model_id}/tags/{tag_key}", "write", byModel, async (_p, ctx, path) => {
    await ctx.tracking.deleteLoggedModelTag(modelIdOf(path), path.tag_key ?? "");
    return {};
  }),
  L("POST", "logged-models/{model_id}/params", "write", byModel, async (p, ctx, path) => {
    reqString(p, "model_id");
    await ctx.tracking.logLoggedModelParams(modelIdOf(path), keyValues(p, "params"));
    return {};
  }),
  L("POST", "logged-models/search", "read", async (p) => optStringList(p, "experiment_ids") ?? [], async (p, ctx) => {
    const experimentIds = optStringList(p, "experiment_ids");
    if (experimentIds === undefined || experimentIds.length === 0) {
      throw MlflowError.invalidParameterValue(`Missing value for required parameter 'experiment_ids'.${SUFFIX}`);
    }
    const page = await ctx.tracking.searchLoggedModels({
      experimentIds,
      filterString: optString(p, "filter") || null,
      datasets: optObjectList(p, "datasets").map((d) => ({ datasetName: reqString(d, "dataset_name"), datasetDigest: optString(d, "dataset_digest") || null })),
      maxResults: optInt(p, "max_results") || SEARCH_DEFAULT_MAX_RESULTS,
      orderBy: orderByOf(p),
      pageToken: optString(p, "page_token") || null,
    });
    const out: JsonObject = page.items.length === 0 ? {} : { models: page.items.map(loggedModelToJson) };
    if (page.nextPageToken !== null) out.next_page_token = page.nextPageToken;
    return out;
  }),
  L("GET", "logged-models/{model_id}/artifacts/directories", "read", byModel, async (p, ctx, path) => {
    const model = await ctx.tracking.getLoggedModel(modelIdOf(path));
    const { store, base } = artifactRootOf(model.artifactLocation, ctx);
    const rel = safeSegments(optString(p, "artifact_directory_path") ?? "");
    const files = (await store.list([...base, ...rel])).map((f) => fileInfoToJson({ ...f, path: f.path.split("/").slice(base.length).join("/") }));
    const out: JsonObject = { root_uri: model.artifactLocation };
    if (files.length > 0) out.files = files;
    return out;
  }),
  L("POST", "runs/outputs", "write", byRun, async (p, ctx) => {
    const models = optObjectList(p, "models");
    if (p.models === undefined || p.models === null) throw MlflowError.invalidParameterValue(`Missing value for required parameter 'models'.${SUFFIX}`);
    const outputs = models.map((m) => ({ modelId: reqString(m, "model_id"), step: optInt(m, "step") ?? 0 }));
    await requireReadableModels(ctx, outputs.map((m) => m.modelId), "record it as a run's output");
    await ctx.tracking.logOutputs(reqString(p, "run_id"), outputs);
    return {};
  }),
];
