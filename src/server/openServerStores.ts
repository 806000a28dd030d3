/**
 * The stores behind `mlflow-demo-ts server --backend-store-uri`: `sqlite:` and
 * `postgresql:` URIs open the SQL store; a path or `file:` URI opens the FileStore
 * (`mlruns/`). New experiments put artifacts under the default artifact root when one is
 * given (`--default-artifact-root`), else under `mlflow-artifacts:/` when the server
 * proxies artifacts, as MLflow 2.x does by default, else in the destination itself.
 */
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";
import { FileStore } from "../tracking/store/fileStore";
import { FileRegistryStore } from "../tracking/store/fileRegistryStore";
import type { RegistryStore } from "../tracking/store/registryStore";
import type { TrackingStore } from "../tracking/store/trackingStore";
import { openSqlStores } from "./sql/openSqlStores";
import { checkBackendStoreUri } from "./storeUri";

/** Opened stores plus their cleanup. */
export interface ServerStores {
  readonly tracking: TrackingStore;
  readonly registry: RegistryStore;
  /** A FileStore's folder (its runs keep artifacts inside it unless proxied); null for SQL stores. */
  readonly fileStoreRoot: string | null;
  close(): Promise<void>;
}

/**
 * Opens the backend. New experiments' artifact root: `defaultArtifactRoot` when given, else
 * `mlflow-artifacts:/` when `serveArtifacts`, else the destination (its `s3://` URI, or a folder's `file:` URI).
 */
export async function openServerStores(backendStoreUri: string, artifactsDestination: string, serveArtifacts: boolean, defaultArtifactRoot?: string): Promise<ServerStores> {
  const kind = checkBackendStoreUri(backendStoreUri);
  const artifactRoot =
    defaultArtifactRoot ?? (serveArtifacts ? "mlflow-artifacts:" : /^s3:/i.test(artifactsDestination) ? artifactsDestination.replace(/\/+$/, "") : pathToFileURL(resolve(artifactsDestination)).href);
  if (kind === "sql") {
    const sql = await openSqlStores(backendStoreUri, artifactRoot);
    return { tracking: sql.tracking, registry: sql.registry, fileStoreRoot: null, close: () => sql.close() };
  }
  const tracking = new FileStore(backendStoreUri, artifactRoot);
  tracking.removeOrphanTempFiles();
  return { tracking, registry: new FileRegistryStore(backendStoreUri), fileStoreRoot: tracking.root, close: async () => tracking.close() };
}
