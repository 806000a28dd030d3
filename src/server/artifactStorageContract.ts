/**
 * What the server's artifact storages do (a local folder, an S3 prefix), apart from the
 * factory that picks one (`artifactStorage.ts`), so that each storage can implement it.
 */
import type { Readable } from "node:stream";
import type { FileInfo } from "../tracking/entities";

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
