/**
 * Chooses the stores for a tracking URI, as MLflow's `TrackingStoreRegistry` does:
 * paths and `file:` URIs open a FileStore (tracking and registry on one root); other
 * schemes (`http`, `https`, `sqlite`, ...) are registered by the modules that provide them.
 */
import { MlflowError } from "../errors";
import { FileStore } from "./fileStore";
import { FileRegistryStore } from "./fileRegistryStore";
import { fileUriOfPath, localPathOfUri, requireFileStoreRoot } from "./fileLayout";
import type { RegistryStore } from "./registryStore";
import type { TrackingStore } from "./trackingStore";

/** The pair of stores behind one tracking URI. */
export interface Stores {
  readonly tracking: TrackingStore;
  readonly registry: RegistryStore;
}

/** Opens the stores for a URI of one scheme. */
export type StoreFactory = (uri: string) => Stores;

const factories = new Map<string, StoreFactory>();
const opened = new Map<string, Stores>();

/** Registers the stores used for tracking URIs of `scheme` (e.g. "http", "https", "sqlite"). */
export function registerStoreScheme(scheme: string, factory: StoreFactory): void {
  factories.set(scheme.toLowerCase(), factory);
  for (const key of [...opened.keys()]) if (key.toLowerCase().startsWith(scheme.toLowerCase() + ":")) opened.delete(key);
}

/** The tracking URI to use: `uri`, else `MLFLOW_TRACKING_URI`, else `./mlruns`. */
export function resolveTrackingUri(uri?: string | null): string {
  if (uri !== undefined && uri !== null && uri !== "") return uri;
  const env = process.env.MLFLOW_TRACKING_URI;
  return env !== undefined && env !== "" ? env : "./mlruns";
}

function schemeOf(uri: string): string {
  const m = /^([a-zA-Z][\w+.-]*):/.exec(uri);
  // A one-letter "scheme" is a Windows drive; no scheme means a path.
  return m === null || (m[1] as string).length === 1 ? "file" : (m[1] as string).toLowerCase();
}

/** Options of {@link openStores}. */
export interface OpenStoresOptions {
  /**
   * For read-only use: a local store must exist already (RESOURCE_DOES_NOT_EXIST otherwise), and
   * opening it writes nothing (a new store is not initialised).
   */
  readonly mustExist?: boolean;
}

/**
 * The stores for a tracking URI (cached per URI, so that one process shares caches and
 * open metric files). Unknown schemes raise INVALID_PARAMETER_VALUE naming the scheme.
 */
export function openStores(uri?: string | null, options: OpenStoresOptions = {}): Stores {
  const resolved = resolveTrackingUri(uri);
  const scheme = schemeOf(resolved);
  if (scheme === "file") {
    const root = localPathOfUri(resolved);
    const key = fileUriOfPath(root);
    if (options.mustExist === true) requireFileStoreRoot(root);
    const cached = opened.get(key);
    if (cached !== undefined) return cached;
    if (options.mustExist === true) return { tracking: new FileStore(resolved, undefined, { create: false }), registry: new FileRegistryStore(resolved) };
    const stores = { tracking: new FileStore(resolved), registry: new FileRegistryStore(resolved) };
    opened.set(key, stores);
    return stores;
  }
  const cached = opened.get(resolved);
  if (cached !== undefined) return cached;
  const factory = factories.get(scheme);
  if (factory === undefined) {
    // The REST store lives in tracking-rest, which builds on this module: the package entry
    // and the CLI register it; a program importing this module alone registers it itself.
    const hint = scheme === "http" || scheme === "https" ? " Import the package entry or call registerRestStores() first." : "";
    throw MlflowError.invalidParameterValue(
      `Unsupported tracking URI '${resolved}': no store is registered for scheme '${scheme}'. ` +
        `Supported: file paths, file:, ${[...factories.keys()].join(", ") || "(no other scheme registered)"}.${hint}`,
    );
  }
  const stores = factory(resolved);
  opened.set(resolved, stores);
  return stores;
}
