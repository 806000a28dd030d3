/**
 * Which permission each web page and UI artifact route needs: the same as the REST call that
 * reads the same data, decided by URL before any page code runs (so it holds whatever
 * renders the pages). An experiment's page needs READ on it; a run's page (also MLflow's
 * `/experiments/<id>/runs/<run>`), a comparison and an artifact download need READ on each
 * run's experiment; comparing experiments needs READ on each; the experiments list is open
 * to every authenticated user and shows only what they may read (the web UI checks the
 * experiments a list's `?ids=` or `?name=` names, and a comparison's `?experiment=`);
 * registry pages need READ on the registry (`"*"`); static files and the icon need
 * authentication only.
 */
import { MlflowError } from "../tracking/errors";
import { authorize, type AuthUser } from "./auth";
import { canonicalExperimentId } from "./canonicalIds";
import type { HandlerContext } from "./endpointContract";

/** The experiment of a run, or null when there is no such run (the page then answers 404 itself). */
async function experimentOfRun(runId: string, ctx: HandlerContext): Promise<string | null> {
  try {
    return (await ctx.tracking.getRun(runId)).info.experimentId;
  } catch (err) {
    if (err instanceof MlflowError && (err.errorCode === "RESOURCE_DOES_NOT_EXIST" || err.errorCode === "INVALID_PARAMETER_VALUE")) return null;
    throw err;
  }
}

function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Ids given as `a,b` or as a JSON list `["a","b"]` (the web UI's links use both). */
export function listParam(value: string | null): string[] {
  if (value === null || value.trim() === "") return [];
  const v = value.trim();
  if (v.startsWith("[")) {
    try {
      const parsed = JSON.parse(v) as unknown;
      if (Array.isArray(parsed)) return parsed.map(String);
    } catch {
      throw MlflowError.invalidParameterValue(`Malformed list '${value}': use comma-separated ids or a JSON list.`);
    }
  }
  return v.split(",").filter((s) => s !== "");
}

/** The runs a page or file route shows (null for routes that show no run). */
function runIdsOf(url: URL): string[] | null {
  const run = /^\/(?:experiments\/[^/]+\/)?runs\/([^/]+)$/.exec(url.pathname);
  if (run !== null) return [decoded(run[1] as string)];
  if (url.pathname === "/compare" || url.pathname === "/compare-runs") return listParam(url.searchParams.get("runs"));
  // MLflow's UI names the run `run_uuid`; `run_id` is accepted too.
  if (url.pathname === "/get-artifact") return [url.searchParams.get("run_uuid") ?? url.searchParams.get("run_id") ?? ""];
  return null;
}

/** Throws 403 unless `user` may see the page or file at `url`. */
export async function authorizePage(user: AuthUser, url: URL, ctx: HandlerContext): Promise<void> {
  const path = url.pathname;
  if (path.startsWith("/static/") || path === "/" || path === "/experiments" || path === "/favicon.ico") return;
  if (path === "/compare-experiments") return authorize(user, "read", listParam(url.searchParams.get("experiments")).map(canonicalExperimentId));
  const experiment = /^\/experiments\/([^/]+)$/.exec(path);
  if (experiment !== null) return authorize(user, "read", canonicalExperimentId(decoded(experiment[1] as string)));
  const runIds = runIdsOf(url);
  if (runIds === null) return authorize(user, "read", null);
  for (const runId of runIds) {
    const experimentId = await experimentOfRun(runId, ctx);
    if (experimentId !== null) authorize(user, "read", experimentId);
  }
}
