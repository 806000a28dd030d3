/**
 * What every artifact repository does, apart from the registry that picks one by URI scheme
 * (`artifactRepository.ts`), so that repositories built in there can implement it.
 */
import type { FileInfo } from "../entities";

/** Stores and lists the files of one artifact root (a run's `artifacts/`). */
export interface ArtifactRepository {
  /** The artifact root URI this repository serves. */
  readonly artifactUri: string;
  /** Copies one local file to `<artifactPath>/<file name>` (root when `artifactPath` is omitted). */
  logArtifact(localFile: string, artifactPath?: string): Promise<void>;
  /** Copies the contents of a local directory under `artifactPath`. */
  logArtifacts(localDir: string, artifactPath?: string): Promise<void>;
  /** The direct children of `path` (root when omitted), sorted by path. */
  listArtifacts(path?: string): Promise<FileInfo[]>;
  /** Copies the file or directory at `artifactPath` into `dstDir`; resolves to the local path. */
  downloadArtifacts(artifactPath: string, dstDir: string): Promise<string>;
  /** Deletes the file or directory at `artifactPath` (the whole root when omitted), where the repository supports it. */
  deleteArtifacts?(artifactPath?: string): Promise<void>;
}
