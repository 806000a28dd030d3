/**
 * How `logModel` chooses between MLflow 3's logged models and MLflow 2's run artifacts.
 * A local FileStore (`./mlruns`, `file:` URIs) keeps MLflow 2.17's layout, which MLflow 2
 * and 3 both read. Any other store (a tracking server, ours or MLflow's, or a SQL store)
 * gets MLflow 3 logged models, unless the server turned out to be an MLflow 2 server: its
 * answer to the first `POST logged-models` is 404 ENDPOINT_NOT_FOUND, which is remembered
 * per tracking URI for the life of the process, so each MLflow 2 server costs one request.
 */

/** `logged-model`: MLflow 3's LoggedModel entity; `run-artifact`: MLflow 2's files under the run's artifacts. */
export type ModelLogFormat = "logged-model" | "run-artifact";

const mlflow2Servers = new Set<string>();

function keyOf(trackingUri: string): string {
  return trackingUri.replace(/\/+$/, "").toLowerCase();
}

/** The format `logModel` uses by default for a tracking URI. */
export function chooseModelLogFormat(trackingUri: string): ModelLogFormat {
  const scheme = /^([a-zA-Z][\w+.-]+):/.exec(trackingUri)?.[1]?.toLowerCase();
  if (scheme === undefined || scheme === "file") return "run-artifact";
  return mlflow2Servers.has(keyOf(trackingUri)) ? "run-artifact" : "logged-model";
}

/**
 * True (and remembered) when `err` is a server saying it has no logged-models endpoint: an
 * MLflow 2 server answers 404 with ENDPOINT_NOT_FOUND (or a non-JSON 404 page).
 */
export function rememberLoggedModelsUnsupported(trackingUri: string, err: unknown): boolean {
  const e = err as { status?: unknown; remoteErrorCode?: unknown };
  if (e === null || typeof e !== "object" || e.status !== 404 || e.remoteErrorCode !== "ENDPOINT_NOT_FOUND") return false;
  mlflow2Servers.add(keyOf(trackingUri));
  return true;
}
