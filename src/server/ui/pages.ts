/**
 * The web UI's routes on the server: the page shell for every UI path (the bundled Preact
 * app draws the page from the REST API), the bundle's files, `/favicon.ico`, and the
 * artifact downloads MLflow's UI uses (`/get-artifact`, `/model-versions/get-artifact`).
 * Each page and download checks the permission of the REST call that reads the same data,
 * so a user never gets a page of an experiment they may not read. Pages are sent with a
 * strict Content-Security-Policy: scripts and styles from this server only, no `eval`.
 */
import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { pipeline } from "node:stream/promises";
import { MlflowError } from "../../tracking/errors";
import type { PageHandler } from "../app";
import { safeSegments } from "../artifactStore";
import type { ArtifactDownload } from "../artifactStorage";
import { authorize, type AuthUser } from "../auth";
import type { HandlerContext } from "../endpointContract";
import { directArtifactOf } from "../handlers";
import { HttpError } from "../httpUtil";
import { listParam } from "../pageAccess";
import { findUiDir, UiAssets } from "./assets";

const EMPTY_HASH = "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="; // sha256 of ""

/**
 * The pages' policy (exported for tests). plotly's strict build needs no `eval`; its global CSS comes from our
 * stylesheet (it skips injecting it when the shell links it with the id it looks for), and
 * AG Grid's theme is a stylesheet too. The one hash allowed is that of the empty string:
 * plotly appends empty `<style>` elements per chart and fills them through the CSSOM
 * (`insertRule`, which CSP does not restrict), and sets some empty `style=""` attributes
 * (d3), so no inline style text is ever allowed.
 * Artifacts (HTML previews) are framed from this origin, and are themselves sent sandboxed.
 */

export const UI_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  `style-src 'self' '${EMPTY_HASH}'`,
  `style-src-attr 'unsafe-hashes' '${EMPTY_HASH}'`,
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "frame-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'self'",
].join("; ");

/** Artifacts are sent as sandboxed documents: an HTML or SVG artifact never runs script with the UI's origin. */
const ARTIFACT_CSP = "sandbox; default-src 'none'; img-src data: 'self'; style-src 'unsafe-inline'; font-src data:";

function esc(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    "Content-Type": "text/html; charset=utf-8",
    "Content-Length": Buffer.byteLength(html),
    "Content-Security-Policy": UI_CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
  });
  res.end(html);
}

function shell(assets: UiAssets, user: AuthUser | null): string {
  const v = assets.manifest.version;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>MLflow</title>
${user === null ? "" : `<meta name="mlflow-user" content="${esc(user.username)}">\n`}<link rel="icon" href="/favicon.ico">
<link rel="stylesheet" href="/static/app.css?v=${v}">
<link rel="stylesheet" id="plotly.js-style-global" class="no-inline-styles" href="/static/plotly.css?v=${v}">
<meta id="${esc(assets.manifest.maplibreStyleId)}" name="plotly-maplibre-css" content="not used: no map charts">
<script type="module" src="/static/app.js?v=${v}"></script>
</head>
<body>
<div id="root"></div>
<noscript>This page needs JavaScript. The REST API is at /api/2.0/mlflow/.</noscript>
</body>
</html>
`;
}

function errorPage(status: number, title: string, message: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)} · MLflow</title><link rel="icon" href="/favicon.ico"></head>
<body><main><h1>${esc(title)}</h1><p id="error">${esc(message)}</p><p><a href="/">Experiments</a> · <a href="/models">Models</a></p></main></body></html>
`;
}

async function experimentNamed(ctx: HandlerContext, name: string): Promise<string> {
  const experiment = await ctx.tracking.getExperimentByName(name);
  if (experiment === null) throw MlflowError.notFound(`Could not find experiment with name '${name}'`);
  return experiment.experimentId;
}

async function experimentOfRun(ctx: HandlerContext, runId: string): Promise<string> {
  return (await ctx.tracking.getRun(runId)).info.experimentId;
}

/**
 * What a page path shows, as the experiments it reads (null: the registry), or undefined
 * when the path is not a page. Throws when a run or experiment does not exist.
 */
async function pageScope(path: string, url: URL, ctx: HandlerContext): Promise<readonly string[] | null | undefined> {
  const parts = path.split("/").filter((s) => s !== "").map((s) => decodeURIComponent(s));
  const [head, a, b, c, d] = parts;
  if (parts.length === 0) return [];
  if (head === "experiments") {
    if (a === undefined && url.searchParams.has("name")) return [await experimentNamed(ctx, url.searchParams.get("name") as string)];
    if (a === undefined) return listParam(url.searchParams.get("ids"));
    if (b === undefined) return [(await ctx.tracking.getExperiment(a)).experimentId];
    if (b === "runs" && c !== undefined && d === undefined) return [await experimentOfRun(ctx, c)];
    return undefined;
  }
  if (head === "runs" && a !== undefined && b === undefined) return [await experimentOfRun(ctx, a)];
  if ((head === "compare" || head === "compare-runs") && a === undefined && url.searchParams.has("experiment")) return [await experimentNamed(ctx, url.searchParams.get("experiment") as string)];
  if ((head === "compare" || head === "compare-runs") && a === undefined) {
    return [...new Set(await Promise.all(listParam(url.searchParams.get("runs")).map((id) => experimentOfRun(ctx, id))))];
  }
  if (head === "compare-experiments" && a === undefined) return listParam(url.searchParams.get("experiments"));
  if (head === "models" && (parts.length <= 2 || (b === "versions" && c !== undefined && d === undefined))) return null;
  return undefined;
}

function guessType(name: string): string {
  const ext = /\.([A-Za-z0-9]+)$/.exec(name)?.[1]?.toLowerCase() ?? "";
  const images: Record<string, string> = { png: "image/png", jpg: "image/jpeg", jpeg: "image/jpeg", gif: "image/gif", webp: "image/webp", bmp: "image/bmp", svg: "image/svg+xml" };
  if (ext in images) return images[ext] as string;
  if (ext === "html" || ext === "htm") return "text/html; charset=utf-8";
  const binary = new Set(["pkl", "pickle", "bin", "onnx", "pt", "pth", "npy", "npz", "parquet", "zip", "gz", "tar", "whl", "ubj", "xgb", "joblib", "h5"]);
  return binary.has(ext) ? "application/octet-stream" : "text/plain; charset=utf-8";
}

/** Opens `rel` under an artifact URI this server serves (`mlflow-artifacts:`, or a direct `file:`/`s3:` URI under a served root). */
async function openUnder(ctx: HandlerContext, uri: string, rel: readonly string[]): Promise<ArtifactDownload> {
  const runs = /^runs:\/([^/]+)\/?(.*)$/.exec(uri);
  if (runs !== null) {
    const run = await ctx.tracking.getRun(runs[1] as string);
    return openUnder(ctx, run.info.artifactUri, [...safeSegments(runs[2] as string), ...rel]);
  }
  const proxied = /^mlflow-artifacts:(?:\/\/[^/]*)?\/?(.*)$/.exec(uri);
  if (proxied !== null) {
    if (ctx.artifacts === null) throw MlflowError.invalidParameterValue("This server does not serve artifacts.");
    return ctx.artifacts.open([...safeSegments(proxied[1] as string), ...rel]);
  }
  const { storage, segments } = directArtifactOf(uri, ctx);
  return storage.open([...segments, ...rel]);
}

function sendFile(res: ServerResponse, file: ArtifactDownload): void {
  res.writeHead(200, {
    "Content-Type": guessType(file.name),
    "Content-Length": file.size,
    "Content-Security-Policy": ARTIFACT_CSP,
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
  });
  pipeline(file.stream, res).catch(() => res.destroy());
}

/** MLflow's `get-artifact?run_uuid=&path=`: a run's artifact file, for users who may read the run. */
async function runArtifact(res: ServerResponse, url: URL, ctx: HandlerContext, user: AuthUser | null): Promise<void> {
  const runId = url.searchParams.get("run_uuid") ?? url.searchParams.get("run_id") ?? "";
  if (runId === "") throw MlflowError.invalidParameterValue("Missing value for required parameter 'run_uuid'.");
  const run = await ctx.tracking.getRun(runId);
  if (user !== null) authorize(user, "read", run.info.experimentId);
  const rel = safeSegments(url.searchParams.get("path") ?? "");
  if (rel.length === 0) throw MlflowError.invalidParameterValue("Missing value for required parameter 'path'.");
  sendFile(res, await openUnder(ctx, run.info.artifactUri, rel));
}

/** MLflow's `model-versions/get-artifact?name=&version=&path=`: a file of a model version's source. */
async function versionArtifact(res: ServerResponse, url: URL, ctx: HandlerContext, user: AuthUser | null): Promise<void> {
  if (user !== null) authorize(user, "read", null);
  const name = url.searchParams.get("name") ?? "";
  const version = url.searchParams.get("version") ?? "";
  const rel = safeSegments(url.searchParams.get("path") ?? "");
  if (name === "" || version === "" || rel.length === 0) throw MlflowError.invalidParameterValue("model-versions/get-artifact needs 'name', 'version' and 'path'.");
  const source = await ctx.registry.getModelVersionDownloadUri(name, version);
  sendFile(res, await openUnder(ctx, source, rel));
}

function sendAsset(req: IncomingMessage, res: ServerResponse, assets: UiAssets, rel: string): boolean {
  const asset = assets.get(rel);
  if (asset === null) return false;
  const gzip = /\bgzip\b/.test(String(req.headers["accept-encoding"] ?? ""));
  const body = gzip ? asset.gzipped : asset.body;
  res.writeHead(200, {
    "Content-Type": asset.type,
    "Content-Length": body.length,
    ...(gzip ? { "Content-Encoding": "gzip" } : {}),
    Vary: "Accept-Encoding",
    "Cache-Control": rel.startsWith("chunks/") ? "public, max-age=31536000, immutable" : "public, max-age=3600",
    "X-Content-Type-Options": "nosniff",
  });
  res.end(body);
  return true;
}

/**
 * The UI's request handler, mounted by the server for paths outside the API. `uiDir`
 * overrides where the bundle is (default: dist/ui, found by {@link findUiDir}).
 */
export function createUiPages(uiDir: string | null = findUiDir()): PageHandler {
  const assets = uiDir === null ? null : new UiAssets(uiDir);
  return async (req: IncomingMessage, res: ServerResponse, url: URL, ctx: HandlerContext, user: AuthUser | null): Promise<boolean> => {
    if (req.method !== "GET" && req.method !== "HEAD") return false;
    const path = url.pathname;
    if (path === "/favicon.ico") return assets !== null && sendAsset(req, res, assets, "favicon.ico");
    if (path.startsWith("/static/")) return assets !== null && sendAsset(req, res, assets, path.slice("/static/".length));
    if (path === "/get-artifact") {
      await runArtifact(res, url, ctx, user);
      return true;
    }
    if (path === "/model-versions/get-artifact") {
      await versionArtifact(res, url, ctx, user);
      return true;
    }
    let scope: readonly string[] | null | undefined;
    try {
      scope = await pageScope(path, url, ctx);
      if (scope === undefined) return false;
      if (user !== null) {
        if (scope === null) authorize(user, "read", null);
        else for (const experimentId of scope) authorize(user, "read", experimentId);
      }
    } catch (err) {
      if (err instanceof HttpError) {
        sendHtml(res, err.status, errorPage(err.status, err.status === 403 ? "Permission denied" : "Error", err.message));
        return true;
      }
      if (err instanceof MlflowError) {
        sendHtml(res, err.httpStatus, errorPage(err.httpStatus, err.httpStatus === 404 ? "Not found" : "Error", err.message));
        return true;
      }
      throw err;
    }
    if (assets === null) {
      sendHtml(res, 503, errorPage(503, "The web UI is not built", "The UI bundle (dist/ui) is missing: run `npm run build`. The REST API works without it."));
      return true;
    }
    sendHtml(res, 200, shell(assets, user));
    return true;
  };
}
