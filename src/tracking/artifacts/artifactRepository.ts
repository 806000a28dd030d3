/**
 * Artifact repositories (MLflow's `ArtifactRepository`): where a run's files go, chosen
 * by the scheme of its artifact URI. `file:` and `s3:` are built in (the AWS SDK is loaded
 * only when an `s3:` URI is used); a REST store can register `mlflow-artifacts:` or `http:`
 * with {@link registerArtifactRepository}.
 */
import { cpSync, existsSync, readdirSync, statSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { MlflowError } from "../errors";
import type { FileInfo } from "../entities";
import { makeDirs } from "../../util/makeDirs";
import { validateArtifactPath } from "./artifactPath";
import type { ArtifactRepository } from "./repositoryContract";
import { S3ArtifactRepository } from "./s3ArtifactRepository";

export { validateArtifactPath };
export type { ArtifactRepository };

/** The repository for `file:` URIs and plain paths. */
export class LocalArtifactRepository implements ArtifactRepository {
  /** Absolute local directory of the artifact root. */
  readonly root: string;

  constructor(readonly artifactUri: string) {
    this.root = artifactUri.startsWith("file:") ? fileURLToPath(artifactUri) : resolve(artifactUri);
  }

  private local(artifactPath: string | undefined): string {
    const rel = validateArtifactPath(artifactPath ?? "");
    return rel === "" ? this.root : join(this.root, ...rel.split("/"));
  }

  async logArtifact(localFile: string, artifactPath?: string): Promise<void> {
    if (!existsSync(localFile) || !statSync(localFile).isFile()) {
      throw MlflowError.invalidParameterValue(`logArtifact: '${localFile}' is not a file.`);
    }
    const dir = this.local(artifactPath);
    makeDirs(dir);
    cpSync(localFile, join(dir, basename(localFile)));
  }

  async logArtifacts(localDir: string, artifactPath?: string): Promise<void> {
    if (!existsSync(localDir) || !statSync(localDir).isDirectory()) {
      throw MlflowError.invalidParameterValue(`logArtifacts: '${localDir}' is not a directory.`);
    }
    const dir = this.local(artifactPath);
    makeDirs(dir);
    cpSync(localDir, dir, { recursive: true });
  }

  async listArtifacts(path?: string): Promise<FileInfo[]> {
    const rel = validateArtifactPath(path ?? "");
    const dir = this.local(rel);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) return [];
    return readdirSync(dir)
      .sort()
      .map((name) => {
        const st = statSync(join(dir, name));
        const childPath = rel === "" ? name : `${rel}/${name}`;
        return { path: childPath, isDir: st.isDirectory(), fileSize: st.isDirectory() ? null : st.size };
      });
  }

  async downloadArtifacts(artifactPath: string, dstDir: string): Promise<string> {
    const src = this.local(artifactPath);
    if (!existsSync(src)) {
      throw MlflowError.notFound(`Artifact '${artifactPath}' does not exist under ${this.artifactUri}.`);
    }
    const rel = validateArtifactPath(artifactPath);
    const dst = rel === "" ? dstDir : join(dstDir, ...rel.split("/"));
    makeDirs(statSync(src).isDirectory() ? dst : join(dst, ".."));
    cpSync(src, dst, { recursive: true });
    return dst;
  }
}

/** Builds a repository for an artifact URI of one scheme. */
export type ArtifactRepositoryFactory = (artifactUri: string) => ArtifactRepository;

const factories = new Map<string, ArtifactRepositoryFactory>([
  ["file", (uri) => new LocalArtifactRepository(uri)],
  ["s3", (uri) => new S3ArtifactRepository(uri)], // the AWS SDK is loaded on its first request
]);

/** Registers the repository used for artifact URIs of `scheme` (e.g. "mlflow-artifacts", "http"). */
export function registerArtifactRepository(scheme: string, factory: ArtifactRepositoryFactory): void {
  factories.set(scheme, factory);
}

/** The repository for an artifact URI (plain paths are local files). */
export function getArtifactRepository(artifactUri: string): ArtifactRepository {
  const m = /^([a-zA-Z][\w+.-]*):/.exec(artifactUri);
  const scheme = m === null || (m[1] as string).length === 1 ? "file" : (m[1] as string).toLowerCase();
  const factory = factories.get(scheme);
  if (factory === undefined) {
    throw MlflowError.invalidParameterValue(
      `No artifact repository for scheme '${scheme}' (artifact URI ${artifactUri}). Registered: ${[...factories.keys()].join(", ")}.`,
    );
  }
  return factory(scheme === "file" && m === null ? pathToFileURL(resolve(artifactUri)).href : artifactUri);
}

/** Joins a relative path onto an artifact URI with `/`. */
export function appendToUri(uri: string, relative: string): string {
  const rel = validateArtifactPath(relative);
  if (rel === "") return uri;
  return uri.replace(/\/+$/, "") + "/" + rel.split("/").map(encodeURIComponent).join("/");
}
