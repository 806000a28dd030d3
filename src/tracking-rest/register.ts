/**
 * Plugs the REST store into the tracking client: `http://` and `https://` tracking URIs
 * open a {@link RestStore}, and `mlflow-artifacts:` artifact URIs go through the server's
 * proxy. Idempotent; called by the package entry so `MLFLOW_TRACKING_URI=http://...`
 * works with no other change.
 */
import { registerStoreScheme } from "../tracking/store/storeRegistry";
import { registerArtifactRepository } from "../tracking/artifacts/artifactRepository";
import { RestStore } from "./restStore";
import { MlflowArtifactsRepository } from "./mlflowArtifactsRepository";

let lastServer: string | null = null;
let registered = false;

function defaultServer(): string | null {
  const env = process.env.MLFLOW_TRACKING_URI;
  if (env !== undefined && /^https?:\/\//i.test(env)) return env.replace(/\/+$/, "");
  return lastServer;
}

/** Registers the `http`/`https` stores and the `mlflow-artifacts` (and `http`) artifact repositories. */
export function registerRestStores(): void {
  if (registered) return;
  registered = true;
  for (const scheme of ["http", "https"]) {
    registerStoreScheme(scheme, (uri) => {
      const store = new RestStore(uri);
      lastServer = store.trackingUri;
      return { tracking: store, registry: store };
    });
    registerArtifactRepository(scheme, (uri) => new MlflowArtifactsRepository(uri, null));
  }
  registerArtifactRepository("mlflow-artifacts", (uri) => new MlflowArtifactsRepository(uri, defaultServer()));
}
