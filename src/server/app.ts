/**
 * The tracking server on node:http: MLflow's REST API under `/api/2.0/mlflow/` (and
 * `/ajax-api/2.0/mlflow/` as the UI calls it), the artifact proxy under
 * `/api/2.0/mlflow-artifacts/artifacts`, `/health`, `/version`, and the web UI.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { pipeline } from "node:stream/promises";
import { MlflowError } from "../tracking/errors";
import type { RegistryStore } from "../tracking/store/registryStore";
import type { TrackingStore } from "../tracking/store/trackingStore";
import { fileInfoToJson } from "../tracking-rest/wire";
import { decodeArtifactPath, safeSegments } from "./artifactStore";
import { openArtifactStorage, type ArtifactDownload, type ArtifactStorage } from "./artifactStorage";
import { authenticate, authorize, canRead, checkAuthConfig, isAdmin, permissionOf, type AuthConfig, type AuthUser } from "./auth";
import { canonicalExperimentId, canonicalizeIds } from "./canonicalIds";
import { authorizePage } from "./pageAccess";
import type { HandlerContext } from "./endpointContract";
import { findEndpoint } from "./handlers";
import { ALL_ENDPOINTS } from "./allEndpoints";
import { openLoggedModelArtifact } from "./loggedModelHandlers";
import { HttpError, readBody, sendError, sendJson, sendText } from "./httpUtil";
import { checkJsonDepth, type Params } from "./requestParams";

/** The MLflow version this server answers as (its REST behaviour follows 2.17). */
export const MLFLOW_COMPAT_VERSION = "2.17.2";

/**
 * Serves extra pages (the web UI); resolves true when it answered the request. It gets the
 * authenticated user (null without auth) and checks the permission each page needs itself.
 */
export type PageHandler = (req: IncomingMessage, res: ServerResponse, url: URL, ctx: HandlerContext, user: AuthUser | null) => Promise<boolean>;

/** What a server needs. */
export interface TrackingServerOptions {
  readonly tracking: TrackingStore;
  readonly registry: RegistryStore;
  /** Where proxied artifacts go: a local folder or `s3://bucket/prefix`; null disables `mlflow-artifacts`. */
  readonly artifactsDestination: string | null;
  /**
   * The root whose direct (not proxied) artifact URIs the server lists and shows: a local
   * folder (its `file:` URIs) or `s3://bucket/prefix` (default: `artifactsDestination`).
   * Runs whose artifacts are elsewhere are not read by the server.
   */
  readonly directArtifactRoot?: string | null;
  /** A FileStore backend's folder: its runs' `file:` artifact URIs (under it) are listed and downloaded too. */
  readonly storeArtifactRoot?: string | null;
  /** Users and permissions; null means no auth (loopback only, enforced by the CLI). */
  readonly auth: AuthConfig | null;
  /** Largest JSON request body (default 16 MiB). */
  readonly maxBodyBytes?: number;
  /** Largest artifact upload (default 1 GiB). */
  readonly maxUploadBytes?: number;
  /** The web UI, when mounted. */
  readonly pages?: PageHandler;
}

const API_PREFIXES = ["/api/2.0/mlflow/", "/ajax-api/2.0/mlflow/"];
const ARTIFACT_PREFIXES = ["/api/2.0/mlflow-artifacts/artifacts", "/ajax-api/2.0/mlflow-artifacts/artifacts"];

function queryParams(url: URL): Params {
  const out: Params = {};
  for (const key of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(key);
    out[key] = values.length === 1 ? values[0] : values;
  }
  return out;
}

/**
 * A request's parameters as MLflow reads them: the query string for GET; otherwise the
 * JSON body, which a POST must declare as `application/json`. As Flask's
 * `get_json(silent=True)` does, a body that is not JSON counts as empty (so required
 * fields are reported missing), and a JSON-encoded string is decoded a second time.
 */
async function jsonParams(req: IncomingMessage, url: URL, limit: number): Promise<Params> {
  const params = queryParams(url);
  if (req.method === "GET") return params;
  if (req.method === "POST" || req.method === "PUT") {
    const type = req.headers["content-type"];
    if (type === undefined || type === "") throw MlflowError.invalidParameterValue("Bad Request. Content-Type header is missing.");
    if (type.split(";")[0]?.trim().toLowerCase() !== "application/json") {
      throw MlflowError.invalidParameterValue("Bad Request. Content-Type must be one of ['application/json'].");
    }
  }
  const body = await readBody(req, limit);
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(body.toString("utf8"));
    if (typeof parsed === "string") parsed = JSON.parse(parsed);
  } catch {
    parsed = null;
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return params;
  checkJsonDepth(parsed, "The request body");
  return { ...params, ...(parsed as Params) };
}

/** A running server. */
export interface RunningServer {
  readonly server: Server;
  /** `http://host:port`. */
  readonly url: string;
  close(): Promise<void>;
}

/** Builds the request handler (exported for embedding in another node:http server). */
export function createRequestHandler(options: TrackingServerOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const artifacts = options.artifactsDestination === null ? null : openArtifactStorage(options.artifactsDestination, options.maxUploadBytes);
  const directRoot = options.directArtifactRoot === undefined ? options.artifactsDestination : options.directArtifactRoot;
  const directArtifacts = directRoot === null ? null : directRoot === options.artifactsDestination ? artifacts : openArtifactStorage(directRoot);
  const maxBody = options.maxBodyBytes ?? 16 * 1024 * 1024;
  const auth = options.auth === null ? null : checkAuthConfig(options.auth);
  const storeArtifacts = options.storeArtifactRoot === undefined || options.storeArtifactRoot === null ? null : openArtifactStorage(options.storeArtifactRoot);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const path = url.pathname;
    if (path === "/health") return sendText(res, 200, "OK");
    if (path === "/version") return sendText(res, 200, MLFLOW_COMPAT_VERSION);

    let user: AuthUser | null = null;
    if (auth !== null) user = authenticate(auth, req);
    const authed = user;
    const ctx: HandlerContext = {
      tracking: options.tracking,
      registry: options.registry,
      artifacts,
      directArtifacts,
      storeArtifacts,
      user: user?.username ?? null,
      canRead: authed === null ? () => true : (experimentId) => canRead(authed, experimentId),
      restricted: authed !== null,
      // Without auth the server is reachable from this machine only (the CLI enforces it): its users are trusted.
      isAdmin: authed === null || isAdmin(authed),
      ...(authed === null ? {} : { permissionOf: (experimentId: string | null) => permissionOf(authed, experimentId) }),
    };

    const apiPrefix = API_PREFIXES.find((p) => path.startsWith(p));
    const modelFile = apiPrefix === undefined ? null : /^logged-models\/([^/]+)\/artifacts\/files$/.exec(path.slice(apiPrefix.length));
    if (modelFile !== null && modelFile !== undefined && req.method === "GET") {
      const modelId = decodeURIComponent(modelFile[1] as string);
      if (user !== null) authorize(user, "read", (await ctx.tracking.getLoggedModel(modelId)).experimentId);
      return sendFile(res, await openLoggedModelArtifact(ctx, modelId, url.searchParams.get("artifact_file_path")));
    }
    if (apiPrefix !== undefined) {
      const found = findEndpoint(req.method ?? "GET", path.slice(apiPrefix.length), ALL_ENDPOINTS);
      if (found === null) throw new HttpError(404, "ENDPOINT_NOT_FOUND", `No API endpoint ${req.method} ${path}.`);
      if ("allowed" in found) throw new HttpError(405, "BAD_REQUEST", `Method ${req.method} is not allowed for ${path}; use ${found.allowed.join(" or ")}.`, { Allow: found.allowed.join(", ") });
      // Ids are canonical before anything reads them, so the permission check and the store agree.
      const params = canonicalizeIds(await jsonParams(req, url, maxBody));
      if (user !== null) authorize(user, found.access, await found.scope(params, ctx, found.pathParams));
      return sendJson(res, 200, await found.handle(params, ctx, found.pathParams));
    }

    // The raw path, not the URL parser's normalised one: `%2e%2e` and `..` must be refused, not resolved.
    const rawPath = (req.url ?? "/").split("?")[0] as string;
    const artifactPrefix = ARTIFACT_PREFIXES.find((p) => rawPath === p || rawPath.startsWith(p + "/"));
    if (artifactPrefix !== undefined) return handleArtifacts(req, res, url, rawPath.slice(artifactPrefix.length + 1), artifacts, user);

    if (options.pages !== undefined) {
      if (user !== null) await authorizePage(user, url, ctx);
      if (await options.pages(req, res, url, ctx, user)) return;
    }
    throw new HttpError(404, "ENDPOINT_NOT_FOUND", `Not found: ${path}`);
  };

  return (req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!(err instanceof MlflowError) && !(err instanceof HttpError)) console.error(`[server] ${req.method} ${req.url}:`, err);
      sendError(res, err);
    });
  };
}

async function handleArtifacts(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  rawPath: string,
  artifacts: ArtifactStorage | null,
  user: AuthUser | null,
): Promise<void> {
  if (artifacts === null) throw new HttpError(503, "INVALID_STATE", "This server does not proxy artifacts: start it with --artifacts-destination.");
  const method = req.method ?? "GET";
  const listing = rawPath === "" && method === "GET";
  // The query's `path` is already decoded (once) by the URL parser.
  const segments = listing ? safeSegments(url.searchParams.get("path") ?? "") : decodeArtifactPath(rawPath);
  // Proxied paths start with the experiment id (`<exp>/<run>/artifacts/...`); `01/...` is checked as experiment 1.
  if (user !== null) authorize(user, method === "GET" ? "read" : "write", segments[0] === undefined ? null : canonicalExperimentId(segments[0]));
  if (listing) {
    const files = (await artifacts.list(segments)).map((f) => fileInfoToJson({ ...f, path: f.path.split("/").pop() ?? f.path }));
    return sendJson(res, 200, files.length === 0 ? {} : { files });
  }
  if (method === "PUT") {
    const length = req.headers["content-length"] === undefined ? null : Number(req.headers["content-length"]);
    await artifacts.upload(segments, req, length);
    return sendJson(res, 200, {});
  }
  if (method === "GET") return sendFile(res, await artifacts.open(segments));
  if (method === "DELETE") {
    await artifacts.delete(segments);
    return sendJson(res, 200, {});
  }
  throw new HttpError(405, "BAD_REQUEST", `Method ${method} is not allowed for artifacts.`);
}

/** Streams an artifact file as a download. */
function sendFile(res: ServerResponse, file: ArtifactDownload): void {
  res.writeHead(200, {
    "Content-Type": "application/octet-stream",
    "Content-Length": file.size,
    "Content-Disposition": `attachment; filename="${encodeURIComponent(file.name)}"`,
    "X-Content-Type-Options": "nosniff",
  });
  pipeline(file.stream, res).catch(() => res.destroy());
}

/** Starts a server on `host:port` (port 0: any free port); resolves once it listens. */
export function startTrackingServer(options: TrackingServerOptions, host = "127.0.0.1", port = 5000): Promise<RunningServer> {
  let handler: ReturnType<typeof createRequestHandler>;
  try {
    handler = createRequestHandler(options);
  } catch (err) {
    return Promise.reject(err);
  }
  const server = createServer(handler);
  server.keepAliveTimeout = 65_000;
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      const address = server.address() as AddressInfo;
      const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
      resolve({
        server,
        url: `http://${shownHost}:${address.port}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
