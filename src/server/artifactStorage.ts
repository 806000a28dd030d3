/**
 * Where the tracking server keeps artifacts, behind one small interface: a local folder
 * ({@link ServerArtifactStore}) or an S3 prefix ({@link S3ArtifactStorage}). The artifact
 * proxy stores `mlflow-artifacts:` paths in one; the server also reads (lists, shows in
 * the UI) the runs whose artifact URIs lie under its direct root, and no others.
 */
import type { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import type { FileInfo } from "../tracking/entities";
import { ServerArtifactStore } from "./artifactStore";
import { S3ArtifactStorage } from "./s3ArtifactStorage";

/** A file being served. */
export interface ArtifactDownload {
  readonly stream: Readable;
  readonly size: number;
  readonly name: string;
}

/** The server's artifact storage; paths are checked segments (see `safeSegments`). */
export interface ArtifactStorage {
  /** The folder or `s3://` URI, for messages. */
  readonly location: string;
  /** Stores `body` at `segments`; nothing is visible there until the whole body is stored. */
  upload(segments: readonly string[], body: Readable, declaredLength: number | null): Promise<void>;
  /** The file at `segments`; RESOURCE_DOES_NOT_EXIST when missing or a folder. */
  open(segments: readonly string[]): Promise<ArtifactDownload>;
  /** The direct children of a folder (empty when missing), paths relative to the storage's root. */
  list(segments: readonly string[]): Promise<FileInfo[]>;
  /** Deletes a file or folder. */
  delete(segments: readonly string[]): Promise<void>;
  /** The segments of an artifact URI under this storage (`file:` for a folder, `s3://` for S3), or null when it lies elsewhere. */
  segmentsOfUri(uri: string): string[] | null;
}

/** A local folder as {@link ArtifactStorage}. */
export class LocalArtifactStorage implements ArtifactStorage {
  readonly location: string;

  constructor(readonly store: ServerArtifactStore) {
    this.location = store.root;
  }

  async upload(segments: readonly string[], body: Readable, declaredLength: number | null): Promise<void> {
    await this.store.upload(segments, body, declaredLength);
  }

  async open(segments: readonly string[]): Promise<ArtifactDownload> {
    return this.store.open(segments);
  }

  async list(segments: readonly string[]): Promise<FileInfo[]> {
    return this.store.list(segments);
  }

  async delete(segments: readonly string[]): Promise<void> {
    this.store.delete(segments);
  }

  segmentsOfUri(uri: string): string[] | null {
    if (!/^file:/i.test(uri)) return null;
    let path: string;
    try {
      path = fileURLToPath(uri);
    } catch {
      return null;
    }
    return this.store.segmentsOf(path);
  }
}

/** Opens the storage at `location`: an `s3://bucket/prefix` URI, a `file:` URI or a local path. */
export function openArtifactStorage(location: string, maxUploadBytes?: number): ArtifactStorage {
  if (/^s3:/i.test(location)) return new S3ArtifactStorage(location, maxUploadBytes);
  return new LocalArtifactStorage(new ServerArtifactStore(/^file:/i.test(location) ? fileURLToPath(location) : location, maxUploadBytes));
}
