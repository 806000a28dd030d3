/**
 * Where the tracking server keeps artifacts, behind one small interface: a local folder
 * ({@link ServerArtifactStore}) or an S3 prefix ({@link S3ArtifactStorage}). The artifact
 * proxy stores `mlflow-artifacts:` paths in one; the server also reads (lists, shows in
 * the UI) the runs whose artifact URIs lie under its direct root, and no others.
 */
import type { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import type { FileInfo } from "../tracking/entities";
import type { ArtifactDownload, ArtifactStorage } from "./artifactStorageContract";
import { ServerArtifactStore } from "./artifactStore";
import { S3ArtifactStorage } from "./s3ArtifactStorage";

export type { ArtifactDownload, ArtifactStorage };

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
