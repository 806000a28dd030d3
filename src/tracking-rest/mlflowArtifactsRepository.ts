/**
 * Artifacts through a tracking server's proxy (MLflow's `MlflowArtifactsRepository` /
 * `HttpArtifactRepository`): `mlflow-artifacts:/<exp>/<run>/artifacts` resolves to
 * `<server>/api/2.0/mlflow-artifacts/artifacts/<exp>/<run>/artifacts`; files go up with
 * PUT, come down with GET, and directories are listed with `?path=`.
 */
import { createReadStream, createWriteStream, readdirSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { MlflowError } from "../tracking/errors";
import type { FileInfo } from "../tracking/entities";
import { validateArtifactPath, type ArtifactRepository } from "../tracking/artifacts/artifactRepository";
import { RestClient, type RestClientOptions } from "./restClient";
import { fileInfoFromJson } from "./wire";
import { makeDirs } from "../util/makeDirs";

/** The server endpoint that proxies artifacts. */
export const ARTIFACTS_PREFIX = "/api/2.0/mlflow-artifacts/artifacts";

function encodePath(path: string): string {
  return path.split("/").filter((p) => p !== "").map(encodeURIComponent).join("/");
}

/**
 * Splits an `mlflow-artifacts:` URI into the server to talk to and the path under the
 * proxy root. Without an authority (`mlflow-artifacts:/1/...`) the server is `defaultServer`.
 */
export function resolveMlflowArtifactsUri(uri: string, defaultServer: string | null): { server: string; path: string } {
  const m = /^mlflow-artifacts:(?:\/\/([^/]+))?(\/.*)?$/.exec(uri);
  if (m === null) throw MlflowError.invalidParameterValue(`Invalid mlflow-artifacts URI '${uri}'.`);
  const authority = m[1];
  const server = authority !== undefined ? `http://${authority}` : defaultServer;
  if (server === null) {
    throw MlflowError.invalidParameterValue(`Cannot resolve '${uri}': it names no server and the tracking URI is not http(s)://. Set MLFLOW_TRACKING_URI to the server.`);
  }
  return { server, path: (m[2] ?? "/").replace(/^\/+|\/+$/g, "") };
}

/** An artifact root served by an MLflow tracking server's artifact proxy. */
export class MlflowArtifactsRepository implements ArtifactRepository {
  private readonly client: RestClient;
  /** The root's path under the proxy, e.g. `1/<run>/artifacts`. */
  readonly rootPath: string;

  /** `artifactUri` is `mlflow-artifacts:[//host:port]/path`, or the proxy's `http(s)://` URL itself. */
  constructor(readonly artifactUri: string, defaultServer: string | null, options: RestClientOptions = {}) {
    if (/^https?:/i.test(artifactUri)) {
      const url = new URL(artifactUri);
      const idx = url.pathname.indexOf(ARTIFACTS_PREFIX);
      if (idx < 0) throw MlflowError.invalidParameterValue(`HTTP artifact URI '${artifactUri}' does not point at ${ARTIFACTS_PREFIX}.`);
      this.client = new RestClient(url.origin + url.pathname.slice(0, idx), options);
      this.rootPath = decodeURIComponent(url.pathname.slice(idx + ARTIFACTS_PREFIX.length)).replace(/^\/+|\/+$/g, "");
    } else {
      const { server, path } = resolveMlflowArtifactsUri(artifactUri, defaultServer);
      this.client = new RestClient(server, options);
      this.rootPath = path;
    }
  }

  private full(rel: string): string {
    return [this.rootPath, rel].filter((p) => p !== "").join("/");
  }

  private async put(localFile: string, rel: string): Promise<void> {
    const url = `${this.client.baseUrl}${ARTIFACTS_PREFIX}/${encodePath(this.full(rel))}`;
    const body = { open: () => createReadStream(localFile), length: statSync(localFile).size };
    await (await this.client.send("PUT", url, body, "application/octet-stream")).arrayBuffer();
  }

  async logArtifact(localFile: string, artifactPath?: string): Promise<void> {
    if (!statSync(localFile, { throwIfNoEntry: false })?.isFile()) throw MlflowError.invalidParameterValue(`logArtifact: '${localFile}' is not a file.`);
    const dir = validateArtifactPath(artifactPath ?? "");
    await this.put(localFile, [dir, basename(localFile)].filter((p) => p !== "").join("/"));
  }

  async logArtifacts(localDir: string, artifactPath?: string): Promise<void> {
    if (!statSync(localDir, { throwIfNoEntry: false })?.isDirectory()) throw MlflowError.invalidParameterValue(`logArtifacts: '${localDir}' is not a directory.`);
    const dir = validateArtifactPath(artifactPath ?? "");
    const walk = async (local: string, rel: string): Promise<void> => {
      for (const entry of readdirSync(local, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
        const childRel = [rel, entry.name].filter((p) => p !== "").join("/");
        if (entry.isDirectory()) await walk(join(local, entry.name), childRel);
        else if (entry.isFile()) await this.put(join(local, entry.name), childRel);
      }
    };
    await walk(localDir, dir);
  }

  async listArtifacts(path?: string): Promise<FileInfo[]> {
    const rel = validateArtifactPath(path ?? "");
    const r = await this.client.callJson("GET", ARTIFACTS_PREFIX, { path: this.full(rel) });
    const files = Array.isArray(r.files) ? (r.files as Record<string, unknown>[]) : [];
    return files
      .map(fileInfoFromJson)
      .map((f) => ({ ...f, path: rel === "" ? f.path : `${rel}/${f.path}` }))
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  async downloadArtifacts(artifactPath: string, dstDir: string): Promise<string> {
    const rel = validateArtifactPath(artifactPath);
    const children = await this.listArtifacts(rel);
    const dst = rel === "" ? dstDir : join(dstDir, ...rel.split("/"));
    if (children.length > 0 || rel === "") {
      makeDirs(dst);
      for (const child of children) await this.downloadArtifacts(child.path, dstDir);
      return dst;
    }
    makeDirs(join(dst, ".."));
    const url = `${this.client.baseUrl}${ARTIFACTS_PREFIX}/${encodePath(this.full(rel))}`;
    const response = await this.client.send("GET", url);
    if (response.body === null) throw new MlflowError(`Empty response downloading ${url}.`, "INTERNAL_ERROR");
    await pipeline(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), createWriteStream(dst));
    return dst;
  }
}
