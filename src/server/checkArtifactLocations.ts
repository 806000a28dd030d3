/**
 * Start-up checks of the server's artifact locations: a malformed `s3://` URI or a
 * destination the server cannot store into is an error; an S3 location that cannot be
 * listed yet (missing bucket, credentials, network) gets a warning in the log, without
 * holding up the start (S3 may come up after the server).
 */
import { parseS3Uri } from "../tracking/artifacts/s3Location";
import { S3ArtifactStorage } from "./s3ArtifactStorage";

/** What the server stores into and reads: `--artifacts-destination` and `--default-artifact-root`. */
export interface ArtifactLocations {
  readonly destination: string;
  readonly defaultRoot?: string;
}

/**
 * The reason the locations are unusable, or null; S3 locations are then probed in the
 * background and `warn` is called for each one that fails.
 */
export function checkArtifactLocations(locations: ArtifactLocations, warn: (message: string) => void): string | null {
  const { destination, defaultRoot } = locations;
  if (/^[a-z][\w+.-]+:/i.test(destination) && !/^(s3|file):/i.test(destination)) {
    return `--artifacts-destination '${destination}': the server stores artifacts in a local folder, a file: URI or s3://BUCKET/PREFIX.`;
  }
  const s3 = [destination, defaultRoot].filter((l): l is string => l !== undefined && /^s3:/i.test(l));
  for (const location of s3) {
    try {
      parseS3Uri(location);
    } catch (err) {
      return (err as Error).message;
    }
  }
  for (const location of new Set(s3)) {
    new S3ArtifactStorage(location).check().catch((err: unknown) => {
      warn(`warning: artifact location ${location}: ${(err as Error).message} The server runs on; artifact requests fail until this is fixed.`);
    });
  }
  return null;
}
