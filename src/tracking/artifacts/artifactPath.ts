/** Artifact paths: relative, `/`-separated, never escaping the artifact root. */
import { posix } from "node:path";
import { MlflowError } from "../errors";

/** Checks an artifact path: relative, `/`-separated, no `..` escaping the root. */
export function validateArtifactPath(artifactPath: string): string {
  if (artifactPath === "") return "";
  const norm = posix.normalize(artifactPath.replace(/\\/g, "/")).replace(/\/+$/, "");
  if (norm.startsWith("/") || norm === ".." || norm.startsWith("../") || /^[A-Za-z]:/.test(norm) || norm.includes("\0")) {
    throw MlflowError.invalidParameterValue(`Invalid artifact path: '${artifactPath}'. It must be relative and stay inside the run's artifact root.`);
  }
  return norm === "." ? "" : norm;
}
