/**
 * The `artifact_location` a client may give a new experiment. A location is stored in
 * canonical form (dot segments resolved, local paths absolute) and refused when it holds a
 * query or fragment: `file://.../run/artifacts#` names the folder before the `#` once the
 * URI is parsed, so runs of the new experiment would read another run's files. Unless the
 * user is an admin, a location this server serves (under its proxy root or local artifact
 * root) must also stay out of every other experiment's artifact folder, out of the root
 * itself, and out of the numbered folders reserved for experiments' default locations,
 * because the artifact proxy authorizes a path by its first folder (the experiment id).
 * Over a FileStore, whose own folder the server also reads artifacts from (the web UI's
 * previews of runs logged straight to `mlruns/`), a location inside that folder is an
 * admin's choice only: it holds every experiment's runs.
 */
import { posix, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { MlflowError } from "../tracking/errors";
import type { HandlerContext } from "./endpointContract";
import { allExperiments } from "./allExperiments";

const PROXY = /^mlflow-artifacts:(\/\/[^/?#]*)?(\/[^?#]*)?/i;

function refuse(location: string, why: string): MlflowError {
  return MlflowError.invalidParameterValue(`Invalid artifact_location '${location}': ${why}`);
}

/**
 * A location with `.`/`..` resolved: `mlflow-artifacts:[//host]/clean/path`, a `file://` URI
 * of the absolute path, an absolute local path for a plain one (as MLflow resolves
 * relative paths); other schemes unchanged. Throws on a query or fragment.
 */
export function canonicalArtifactLocation(location: string): string {
  if (/[?#]/.test(location)) throw refuse(location, "'artifact_location' URL can't include fragments or params (no '?' or '#').");
  const proxied = PROXY.exec(location);
  if (proxied !== null) {
    const path = posix.normalize(proxied[2] ?? "/").replace(/(.)\/+$/, "$1");
    return `mlflow-artifacts:${proxied[1] ?? ""}${path}`;
  }
  if (/^file:/i.test(location)) {
    let path: string;
    try {
      path = fileURLToPath(location);
    } catch (err) {
      throw refuse(location, err instanceof Error ? err.message : String(err));
    }
    return pathToFileURL(resolve(path)).href;
  }
  if (/^[a-zA-Z][\w+.-]*:/.test(location)) return location;
  return resolve(location);
}

/**
 * Where a location lies in this server's artifact storage (the storage's location and the
 * segments under it: the proxy's root for `mlflow-artifacts:`, the direct root for `file:`,
 * plain paths and `s3://`), or null when the server never reads it. Any query or fragment is
 * dropped, as URI parsing drops it, so locations stored before these checks compare too.
 */
function servedPath(location: string, ctx: HandlerContext): { root: string; segments: string[] } | null {
  const bare = location.replace(/[?#].*$/s, "");
  const proxied = PROXY.exec(bare);
  if (proxied !== null) {
    if (ctx.artifacts === null) return null;
    const segments = posix.normalize(proxied[2] ?? "/").split("/").filter((s) => s !== "" && s !== "..");
    return { root: ctx.artifacts.location, segments };
  }
  if (ctx.directArtifacts === null) return null;
  const segments = ctx.directArtifacts.segmentsOfUri(asUri(bare));
  return segments === null ? null : { root: ctx.directArtifacts.location, segments };
}

function asUri(location: string): string {
  return /^[a-zA-Z][\w+.-]+:/.test(location) ? location : pathToFileURL(resolve(location)).href;
}

/** Whether a location lies in a FileStore backend's own folder (which the server reads artifacts from too). */
function inStoreFolder(location: string, ctx: HandlerContext): boolean {
  const own = ctx.storeArtifacts ?? null;
  return own !== null && own.segmentsOfUri(asUri(location.replace(/[?#].*$/s, ""))) !== null;
}

function joined(p: { root: string; segments: string[] }): string {
  return [p.root.replace(/\/+$/, ""), ...p.segments].join("/");
}

function overlaps(a: string, b: string): boolean {
  return a === b || a.startsWith(b + "/") || b.startsWith(a + "/");
}

/** The canonical location to store, after the checks above; throws INVALID_PARAMETER_VALUE naming the problem. */
export async function acceptArtifactLocation(location: string, ctx: HandlerContext): Promise<string> {
  const canonical = canonicalArtifactLocation(location);
  if (ctx.isAdmin) return canonical;
  const served = servedPath(canonical, ctx);
  if (served === null && inStoreFolder(canonical, ctx)) throw refuse(location, "it is inside the tracking store's own folder, which holds every experiment's runs (only an admin may choose it).");
  if (served === null) return canonical;
  if (served.segments.length === 0) throw refuse(location, "it is the server's artifact root, which holds every experiment's artifacts (only an admin may choose it).");
  if (/^\d+$/.test(served.segments[0] as string)) {
    throw refuse(location, `folders named by a number ('${served.segments[0]}') hold experiments' artifacts by experiment id (only an admin may choose one).`);
  }
  const mine = joined(served);
  for (const e of await allExperiments(ctx.tracking, { viewType: "ALL" })) {
    const theirs = servedPath(e.artifactLocation, ctx);
    if (theirs !== null && overlaps(mine, joined(theirs))) {
      throw refuse(location, `it overlaps the artifacts of experiment ${e.experimentId} (only an admin may share an artifact folder).`);
    }
  }
  return canonical;
}
